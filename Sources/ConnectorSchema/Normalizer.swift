import Foundation

/// A rewrite applied to an answer before it is checked, so the operator may paste what they
/// have at hand: an account URL where a domain is asked, a data-pool URL where a pool ID is.
/// The same steps make a field's named `parts` (`{{apiKey.dc}}`, `{{accountId.host}}`).
///
/// Written as a list under `normalize:`: `lowercase`, `uppercase`, `{extract: REGEX}` (keep
/// capture group 1 when the regex matches, else leave the answer as it is), `{stripPrefix: …}`,
/// `{stripSuffix: …}`, `{after: SEP}` and `{before: SEP}` (the text after the last, or before
/// the first, separator), `{replace: {FROM: TO}}`. Answers are always trimmed of surrounding
/// white space first.
public enum Normalizer: Hashable, Sendable, Codable {
    case lowercase
    case uppercase
    case extract(String)
    case stripPrefix(String)
    case stripSuffix(String)
    case after(String)
    case before(String)
    case replace([String: String])

    enum CodingKeys: String, CodingKey, CaseIterable { case extract, stripPrefix, stripSuffix, after, before, replace }

    static let spelled = "lowercase, uppercase, {extract: …}, {stripPrefix: …}, {stripSuffix: …}, {after: …}, {before: …} or {replace: {FROM: TO}}"

    public init(from decoder: Decoder) throws {
        if let word = try? ScalarString(from: decoder).value {
            switch word {
            case "lowercase": self = .lowercase
            case "uppercase": self = .uppercase
            default: throw decoder.failure("unknown normalizer “\(word)”; expected " + Self.spelled)
            }
            return
        }
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw decoder.failure("a normalizer is one of " + Self.spelled)
        }
        if key == .replace {
            let pairs = try c.decode([String: String].self, forKey: key)
            if pairs.keys.contains("") { throw decoder.failure("replace needs text to find; an empty key replaces nothing") }
            self = .replace(pairs)
            return
        }
        let argument = try c.decode(String.self, forKey: key)
        switch key {
        case .extract: self = .extract(argument)
        case .stripPrefix: self = .stripPrefix(argument)
        case .stripSuffix: self = .stripSuffix(argument)
        case .after, .before:
            if argument.isEmpty { throw decoder.failure("\(key.stringValue) needs a separator") }
            self = key == .after ? .after(argument) : .before(argument)
        case .replace: throw decoder.failure("replace takes a mapping")
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .lowercase, .uppercase:
            var c = encoder.singleValueContainer()
            try c.encode(self == .lowercase ? "lowercase" : "uppercase")
        case .extract(let p):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(p, forKey: .extract)
        case .stripPrefix(let p):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(p, forKey: .stripPrefix)
        case .stripSuffix(let p):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(p, forKey: .stripSuffix)
        case .after(let p):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(p, forKey: .after)
        case .before(let p):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(p, forKey: .before)
        case .replace(let pairs):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(pairs, forKey: .replace)
        }
    }

    /// Whether the step keeps only a piece of the text (a regex group, the text beside a
    /// separator): a part of a secret must have one, so the rest of the secret stays behind.
    public var narrows: Bool {
        switch self {
        case .extract, .after, .before: return true
        case .lowercase, .uppercase, .stripPrefix, .stripSuffix, .replace: return false
        }
    }

    /// `text`, trimmed, through `steps` in order. When `strict`, a narrowing step that does not
    /// match (no regex match, no separator) leaves nothing instead of the text as it was: that
    /// is how a part is taken, so a part of a secret can never become the whole secret.
    public static func apply(_ steps: [Normalizer], to text: String, strict: Bool = false) -> String {
        var value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for step in steps {
            switch step {
            case .lowercase: value = value.lowercased()
            case .uppercase: value = value.uppercased()
            case .extract(let pattern):
                if let capture = RegexCache.shared.firstCapture(pattern, value) { value = capture } else if strict { return "" }
            case .stripPrefix(let prefix): if value.hasPrefix(prefix) { value.removeFirst(prefix.count) }
            case .stripSuffix(let suffix): if value.hasSuffix(suffix) { value.removeLast(suffix.count) }
            case .after(let separator):
                if let range = value.range(of: separator, options: .backwards) { value = String(value[range.upperBound...]) } else if strict { return "" }
            case .before(let separator):
                if let range = value.range(of: separator) { value = String(value[..<range.lowerBound]) } else if strict { return "" }
            case .replace(let pairs):
                for (from, to) in pairs.sorted(by: { $0.key < $1.key }) { value = value.replacingOccurrences(of: from, with: to) }
            }
        }
        return value
    }
}
