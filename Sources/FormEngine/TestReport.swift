import ConnectorSchema
import Foundation

/// A finished test as the engine keeps it: what the panel says of it, where it is logged, and
/// the answers it tested, so the engine can tell when a later answer makes it stale.
///
/// The use-case layer makes one from each attempt and sends it back as `.tested(report)`.
public struct TestReport: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Result: Hashable, Sendable {
        case passed
        case failed
        /// Stopped by the operator before it finished (still logged).
        case cancelled
    }

    public var result: Result
    /// "Test succeeded: 200 OK in 84 ms", "The credentials were rejected: 401 …".
    public var line: String
    /// What to do about a failure, when the connector or the tester knows.
    public var hint: String?
    /// The exchange log's key (a connection id or a draft key) and the attempt's number.
    public var logKey: String
    public var attempt: Int
    /// When the test started.
    public var at: Date
    /// The answers that were tested, secrets included: in memory only, never printed.
    public var values: [String: FieldValue]

    public init(result: Result, line: String, hint: String? = nil, logKey: String, attempt: Int, at: Date, values: [String: FieldValue]) {
        self.result = result
        self.line = line
        self.hint = hint
        self.logKey = logKey
        self.attempt = attempt
        self.at = at
        self.values = values
    }

    public var passed: Bool { result == .passed }

    /// The line with its hint, as a status shows it.
    public var fullLine: String { line + (hint.map { " — " + $0 } ?? "") }

    /// Never prints the tested answers.
    public var description: String { "TestReport(\(result), \(logKey) #\(attempt), “\(line)”)" }
    public var debugDescription: String { description }
}
