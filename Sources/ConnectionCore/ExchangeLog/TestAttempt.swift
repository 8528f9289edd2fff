import Foundation

/// One press of Test: its outcome and every exchange it made, in order.
///
/// On disk (version 2) `attempt.json` holds everything but the exchanges, which are in
/// `exchanges.jsonl`, one per line, so a View log of thousands reads only what it shows.
/// Version 1 kept them inside `attempt.json`; both are read.
public struct TestAttempt: Codable, Hashable, Sendable {
    public static let currentVersion = 2
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
    /// Every exchange, when loaded; empty in a header read without them (see `exchangeCount`).
    public var exchanges: [Exchange]
    /// How many exchanges the attempt made, whether or not they are loaded (version 2).
    public var exchangeCount: Int?

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
        self.exchangeCount = exchanges.count
    }

    public var passed: Bool { outcome.passed }

    /// A fresh id from the time and four random hex digits.
    public static func newID(at date: Date = Date()) -> String {
        UTCTimestamp.compact(from: date) + "-" + String(format: "%04x", UInt16.random(in: 0...UInt16.max))
    }
}
