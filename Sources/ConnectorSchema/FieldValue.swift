import Foundation

/// One answer to one field: the value a form holds, a store keeps and a template renders.
///
/// Whether a value is secret is a property of its field (or of a part of a compound field),
/// never of the value, so the same type serves every kind.
public enum FieldValue: Hashable, Sendable {
    /// Text, secrets, URLs, single choices and connection references.
    case string(String)
    /// Whole numbers (`number` fields).
    case number(Int)
    /// Several choices (`multiChoice` fields), in the order of the field's options.
    case list([String])
    /// A compound answer by part id, such as an OAuth 2.0 client's `clientId` and `clientSecret`.
    case parts([String: String])

    /// The value as a template or a condition sees it: lists are joined by spaces.
    public var text: String {
        switch self {
        case .string(let s): return s
        case .number(let n): return String(n)
        case .list(let items): return items.joined(separator: " ")
        case .parts(let parts): return parts.keys.sorted().compactMap { parts[$0] }.joined(separator: " ")
        }
    }

    /// The value of one part; the empty part id means the whole value.
    public func part(_ id: String) -> String? {
        switch self {
        case .parts(let parts): return id.isEmpty ? nil : parts[id]
        default: return id.isEmpty ? text : nil
        }
    }
}

extension FieldValue: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let list = try? container.decode([String].self) {
            self = .list(list)
        } else if let parts = try? container.decode([String: String].self) {
            self = .parts(parts)
        } else {
            throw decoder.failure("expected a string, a whole number, a list of strings or a mapping of strings")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let s): try container.encode(s)
        case .number(let n): try container.encode(n)
        case .list(let l): try container.encode(l)
        case .parts(let p): try container.encode(p)
        }
    }
}
