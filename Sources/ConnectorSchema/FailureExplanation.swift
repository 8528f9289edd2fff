import Foundation

/// What a failing test request most likely means, in the operator's terms, from a test's
/// `explain` mapping: keyed by HTTP status (`404: No data pool has this ID …`), and `rule` for a
/// response whose status passed but whose body broke a success rule.
///
/// ```yaml
/// explain:
///   404: No data pool has this ID; copy it again from the data pool's address.
///   200: The key was read, but the account is not enabled for the API.
///   rule: The service answered, but not as a working account does.
/// ```
///
/// A status key applies whenever the test fails with that status, a 2xx that fails a rule
/// included; it is preferred to `rule`, which covers every rule failure.
public struct FailureExplanation: Hashable, Sendable, Codable {
    public var byStatus: [Int: String]
    /// Shown when the status passed and a rule on the body did not.
    public var rule: String?

    public static let ruleKey = "rule"

    public init(byStatus: [Int: String] = [:], rule: String? = nil) {
        self.byStatus = byStatus
        self.rule = rule
    }

    public var isEmpty: Bool { byStatus.isEmpty && rule == nil }

    /// The explanation of a failure with `status`; `ruleFailed` when the status passed and a
    /// body rule did not.
    public func text(status: Int, ruleFailed: Bool) -> String? {
        byStatus[status] ?? (ruleFailed ? rule : nil)
    }

    public init(from decoder: Decoder) throws {
        byStatus = [:]
        for (key, text) in try [String: String](from: decoder) {
            if key == Self.ruleKey {
                rule = text
                continue
            }
            guard let status = Int(key), (100...599).contains(status) else {
                throw decoder.failure("explain is keyed by HTTP status (such as 404) or “rule”, not “\(key)”")
            }
            byStatus[status] = text
        }
    }

    public func encode(to encoder: Encoder) throws {
        var all = Dictionary(uniqueKeysWithValues: byStatus.map { (String($0.key), $0.value) })
        if let rule { all[Self.ruleKey] = rule }
        try all.encode(to: encoder)
    }
}
