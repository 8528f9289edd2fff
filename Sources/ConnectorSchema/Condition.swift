import Foundation

/// When a field, an option or an HTTP variant applies: a test on the answer to an earlier field.
///
/// Written in a connector file as `when: {field: authType, equals: custom}`, with `oneOf: [a, b]`
/// or `not: c` in place of `equals`, or as a list of such tests that must all hold.
public struct Condition: Hashable, Sendable, Codable {
    /// How the answer is compared.
    public enum Test: Hashable, Sendable {
        case equals(String)
        case oneOf([String])
        case not(String)
    }

    /// The id of the field whose answer is tested.
    public var field: String
    public var test: Test

    public init(field: String, _ test: Test) {
        self.field = field
        self.test = test
    }

    /// Whether the condition holds for `value`, the effective answer of `field` (nil when that
    /// field is hidden or unanswered). A list answer matches when any of its items does. No
    /// answer reads as the empty text, so `equals: ""` holds while the field is unanswered.
    public func holds(for value: FieldValue?) -> Bool {
        let items: [String]
        switch value {
        case nil: items = [""]
        case .list(let list)?: items = list.isEmpty ? [""] : list
        case let other?: items = [other.text]
        }
        switch test {
        case .equals(let wanted): return items.contains(wanted)
        case .oneOf(let wanted): return items.contains(where: wanted.contains)
        case .not(let unwanted): return !items.contains(unwanted)
        }
    }

    /// The values this condition names, for lint checks against the field's options.
    public var namedValues: [String] {
        switch test {
        case .equals(let v), .not(let v): return [v]
        case .oneOf(let vs): return vs
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case field, equals, oneOf, not }

    public init(from decoder: Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        field = try container.decode(String.self, forKey: .field)
        let tests = [CodingKeys.equals, .oneOf, .not].filter(container.contains)
        guard tests.count == 1 else {
            throw decoder.failure("a condition needs exactly one of equals, oneOf or not")
        }
        switch tests[0] {
        case .equals: test = .equals(try container.decode(ScalarString.self, forKey: .equals).value)
        case .not: test = .not(try container.decode(ScalarString.self, forKey: .not).value)
        default: test = .oneOf(try container.decode([ScalarString].self, forKey: .oneOf).map(\.value))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(field, forKey: .field)
        switch test {
        case .equals(let v): try container.encode(v, forKey: .equals)
        case .oneOf(let vs): try container.encode(vs, forKey: .oneOf)
        case .not(let v): try container.encode(v, forKey: .not)
        }
    }
}

/// All of several conditions; an empty list always holds. Decodes from one condition or a list.
public struct ConditionSet: Hashable, Sendable, Codable {
    public var all: [Condition]

    public init(_ all: [Condition] = []) { self.all = all }

    public func holds(_ value: (String) -> FieldValue?) -> Bool {
        all.allSatisfy { $0.holds(for: value($0.field)) }
    }

    public init(from decoder: Decoder) throws {
        all = try decoder.oneOrMany(Condition.self)
    }

    public func encode(to encoder: Encoder) throws {
        try all.encode(to: encoder)
    }
}

/// A YAML scalar read as text whatever its type, so `equals: 25` and `equals: true` work.
struct ScalarString: Decodable {
    var value: String
    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let s = try? container.decode(String.self) { value = s }
        else if let i = try? container.decode(Int.self) { value = String(i) }
        else if let b = try? container.decode(Bool.self) { value = String(b) }
        else { throw decoder.failure("expected a single value") }
    }
}
