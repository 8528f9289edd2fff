import ConnectorSchema

/// A whole number within the field's range.
struct NumberField: FieldBehavior {
    func parse(_ input: FieldInput, field: FieldSpec, in environment: FieldEnvironment) -> Result<FieldValue, FieldProblem> {
        let text = input[""]
        let range = rangeText(field)
        guard let number = Int(text) else {
            return .failure(FieldProblem(field: field.id, message: "\(field.label) must be a whole number\(range)"))
        }
        return check(number, field: field).map { .failure($0) } ?? .success(.number(number))
    }

    func recheck(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> FieldProblem? {
        guard case .number(let number) = value else {
            return FieldProblem(field: field.id, message: "\(field.label) must be a whole number\(rangeText(field))")
        }
        return check(number, field: field)
    }

    func check(_ number: Int, field: FieldSpec) -> FieldProblem? {
        let min = field.validate?.min, max = field.validate?.max
        if let min, number < min {
            return FieldProblem(field: field.id, message: "\(field.label) must be at least \(min)\(rangeText(field)); got \(number)")
        }
        if let max, number > max {
            return FieldProblem(field: field.id, message: "\(field.label) must be at most \(max)\(rangeText(field)); got \(number)")
        }
        return nil
    }

    func rangeText(_ field: FieldSpec) -> String {
        switch (field.validate?.min, field.validate?.max) {
        case let (min?, max?): return " (\(min)–\(max))"
        case let (min?, nil): return " (\(min) or more)"
        case let (nil, max?): return " (up to \(max))"
        default: return ""
        }
    }
}
