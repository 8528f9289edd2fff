import Foundation

/// The checks an answer must pass, each failing with a message the operator can act on.
///
/// `pattern` is a regular expression the whole (normalized) answer must match; `message` is
/// what the operator reads when it does not. Lengths count characters; `min`/`max` bound numbers.
/// A field's `validate` is one such rule or a list of them; a rule with `when` applies only
/// while its conditions on earlier fields hold:
///
/// ```yaml
/// validate:
///   - when: {field: mode, equals: test}
///     pattern: '^sk_test_[A-Za-z0-9]+$'
///     message: In test mode the key starts with sk_test_.
///   - when: {field: mode, equals: live}
///     pattern: '^sk_live_[A-Za-z0-9]+$'
///     message: In live mode the key starts with sk_live_.
/// ```
public struct Validation: Hashable, Sendable, Codable {
    /// When the rule applies; always when empty.
    public var when: ConditionSet
    public var pattern: String?
    public var message: String?
    public var minLength: Int?
    public var maxLength: Int?
    public var min: Int?
    public var max: Int?
    /// The answer is a path to a file that must hold this (checked when it is entered).
    public var file: FileRequirement?

    public init(pattern: String? = nil, message: String? = nil, minLength: Int? = nil,
                maxLength: Int? = nil, min: Int? = nil, max: Int? = nil, file: FileRequirement? = nil,
                when: ConditionSet = ConditionSet()) {
        self.when = when
        self.file = file
        self.pattern = pattern
        self.message = message
        self.minLength = minLength
        self.maxLength = maxLength
        self.min = min
        self.max = max
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case when, pattern, message, minLength, maxLength, min, max, file }

    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        when = try c.decodeIfPresent(ConditionSet.self, forKey: .when) ?? ConditionSet()
        pattern = try c.decodeIfPresent(String.self, forKey: .pattern)
        message = try c.decodeIfPresent(String.self, forKey: .message)
        minLength = try c.decodeIfPresent(Int.self, forKey: .minLength)
        maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength)
        min = try c.decodeIfPresent(Int.self, forKey: .min)
        max = try c.decodeIfPresent(Int.self, forKey: .max)
        if let name = try c.decodeIfPresent(String.self, forKey: .file) {
            guard let requirement = FileRequirement(rawValue: name) else {
                throw DecodingError.dataCorruptedError(forKey: .file, in: c, debugDescription:
                    "unknown file requirement “\(name)”; expected one of: " + FileRequirement.allCases.map(\.rawValue).joined(separator: ", "))
            }
            file = requirement
        }
    }
}

/// What a file named by an answer must hold.
public enum FileRequirement: String, Hashable, Sendable, Codable, CaseIterable {
    /// An RSA private key in PEM form (`BEGIN PRIVATE KEY` or `BEGIN RSA PRIVATE KEY`), as the
    /// JWT bearer grant signs with.
    case rsaPrivateKey
}
