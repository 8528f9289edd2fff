import ConnectionCore
import ConnectorSchema
import Foundation

/// Where the use cases find a connector by id. The use cases look up a saved connection's
/// connector themselves, so no caller has to find it first; tests inject their own.
///
/// Each id is looked up once: a list of connections, or a session of the full screen, asks
/// for the same few connectors again and again, and a user's connector is a file to read.
public struct ConnectorLookup: Sendable {
    private let found: Found

    public init(_ find: @escaping @Sendable (String) -> ConnectorSchema?) {
        found = Found(find)
    }

    /// The built-in connectors and the user's files in `home` (a user file decoded only when
    /// its connector is asked for).
    public static func installed(in home: HomeFolder) -> ConnectorLookup {
        let index = ConnectorIndex(home: home)
        return ConnectorLookup { index.schema($0) }
    }

    /// The connector `id`, nil when none is installed.
    public func callAsFunction(_ id: String) -> ConnectorSchema? { found.schema(id) }

    /// The connectors looked up so far, by id (nil for one that is not installed).
    private final class Found: @unchecked Sendable {
        private let find: @Sendable (String) -> ConnectorSchema?
        private let lock = NSLock()
        private var byID: [String: ConnectorSchema?] = [:]

        init(_ find: @escaping @Sendable (String) -> ConnectorSchema?) {
            self.find = find
        }

        func schema(_ id: String) -> ConnectorSchema? {
            lock.lock()
            defer { lock.unlock() }
            if let known = byID[id] { return known }
            let schema = find(id)
            byID[id] = .some(schema)
            return schema
        }
    }
}
