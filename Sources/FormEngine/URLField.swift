import ConnectorSchema
import Foundation

/// An absolute http or https address with a host.
struct URLField: FieldBehavior {
    func parse(_ input: FieldInput, field: FieldSpec, in environment: FieldEnvironment) -> Result<FieldValue, FieldProblem> {
        let text = input[""]
        let example = field.placeholder.map { ", such as \($0)" } ?? ""
        guard !text.contains(where: \.isWhitespace),
              let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = components.host, !host.isEmpty else {
            return .failure(FieldProblem(field: field.id, message: "\(field.label) must be a full address starting with https://\(example)"))
        }
        if components.user != nil || components.password != nil {
            return .failure(FieldProblem(field: field.id, message: "\(field.label) must not hold a user name or password; put credentials in their own fields"))
        }
        if let problem = checkText(text, field: field, rules: environment.validations) { return .failure(problem) }
        return .success(.string(text))
    }

    /// A held address is checked again: a rule with `when` may apply once an earlier answer changes.
    func recheck(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> FieldProblem? {
        if case .failure(let problem) = parse(FieldInput(value.text), field: field, in: environment) { return problem }
        return nil
    }
}
