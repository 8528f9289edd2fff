import ConnectionCore
import ConnectorSchema

/// Where the use cases find a connector by id. The use cases look up a saved connection's
/// connector themselves, so no caller has to find it first; tests inject their own.
public struct ConnectorLookup: Sendable {
    private let find: @Sendable (String) -> ConnectorSchema?

    public init(_ find: @escaping @Sendable (String) -> ConnectorSchema?) {
        self.find = find
    }

    /// The built-in connectors and the user's files in `home` (a user file decoded only when
    /// its connector is asked for).
    public static func installed(in home: HomeFolder) -> ConnectorLookup {
        let index = ConnectorIndex(home: home)
        return ConnectorLookup { index.schema($0) }
    }

    /// The connector `id`, nil when none is installed.
    public func callAsFunction(_ id: String) -> ConnectorSchema? { find(id) }
}
