import ConnectorSchema

/// Any number of the offered options, separated by commas or spaces, kept in option order.
struct MultiChoiceField: FieldBehavior {
    func parse(_ input: FieldInput, field: FieldSpec, in environment: FieldEnvironment) -> Result<FieldValue, FieldProblem> {
        let words = input[""].split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        var chosen = Set<String>()
        for word in words {
            guard let option = ChoiceField.match(word, in: environment.options) else {
                return .failure(ChoiceField().unknown(word, field: field, environment: environment))
            }
            chosen.insert(option.value)
        }
        return .success(.list(environment.options.map(\.value).filter(chosen.contains)))
    }

    func recheck(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> FieldProblem? {
        guard case .list(let items) = value else { return FieldProblem(field: field.id, message: "\(field.label) must be a list") }
        let offered = Set(environment.options.map(\.value))
        if let missing = items.first(where: { !offered.contains($0) }) {
            return FieldProblem(field: field.id, message: "“\(missing)” is not offered with the answers above")
        }
        return nil
    }

    func display(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> String {
        guard case .list(let items) = value else { return value.text }
        return items.joined(separator: ", ")
    }
}
