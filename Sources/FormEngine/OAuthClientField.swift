import ConnectorSchema

/// An OAuth 2.0 client: a client ID (shown) and a client secret (never shown), asked together;
/// or a stored client named by its name (`--set oauth2Client=NAME`), held as a reference
/// (`client` part) whose secret stays with the stored client.
struct OAuthClientField: FieldBehavior {
    /// The part of a reference to a stored client: its id in the store.
    static let referencePart = FieldPart.storedClientReference

    func parse(_ input: FieldInput, field: FieldSpec, in environment: FieldEnvironment) -> Result<FieldValue, FieldProblem> {
        let named = input[""].trimmingCharacters(in: .whitespaces)
        if !named.isEmpty, input["clientId"].isEmpty {
            let clients = environment.context.oauthClients
            guard let client = clients.first(where: { $0.name.lowercased() == named.lowercased() }) else {
                let known = clients.isEmpty ? "there are none yet (connwiz oauth-client add)" : "stored: " + clients.map(\.name).joined(separator: ", ")
                return .failure(FieldProblem(field: field.id, message: "no stored OAuth 2.0 client is named “\(named)”; \(known)"))
            }
            return .success(.parts([Self.referencePart: client.id, "clientId": client.clientId]))
        }
        let id = input["clientId"], secret = input["clientSecret"]
        if id.isEmpty { return .failure(FieldProblem(field: field.id, message: "\(field.label) needs a client ID")) }
        // `e` in the panel edits a stored client: the answer keeps naming it, with its new ID
        // and secret (none typed keeps the one the store holds), and the store updates the
        // client when the connection is saved.
        let edited = input[Self.referencePart]
        let editsStored = !edited.isEmpty && environment.context.oauthClients.contains(where: { $0.id == edited })
        if secret.isEmpty && !editsStored { return .failure(FieldProblem(field: field.id, message: "\(field.label) needs a client secret")) }
        if id.contains(where: \.isWhitespace) || secret.contains(where: \.isWhitespace) {
            return .failure(FieldProblem(field: field.id, message: "a client ID or secret has no spaces; copy it again"))
        }
        if editsStored {
            return .success(.parts(secret.isEmpty ? [Self.referencePart: edited, "clientId": id]
                                                  : [Self.referencePart: edited, "clientId": id, "clientSecret": secret]))
        }
        return .success(.parts(["clientId": id, "clientSecret": secret]))
    }

    func recheck(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> FieldProblem? {
        guard case .parts(let parts) = value else { return FieldProblem(field: field.id, message: "\(field.label) needs a client ID") }
        if let reference = parts[Self.referencePart], !reference.isEmpty {
            guard environment.context.oauthClients.contains(where: { $0.id == reference }) else {
                return FieldProblem(field: field.id, message: "the stored OAuth 2.0 client of \(field.label) no longer exists; choose another")
            }
            return nil
        }
        if (parts["clientId"] ?? "").isEmpty { return FieldProblem(field: field.id, message: "\(field.label) needs a client ID") }
        if (parts["clientSecret"] ?? "").isEmpty {
            return FieldProblem(field: field.id, message: "\(field.label) needs its client secret entered again")
        }
        return nil
    }

    var isNormalized: Bool { false }

    /// A blank or missing part keeps what was held (the client ID on edit), so only the secret
    /// needs typing again, at a prompt or with --secret oauth2Client.clientSecret.
    /// A secret given alone (`--secret FIELD.clientSecret=…`, no `clientId` part at all) for an
    /// answer that names a stored client changes that client's secret, as `e` does in the panel.
    func completing(_ input: FieldInput, held: FieldValue?, field: FieldSpec) -> FieldInput {
        guard case .parts(let parts)? = held, input[""].isEmpty else { return input }
        var completed = input
        if let reference = parts[Self.referencePart], !reference.isEmpty {
            guard input.parts["clientId"] == nil, input.parts[Self.referencePart] == nil, !input["clientSecret"].isEmpty else { return input }
            completed.parts[Self.referencePart] = reference
            completed.parts["clientId"] = parts["clientId"] ?? ""
            return completed
        }
        for part in field.kind.parts where (completed.parts[part.id] ?? "").isEmpty {
            completed.parts[part.id] = parts[part.id] ?? ""
        }
        return completed
    }

    func display(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> String {
        if let reference = value.part(Self.referencePart), !reference.isEmpty {
            let client = environment.context.oauthClients.first { $0.id == reference }
            return client.map { "“\($0.name)” (stored client \($0.clientId))" } ?? "(missing stored client)"
        }
        let id = value.part("clientId") ?? ""
        let secret = (value.part("clientSecret") ?? "").isEmpty ? "(secret not entered)" : "secret " + SecretField.mask
        return "\(id), \(secret)"
    }
}
