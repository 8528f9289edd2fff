import ConnectorSchema
import Foundation

/// What the engine knows while checking one answer.
public struct FieldEnvironment: Sendable {
    /// The options of a choice field that are offered with the current answers.
    public var options: [ChoiceOption]
    /// Saved connections a `connectionRef` field may point to.
    public var connections: [FormContext.SavedConnection]
    public var context: FormContext
    /// The field's `validate` rules that apply with the current answers (a rule's `when`
    /// sees the earlier fields as visibility does).
    public var validations: [Validation] = []
}

/// How one kind of field turns typed text into a value and a value into display text.
/// One conforming type per `FieldKind`, each in its own file.
protocol FieldBehavior: Sendable {
    /// Parses non-blank input, already trimmed and normalized, into a value or a message.
    func parse(_ input: FieldInput, field: FieldSpec, in environment: FieldEnvironment) -> Result<FieldValue, FieldProblem>
    /// Rechecks a value held from before (answers change what is offered).
    func recheck(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> FieldProblem?
    /// The value as the operator may see it.
    func display(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> String
    /// Whether input goes through the field's normalizers (secrets are only trimmed: a
    /// credential is taken exactly as pasted).
    var isNormalized: Bool { get }
    /// The input with what it leaves blank filled from the answer held (an OAuth client's ID
    /// on edit, so only its secret is typed again).
    func completing(_ input: FieldInput, held: FieldValue?, field: FieldSpec) -> FieldInput
}

extension FieldBehavior {
    func recheck(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> FieldProblem? { nil }
    func display(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> String { value.text }
    var isNormalized: Bool { true }
    func completing(_ input: FieldInput, held: FieldValue?, field: FieldSpec) -> FieldInput { input }
}

extension FieldKind {
    /// The behaviour of this kind.
    var behavior: any FieldBehavior {
        switch self {
        case .text: return TextField()
        case .secret: return SecretField()
        case .choice: return ChoiceField()
        case .multiChoice: return MultiChoiceField()
        case .number: return NumberField()
        case .url: return URLField()
        case .connectionRef: return ConnectionRefField()
        case .oauthClient: return OAuthClientField()
        }
    }
}

extension FieldSpec {
    /// "is required" with the field's own label, for messages.
    var missingMessage: String { "\(label) is required" }
}

/// Checks text against the `validate` rules that apply, in order; nil when it passes.
func checkText(_ text: String, field: FieldSpec, rules: [Validation]) -> FieldProblem? {
    rules.lazy.compactMap { checkText(text, field: field, rule: $0) }.first
}

/// Checks text against one `validate` rule; nil when it passes.
func checkText(_ text: String, field: FieldSpec, rule rules: Validation) -> FieldProblem? {
    let count = text.count
    if let min = rules.minLength, count < min {
        return FieldProblem(field: field.id, message: "\(field.label) needs at least \(min) characters (has \(count))")
    }
    if let max = rules.maxLength, count > max {
        return FieldProblem(field: field.id, message: "\(field.label) may have at most \(max) characters (has \(count))")
    }
    if let pattern = rules.pattern, !RegexCache.shared.wholeMatch(pattern, text) {
        return FieldProblem(field: field.id, message: rules.message ?? "\(field.label) is not in the expected form")
    }
    return nil
}

/// Applies a field's normalizers to trimmed text.
func normalize(_ text: String, with normalizers: [Normalizer]) -> String {
    Normalizer.apply(normalizers, to: text)
}
