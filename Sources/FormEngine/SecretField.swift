import ConnectorSchema

/// A credential. Parsed like text but never displayed: the display is a fixed row of dots that
/// does not even reveal the secret's length.
struct SecretField: FieldBehavior {
    static let mask = "••••••"

    func parse(_ input: FieldInput, field: FieldSpec, in environment: FieldEnvironment) -> Result<FieldValue, FieldProblem> {
        let text = input[""]
        if text.contains(where: \.isNewline) {
            return .failure(FieldProblem(field: field.id, message: "\(field.label) must be a single line"))
        }
        if let problem = checkText(text, field: field, rules: environment.validations) { return .failure(problem) }
        return .success(.string(text))
    }

    /// A held secret is checked again: a rule with `when` may apply once an earlier answer
    /// changes (the key of a test mode, after switching to live).
    func recheck(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> FieldProblem? {
        checkText(value.text, field: field, rules: environment.validations)
    }

    func display(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> String { Self.mask }

    var isNormalized: Bool { false }
}
