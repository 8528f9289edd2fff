import ConnectorSchema

/// How a field is asked, in front-end terms (after rclone's `fs.Option`): typed into a line per
/// part, picked from a list, or a stored OAuth 2.0 client picked or a new one typed. Front ends
/// switch over these few shapes instead of over every `FieldKind`, so a new kind asked like an
/// existing one needs no front-end change.
public enum FieldShape: Hashable, Sendable {
    /// Typed, a line per part; a secret part is read without echo and shown as dots.
    /// `wholeNumber` when the answer is a whole number (`validate.min`/`max` bound it).
    case typed(parts: [FieldPart], wholeNumber: Bool)
    /// One of `options`, or any number of them when `many`, picked by number or name.
    case pick(options: [PickOption], many: Bool, source: PickSource)
    /// A stored OAuth 2.0 client picked by name, or a new client typed in `parts`.
    case pickOrCreate(stored: [FormContext.SavedOAuthClient], parts: [FieldPart])

    /// Whether anything typed into the field is hidden (a secret, a client secret).
    public var hidesTyping: Bool {
        switch self {
        case .typed(let parts, _), .pickOrCreate(_, let parts): return parts.contains(where: \.isSecret)
        case .pick: return false
        }
    }
}

/// One row of a pick list: the value the engine is given, the label shown, what it means.
public struct PickOption: Hashable, Sendable {
    public var value: String
    public var label: String
    public var help: String?

    public init(value: String, label: String, help: String? = nil) {
        self.value = value
        self.label = label
        self.help = help
    }
}

/// Where a pick list's rows come from, which says what an empty list means.
public enum PickSource: Hashable, Sendable {
    /// The field's own options, from its connector file.
    case options
    /// Saved connections; `whyNone` says why none can be picked, when the list is empty.
    case savedConnections(whyNone: String?)
}

extension FormState {
    /// How `field` is asked with the current answers: its parts, or what it offers now (the
    /// options the answers above allow, the saved connections it may point to, the stored
    /// clients). The one switch over `FieldKind` front ends rely on.
    public func shape(of field: FieldSpec) -> FieldShape {
        switch field.kind {
        case .text, .secret, .url:
            return .typed(parts: field.kind.parts, wholeNumber: false)
        case .number:
            return .typed(parts: field.kind.parts, wholeNumber: true)
        case .choice, .multiChoice:
            let offered = options(of: field).map { PickOption(value: $0.value, label: $0.label, help: $0.help) }
            return .pick(options: offered, many: field.kind == .multiChoice, source: .options)
        case .connectionRef:
            let saved = choices(for: field).map { PickOption(value: $0.id, label: $0.name) }
            return .pick(options: saved, many: false, source: .savedConnections(whyNone: saved.isEmpty ? noChoicesReason(for: field) : nil))
        case .oauthClient:
            return .pickOrCreate(stored: context.oauthClients, parts: field.kind.parts)
        }
    }
}
