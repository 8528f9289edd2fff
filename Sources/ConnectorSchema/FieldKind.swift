import Foundation

/// What sort of answer a field takes; decides how it is asked, checked, shown and stored.
public enum FieldKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// One line of text.
    case text
    /// A credential: asked with echo off, shown as dots, sealed at rest, redacted in logs.
    case secret
    /// One of the field's `options`.
    case choice
    /// Any number of the field's `options`.
    case multiChoice
    /// A whole number, within `validate.min`/`validate.max`.
    case number
    /// An absolute http or https URL.
    case url
    /// Another saved connection (for example "Borrow concurrency from").
    case connectionRef
    /// An OAuth 2.0 client: a client ID and a client secret, asked together.
    case oauthClient

    /// The parts of an answer of this kind: one unnamed part for most kinds, two for a client.
    public var parts: [FieldPart] {
        switch self {
        case .oauthClient:
            return [FieldPart(id: "clientId", label: "Client ID", isSecret: false),
                    FieldPart(id: "clientSecret", label: "Client secret", isSecret: true)]
        case .secret:
            return [FieldPart(id: "", label: "", isSecret: true)]
        case .text, .choice, .multiChoice, .number, .url, .connectionRef:
            return [FieldPart(id: "", label: "", isSecret: false)]
        }
    }

    /// Whether the answer holds a secret anywhere.
    public var holdsSecret: Bool { parts.contains(where: \.isSecret) }

    /// Whether the answer is picked from `options`.
    public var hasOptions: Bool { self == .choice || self == .multiChoice }

    /// Whether the answer is picked from a list: its options, or saved connections.
    public var isPickedFromList: Bool { hasOptions || self == .connectionRef }
}

/// One part of a field's answer. Most fields have a single unnamed part (`id` is empty).
public struct FieldPart: Hashable, Sendable {
    public var id: String
    public var label: String
    public var isSecret: Bool

    /// How flags and templates name this part of `field`: `token`, `oauth2Client.clientSecret`.
    public func key(in field: String) -> String { id.isEmpty ? field : field + "." + id }

    /// The part of an OAuth 2.0 client answer that names a stored client (its id in the
    /// store) instead of giving an ID and a secret: the one spelling the engine, the store and
    /// the panel share.
    public static let storedClientReference = "client"
}
