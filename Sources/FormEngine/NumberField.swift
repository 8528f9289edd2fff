import ConnectorSchema

/// A whole number within the field's range.
struct NumberField: FieldBehavior {
    func parse(_ input: FieldInput, field: FieldSpec, in environment: FieldEnvironment) -> Result<FieldValue, FieldProblem> {
        let text = input[""]
        let range = rangeText(environment.validations)
        guard let number = Int(text) else {
            return .failure(FieldProblem(field: field.id, message: "\(field.label) must be a whole number\(range)"))
        }
        return check(number, field: field, rules: environment.validations).map { .failure($0) } ?? .success(.number(number))
    }

    func recheck(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> FieldProblem? {
        guard case .number(let number) = value else {
            return FieldProblem(field: field.id, message: "\(field.label) must be a whole number\(rangeText(environment.validations))")
        }
        return check(number, field: field, rules: environment.validations)
    }

    func check(_ number: Int, field: FieldSpec, rules: [Validation]) -> FieldProblem? {
        let (min, max) = bounds(rules)
        if let min, number < min {
            return FieldProblem(field: field.id, message: "\(field.label) must be at least \(min)\(rangeText(rules)); got \(number)")
        }
        if let max, number > max {
            return FieldProblem(field: field.id, message: "\(field.label) must be at most \(max)\(rangeText(rules)); got \(number)")
        }
        return nil
    }

    /// The tightest bounds of the rules that apply.
    func bounds(_ rules: [Validation]) -> (min: Int?, max: Int?) {
        (rules.compactMap(\.min).max(), rules.compactMap(\.max).min())
    }

    func rangeText(_ rules: [Validation]) -> String {
        switch bounds(rules) {
        case let (min?, max?): return " (\(min)–\(max))"
        case let (min?, nil): return " (\(min) or more)"
        case let (nil, max?): return " (up to \(max))"
        default: return ""
        }
    }
}
