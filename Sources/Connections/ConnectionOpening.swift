import ConnectionCore
import ConnectorSchema
import Foundation

/// A saved connection looked up to be acted on (tested, edited, authorized, exported): found
/// with its connector's schema, gone, or found without its connector. Every front end needs
/// the same three answers, so they are decided once.
public enum ConnectionOpening: Sendable {
    case opened(StoredConnection, ConnectorSchema)
    /// No saved connection has the id (deleted elsewhere).
    case gone
    /// The connection is saved, but its connector file is not installed.
    case connectorMissing(StoredConnection)

    /// What a list says of a connection whose connector is not installed.
    public static func missingLine(_ connection: StoredConnection) -> String {
        "The connector “\(connection.connector)” of “\(connection.name)” is not installed."
    }
}

extension ConnectionUseCases {
    /// The saved connection `id` with its connector's schema.
    public func open(id: String) throws -> ConnectionOpening {
        guard let saved = try connection(id: id) else { return .gone }
        guard let schema = connectors(saved.connector) else { return .connectorMissing(saved) }
        return .opened(saved, schema)
    }
}
