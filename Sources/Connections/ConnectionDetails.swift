import ConnectionCore
import ConnectorSchema
import Foundation

/// One saved connection as `connwiz show` tells it: its connector (nil when not installed),
/// whether each secret still decrypts, whether it signs in through a browser, and the ids it
/// has in the integrator.io accounts it was pushed to, by the account's name.
public struct ConnectionDetails: Sendable {
    public var connection: StoredConnection
    public var schema: ConnectorSchema?
    /// Each secret's key: whether it still decrypts, or why not.
    public var secrets: [String: Result<Void, StoreError>]
    /// It signs in through a browser (it holds tokens, or needs authorizing to get them).
    public var signsIn: Bool
    /// Its id in each account it was pushed to, by the account connection's name.
    public var remoteIDs: [String: String]
}

extension ConnectionUseCases {
    /// What there is to tell of `connection`, read without opening a secret's value.
    public func details(of connection: StoredConnection) -> ConnectionDetails {
        let schema = connectors(connection.connector)
        let names = connectionNames()
        var remoteIDs: [String: String] = [:]
        for (account, id) in connection.remoteIDs { remoteIDs[names[account] ?? account] = id }
        let signsIn = schema.map { connection.credentials != nil || connection.needsAuthorization(schema: $0) } ?? false
        return ConnectionDetails(connection: connection, schema: schema, secrets: store.checkSecrets(of: connection),
                                 signsIn: signsIn, remoteIDs: remoteIDs)
    }

    /// The panel's HTTP view of a saved connection's answers (secrets masked).
    public func httpView(of connection: StoredConnection) throws -> (title: String, lines: [String]) {
        let schema = try connector(of: connection)
        let values = ConnectionResolver.values(try store.openValues(of: connection, schema: schema), keeping: connection.credentials?.callbackValues)
        let names = connectionNames()
        return (schema.title, HTTPView.lines(schema: schema, values: values, connectionName: { names[$0] }))
    }

    /// The saved connections' names by id (none when the store cannot be read).
    private func connectionNames() -> [String: String] {
        Dictionary(((try? store.all()) ?? []).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
