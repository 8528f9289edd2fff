import ConnectorSchema
import Foundation

/// A saved connection as it rests in `connections.json`: plain answers in `values`, every
/// secret (or secret part, keyed `field.part`) sealed in `secrets`.
public struct StoredConnection: Codable, Hashable, Sendable {
    public var id: String
    public var name: String
    public var connector: String
    public var createdAt: Date
    public var updatedAt: Date
    public var values: [String: FieldValue]
    /// Sealed secrets by key (`token`, `oauth2Client.clientSecret`): base64 AES-GCM boxes.
    public var secrets: [String: String]
    /// The outcome of the last test, shown in lists (filled by the test command).
    public var lastTest: TestSummary?

    public init(id: String, name: String, connector: String, createdAt: Date, updatedAt: Date,
                values: [String: FieldValue], secrets: [String: String], lastTest: TestSummary? = nil) {
        self.id = id
        self.name = name
        self.connector = connector
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.values = values
        self.secrets = secrets
        self.lastTest = lastTest
    }

    /// True when one of its answers is the connection `id` (a "borrow concurrency from" pick).
    public func refers(to id: String) -> Bool {
        self.id != id && values.values.contains(.string(id))
    }
}

/// The one-line outcome of a connection's last test.
public struct TestSummary: Codable, Hashable, Sendable {
    public var passed: Bool
    public var status: String
    public var at: Date

    public init(passed: Bool, status: String, at: Date) {
        self.passed = passed
        self.status = status
        self.at = at
    }

    /// The summary of a finished attempt: passed or not, its one line, when it started.
    public init(_ attempt: TestAttempt) {
        self.init(passed: attempt.passed, status: attempt.outcome.line, at: attempt.startedAt)
    }
}

/// The whole store file, versioned so a newer format is refused rather than overwritten.
struct StoreFile: Codable {
    static let currentVersion = 1
    var version: Int
    var connections: [StoredConnection]
}
