import Foundation

/// One press of Test: its outcome and every exchange it made, in order.
public struct TestAttempt: Codable, Hashable, Sendable {
    public static let currentVersion = 1
    public var version: Int
    /// Sortable and unique: `20261123T131405Z-3f9a`.
    public var id: String
    public var connectionName: String
    public var connectorID: String
    public var startedAt: Date
    public var finishedAt: Date
    /// True when the sandbox answered instead of the real service.
    public var sandboxed: Bool
    public var outcome: TestOutcome
    public var exchanges: [Exchange]

    public init(id: String, connectionName: String, connectorID: String, startedAt: Date, finishedAt: Date,
                sandboxed: Bool, outcome: TestOutcome, exchanges: [Exchange]) {
        self.version = Self.currentVersion
        self.id = id
        self.connectionName = connectionName
        self.connectorID = connectorID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.sandboxed = sandboxed
        self.outcome = outcome
        self.exchanges = exchanges
    }

    public var passed: Bool { outcome.passed }

    /// A fresh id from the time and four random hex digits.
    public static func newID(at date: Date = Date()) -> String {
        UTCTimestamp.compact(from: date) + "-" + String(format: "%04x", UInt16.random(in: 0...UInt16.max))
    }
}
