import ConnectorSchema

/// One line of text, checked against the field's pattern and lengths.
struct TextField: FieldBehavior {
    func parse(_ input: FieldInput, field: FieldSpec, in environment: FieldEnvironment) -> Result<FieldValue, FieldProblem> {
        let text = input[""]
        if text.contains(where: \.isNewline) {
            return .failure(FieldProblem(field: field.id, message: "\(field.label) must be a single line"))
        }
        if let problem = checkText(text, field: field, rules: environment.validations) { return .failure(problem) }
        // The file is looked at when the answer is given, not on every recheck.
        if let requirement = environment.validations.lazy.compactMap(\.file).first, let why = environment.context.files.problem(with: text, requirement) {
            return .failure(FieldProblem(field: field.id, message: why))
        }
        if field.id == ConnectorSchema.nameField && environment.context.isTaken(text) {
            return .failure(FieldProblem(field: field.id, message: "a connection named “\(text)” already exists; choose another name"))
        }
        return .success(.string(text))
    }

    func recheck(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> FieldProblem? {
        var pure = environment
        pure.context.files = .none
        if case .failure(let problem) = parse(FieldInput(value.text), field: field, in: pure) { return problem }
        return nil
    }
}
