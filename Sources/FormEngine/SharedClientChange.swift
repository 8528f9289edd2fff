import ConnectorSchema

/// A change this form makes to a stored OAuth 2.0 client that other saved connections use too:
/// saving it changes their client as well, so every front end names them and asks first.
public struct SharedClientChange: Hashable, Sendable {
    /// The stored client's name.
    public var client: String
    /// The other connections that name it, by name, sorted.
    public var others: [String]
    /// What changes: its secret, its client ID, or both.
    public var changesSecret: Bool
    public var changesClientID: Bool

    /// "its secret", "its client ID", "its client ID and secret".
    public var what: String {
        switch (changesClientID, changesSecret) {
        case (true, true): return "its client ID and secret"
        case (true, false): return "its client ID"
        case (false, true), (false, false): return "its secret"
        }
    }

    /// “A”, “B” and “C”.
    public var othersListed: String {
        let quoted = others.map { "“\($0)”" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " and " + quoted.last!
    }

    /// The sentence every front end starts its question with.
    public var sentence: String {
        "The stored client “\(client)” is also used by \(othersListed): saving changes \(what) for "
            + (others.count == 1 ? "it" : "them") + " too."
    }
}

extension FormContext {
    /// The saved connections whose answers name the stored client `id`, but the one edited.
    public func users(ofClient id: String) -> [SavedConnection] {
        savedConnections.filter { saved in
            saved.id != editedID && saved.values.values.contains { $0.part(OAuthClientField.referencePart) == id }
        }
    }
}

extension FormState {
    /// The first shown OAuth 2.0 client answer that changes a stored client other connections
    /// use (a new secret, or another client ID), nil when there is none.
    public var sharedClientChange: SharedClientChange? {
        for field in visibleFields where field.kind == .oauthClient {
            guard case .parts(let parts)? = value(of: field.id), let reference = parts[OAuthClientField.referencePart],
                  !reference.isEmpty, let client = context.oauthClients.first(where: { $0.id == reference }) else { continue }
            let changesSecret = !(parts["clientSecret"] ?? "").isEmpty
            let changesClientID = (parts["clientId"] ?? client.clientId) != client.clientId
            guard changesSecret || changesClientID else { continue }
            let others = context.users(ofClient: reference).map(\.name).sorted()
            guard !others.isEmpty else { continue }
            return SharedClientChange(client: client.name, others: others, changesSecret: changesSecret, changesClientID: changesClientID)
        }
        return nil
    }
}
