import Foundation

/// A rewrite applied to an answer before it is checked, so the operator may paste what they
/// have at hand: an account URL where a domain is asked, a data-pool URL where a pool ID is.
///
/// Written as a list under `normalize:`: `lowercase`, `{extract: REGEX}` (keep capture group 1
/// when the regex matches, else leave the answer as it is), `{stripPrefix: …}`, `{stripSuffix: …}`.
/// Answers are always trimmed of surrounding white space first.
public enum Normalizer: Hashable, Sendable, Codable {
    case lowercase
    case extract(String)
    case stripPrefix(String)
    case stripSuffix(String)

    enum CodingKeys: String, CodingKey, CaseIterable { case extract, stripPrefix, stripSuffix }

    public init(from decoder: Decoder) throws {
        if let word = try? ScalarString(from: decoder).value {
            guard word == "lowercase" else {
                throw decoder.failure("unknown normalizer “\(word)”; expected lowercase, extract, stripPrefix or stripSuffix")
            }
            self = .lowercase
            return
        }
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw decoder.failure("a normalizer is one of lowercase, {extract: …}, {stripPrefix: …}, {stripSuffix: …}")
        }
        let argument = try c.decode(String.self, forKey: key)
        switch key {
        case .extract: self = .extract(argument)
        case .stripPrefix: self = .stripPrefix(argument)
        case .stripSuffix: self = .stripSuffix(argument)
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .lowercase:
            var c = encoder.singleValueContainer()
            try c.encode("lowercase")
        case .extract(let p):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(p, forKey: .extract)
        case .stripPrefix(let p):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(p, forKey: .stripPrefix)
        case .stripSuffix(let p):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(p, forKey: .stripSuffix)
        }
    }
}
