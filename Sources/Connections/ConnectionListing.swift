import ConnectionCore
import ConnectorSchema
import Foundation

/// A saved connection with what every list of connections says of it: whether it must be
/// authorized before it can be tested, and which connections borrow its concurrency budget.
/// One use case computes it for the Connections screen and `connwiz list`.
public struct ConnectionListing: Sendable {
    public var connection: StoredConnection
    /// Its connector signs in through a browser and it holds no tokens.
    public var needsAuthorization: Bool
    /// The names of the connections that borrow its concurrency budget.
    public var borrowers: [String]
}

extension ConnectionUseCases {
    /// Every saved connection, in name order, with its state. A connector is looked up once,
    /// and only for connections without tokens.
    public func listing() throws -> [ConnectionListing] {
        let all = try connections()
        var schemas: [String: ConnectorSchema?] = [:]
        return all.map { connection in
            var needsAuthorization = false
            if connection.credentials == nil {
                if schemas[connection.connector] == nil { schemas[connection.connector] = .some(connectors(connection.connector)) }
                if let schema = schemas[connection.connector] ?? nil { needsAuthorization = connection.needsAuthorization(schema: schema) }
            }
            return ConnectionListing(connection: connection, needsAuthorization: needsAuthorization,
                                     borrowers: all.filter { $0.refers(to: connection.id) }.map(\.name))
        }
    }
}
