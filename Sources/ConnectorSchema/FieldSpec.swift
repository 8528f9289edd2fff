import Foundation

/// One question of a connector's Create connection panel, as declared in its connector file.
///
/// A field is plain data, in the spirit of rclone's `fs.Option` and n8n's `displayOptions`:
/// the form engine decides from it when the field is shown, how an answer is normalized and
/// checked, and what help the operator sees.
///
/// ```yaml
/// - id: poolId
///   label: Pool ID
///   kind: text
///   required: true
///   when: {field: apiType, equals: data-push}
///   normalize: [{extract: '/data-pool/([^/?#]+)'}]
/// ```
public struct FieldSpec: Hashable, Sendable, Codable {
    /// Stable id, used by flags (`--set poolId=…`), answers files, templates and the store.
    public var id: String
    public var label: String
    public var kind: FieldKind
    public var required: Bool
    public var `default`: FieldValue?
    public var placeholder: String?
    /// What the field is for and what to enter, in a sentence or two.
    public var help: String?
    public var howTo: HowTo?
    /// Choices of a `choice` or `multiChoice` field.
    public var options: [ChoiceOption]
    /// The checks on the answer, in file order; a rule with `when` applies only while its
    /// conditions hold. Written as one mapping or a list.
    public var validations: [Validation]
    /// The first rule that applies whatever the other answers are, if any.
    public var validate: Validation? { validations.first { $0.when.all.isEmpty } }

    /// The rules that apply when the earlier answers are `answer`.
    public func validations(_ answer: (String) -> FieldValue?) -> [Validation] {
        validations.filter { $0.when.holds(answer) }
    }
    public var normalize: [Normalizer]
    /// Shown only after the operator asks for advanced settings.
    public var advanced: Bool
    /// When the field is shown; answers of hidden fields are left out of the connection.
    public var when: ConditionSet
    /// For `connectionRef`: the connector ids whose connections may be chosen (any when empty).
    public var connectors: [String]
    /// For `connectionRef`: fields whose answers the chosen connection must share (the same
    /// org: `[accountType]`).
    public var matching: [String]
    /// Named pieces of the answer that templates may use as `{{id.name}}`, each made by
    /// normalizer steps: a Mailchimp key's data centre (`{after: "-"}`), a NetSuite account's
    /// host form. A part of a secret must narrow it (extract, after, before) and is not secret.
    public var parts: [String: [Normalizer]] = [:]

    /// The named part `name` of `value`, taken strictly (see `Normalizer.apply`); nil when the
    /// field declares no such part.
    public func derivedPart(_ name: String, of value: FieldValue) -> String? {
        guard let steps = parts[name] else { return nil }
        return Normalizer.apply(steps, to: value.text, strict: true)
    }

    public init(id: String, label: String, kind: FieldKind, required: Bool = false,
                default: FieldValue? = nil, placeholder: String? = nil, help: String? = nil,
                howTo: HowTo? = nil, options: [ChoiceOption] = [], validate: Validation? = nil,
                normalize: [Normalizer] = [], advanced: Bool = false, when: ConditionSet = ConditionSet(),
                connectors: [String] = [], matching: [String] = []) {
        self.matching = matching
        self.id = id
        self.label = label
        self.kind = kind
        self.required = required
        self.default = `default`
        self.placeholder = placeholder
        self.help = help
        self.howTo = howTo
        self.options = options
        self.validations = validate.map { [$0] } ?? []
        self.normalize = normalize
        self.advanced = advanced
        self.when = when
        self.connectors = connectors
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, label, kind, required, `default`, placeholder, help, howTo, options, validate,
             normalize, advanced, when, connectors, matching, parts
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        label = try c.decode(String.self, forKey: .label)
        let kindName = try c.decode(String.self, forKey: .kind)
        guard let kind = FieldKind(rawValue: kindName) else {
            let names = FieldKind.allCases.map(\.rawValue)
            let hint = NearestName.best(to: kindName, in: names).map { " (did you mean “\($0)”?)" } ?? ""
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription:
                "unknown field kind “\(kindName)”\(hint); expected one of: " + names.joined(separator: ", "))
        }
        self.kind = kind
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
        `default` = try c.decodeIfPresent(FieldValue.self, forKey: .default)
        placeholder = try c.decodeIfPresent(String.self, forKey: .placeholder)
        help = try c.decodeIfPresent(String.self, forKey: .help)
        howTo = try c.decodeIfPresent(HowTo.self, forKey: .howTo)
        options = try c.decodeIfPresent([ChoiceOption].self, forKey: .options) ?? []
        validations = try c.superDecoderIfPresent(forKey: .validate)?.oneOrMany(Validation.self) ?? []
        normalize = try c.decodeIfPresent([Normalizer].self, forKey: .normalize) ?? []
        advanced = try c.decodeIfPresent(Bool.self, forKey: .advanced) ?? false
        when = try c.decodeIfPresent(ConditionSet.self, forKey: .when) ?? ConditionSet()
        connectors = try c.decodeIfPresent([String].self, forKey: .connectors) ?? []
        matching = try c.decodeIfPresent([String].self, forKey: .matching) ?? []
        parts = try c.decodeIfPresent([String: [Normalizer]].self, forKey: .parts) ?? [:]
        if let clash = parts.keys.sorted().first(where: { name in kind.parts.contains { $0.id == name } }) {
            throw decoder.failure("part “\(clash)” is already a part of every \(kind.rawValue) answer; name it differently")
        }
        if let bad = parts.keys.sorted().first(where: { name in name.isEmpty || !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) }) {
            throw decoder.failure("part name “\(bad)” may hold only letters, digits and _")
        }
        if kind != .connectionRef, c.contains(.matching) {
            throw decoder.failure("matching applies to connectionRef fields only")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(label, forKey: .label)
        try c.encode(kind, forKey: .kind)
        try c.encode(required, forKey: .required)
        try c.encodeIfPresent(`default`, forKey: .default)
        try c.encodeIfPresent(placeholder, forKey: .placeholder)
        try c.encodeIfPresent(help, forKey: .help)
        try c.encodeIfPresent(howTo, forKey: .howTo)
        try c.encode(options, forKey: .options)
        try c.encode(validations, forKey: .validate)
        try c.encode(normalize, forKey: .normalize)
        try c.encode(advanced, forKey: .advanced)
        try c.encode(when, forKey: .when)
        try c.encode(connectors, forKey: .connectors)
        try c.encode(matching, forKey: .matching)
        if !parts.isEmpty { try c.encode(parts, forKey: .parts) }
    }

    /// The option with `value`, if any.
    public func option(_ value: String) -> ChoiceOption? { options.first { $0.value == value } }
}
