import ConnectorSchema

/// Another saved connection, given by name (ignoring case) or by its number in the list.
/// The stored value is the connection's id, so a later rename does not break the link.
struct ConnectionRefField: FieldBehavior {
    func parse(_ input: FieldInput, field: FieldSpec, in environment: FieldEnvironment) -> Result<FieldValue, FieldProblem> {
        let text = input[""]
        let choices = environment.connections
        let wanted = text.lowercased()
        if let saved = choices.first(where: { $0.name.lowercased() == wanted || $0.id == text }) {
            return .success(.string(saved.id))
        }
        if let position = Int(text), choices.indices.contains(position - 1) {
            return .success(.string(choices[position - 1].id))
        }
        if let other = environment.context.savedConnections.first(where: { $0.name.lowercased() == wanted || $0.id == text }) {
            let context = environment.context
            let why: String
            if other.id == context.editedID {
                why = "\(field.label) cannot name the connection itself"
            } else if context.leadsBack(from: other, through: field.id) {
                why = "“\(other.name)” leads back to this connection through \(field.label), so that would be a cycle"
            } else if !field.connectors.isEmpty && !field.connectors.contains(other.connectorID) {
                why = "“\(other.name)” is a \(other.connectorID) connection; \(field.label) takes one of \(field.connectors.joined(separator: ", "))"
            } else {
                why = "“\(other.name)” is not for the same org (\(field.matching.joined(separator: ", ")) differs)"
            }
            return .failure(FieldProblem(field: field.id, message: why))
        }
        let names = choices.map(\.name)
        let message = names.isEmpty
            ? "there is no saved connection \(field.connectors.isEmpty ? "" : "of \(field.connectors.joined(separator: ", ")) ")to choose; leave \(field.label) empty"
            : "no saved connection is named “\(text)”; choose one of: " + names.joined(separator: ", ")
        return .failure(FieldProblem(field: field.id, message: message))
    }

    func recheck(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> FieldProblem? {
        if environment.connections.contains(where: { $0.id == value.text }) { return nil }
        return FieldProblem(field: field.id, message: "the connection chosen for \(field.label) no longer exists; choose another or leave it empty")
    }

    func display(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> String {
        environment.context.savedConnections.first { $0.id == value.text }?.name ?? "(missing connection \(value.text))"
    }
}
