import ConnectorSchema

/// An OAuth 2.0 client: a client ID (shown) and a client secret (never shown), asked together.
struct OAuthClientField: FieldBehavior {
    func parse(_ input: FieldInput, field: FieldSpec, in environment: FieldEnvironment) -> Result<FieldValue, FieldProblem> {
        let id = input["clientId"], secret = input["clientSecret"]
        if id.isEmpty { return .failure(FieldProblem(field: field.id, message: "\(field.label) needs a client ID")) }
        if secret.isEmpty { return .failure(FieldProblem(field: field.id, message: "\(field.label) needs a client secret")) }
        if id.contains(where: \.isWhitespace) || secret.contains(where: \.isWhitespace) {
            return .failure(FieldProblem(field: field.id, message: "a client ID or secret has no spaces; copy it again"))
        }
        return .success(.parts(["clientId": id, "clientSecret": secret]))
    }

    func recheck(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> FieldProblem? {
        guard case .parts(let parts) = value else { return FieldProblem(field: field.id, message: "\(field.label) needs a client ID") }
        if (parts["clientId"] ?? "").isEmpty { return FieldProblem(field: field.id, message: "\(field.label) needs a client ID") }
        if (parts["clientSecret"] ?? "").isEmpty {
            return FieldProblem(field: field.id, message: "\(field.label) needs its client secret entered again")
        }
        return nil
    }

    var isNormalized: Bool { false }

    /// A blank or missing part keeps what was held (the client ID on edit), so only the secret
    /// needs typing again, at a prompt or with --secret oauth2Client.clientSecret.
    func completing(_ input: FieldInput, held: FieldValue?, field: FieldSpec) -> FieldInput {
        guard case .parts(let parts)? = held else { return input }
        var completed = input
        for part in field.kind.parts where (completed.parts[part.id] ?? "").isEmpty {
            completed.parts[part.id] = parts[part.id] ?? ""
        }
        return completed
    }

    func display(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> String {
        let id = value.part("clientId") ?? ""
        let secret = (value.part("clientSecret") ?? "").isEmpty ? "(secret not entered)" : "secret " + SecretField.mask
        return "\(id), \(secret)"
    }
}
