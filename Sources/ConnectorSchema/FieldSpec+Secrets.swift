/// Which parts of a field's answer are secret, in one place for the engine, the store and the
/// command line, which must all agree on what never leaves memory in the clear.
extension FieldSpec {
    /// Whether `key` (`token`, `oauth2Client.clientSecret`) names a secret part of this field.
    public func isSecret(key: String) -> Bool {
        kind.parts.contains { $0.key(in: id) == key && $0.isSecret }
    }

    /// The answer without its secret parts: nil for a secret field, the client ID alone for an
    /// OAuth 2.0 client, the value itself otherwise.
    public func withoutSecrets(_ value: FieldValue) -> FieldValue? {
        guard kind.holdsSecret else { return value }
        guard case .parts(let parts) = value else { return nil }
        let secretParts = Set(kind.parts.filter(\.isSecret).map(\.id))
        let kept = parts.filter { part, _ in !secretParts.contains(part) }
        return kept.isEmpty ? nil : .parts(kept)
    }
}

extension ConnectorSchema {
    /// The non-empty secret answers and secret parts in `values`, in field order: what a
    /// redactor must hide when these answers are sent.
    public func secretTexts(in values: [String: FieldValue]) -> [String] {
        var secrets: [String] = []
        for field in fields {
            guard let value = values[field.id] else { continue }
            for part in field.kind.parts where part.isSecret {
                if let text = value.part(part.id), !text.isEmpty { secrets.append(text) }
            }
        }
        return secrets
    }

    /// Whether `key` names a secret field or a secret part of a field of this connector.
    public func isSecret(key: String) -> Bool {
        field(Template.fieldID(of: key))?.isSecret(key: key) ?? false
    }
}
