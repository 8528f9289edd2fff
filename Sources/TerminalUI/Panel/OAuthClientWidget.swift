import ConnectorSchema
import FormEngine

/// An OAuth 2.0 client field: the stored clients to pick from (Enter uses the highlighted one,
/// `+` types a new client, `e` changes the highlighted one's ID and secret in place), or the
/// client's typed parts. It starts typing when no client is stored, or an inline one is held.
struct OAuthClientWidget: FieldWidget {
    let stored: [FormContext.SavedOAuthClient]
    /// Who else uses a stored client, named while it is changed.
    let context: FormContext
    /// The answer given earlier in this form, whose secret an empty editor keeps.
    let held: FieldValue?
    /// Whether the stored clients are shown to pick from (else the parts are typed).
    private(set) var picking: Bool
    private(set) var list: ChoiceList
    private(set) var typing: TypedFieldWidget
    /// The stored client whose ID and secret are being changed (`e`).
    private(set) var editing: FormContext.SavedOAuthClient?

    static let clientKeys: [KeyBinding<FieldWidgetAction>] = [
        KeyBinding([.character("+")], "new client", label: "+", action: .newClient),
        KeyBinding([.character("e")], "edit client", action: .editClient),
    ]

    init(stored: [FormContext.SavedOAuthClient], parts: [FieldPart], example: String?, context: FormContext, value: FieldValue?, held: FieldValue?) {
        self.stored = stored
        self.context = context
        self.held = held
        let reference = value?.part(FieldPart.storedClientReference)
        // Stored clients are offered first, unless an inline client is being held.
        picking = !stored.isEmpty && (value == nil || !(reference ?? "").isEmpty)
        let rows = stored.map { PickOption(value: $0.name, label: "\($0.name) (client ID \($0.clientId))") }
        list = ChoiceList(rows: rows, ticks: false, current: picking ? value : nil, highlight: stored.firstIndex { $0.id == reference } ?? 0)
        typing = TypedFieldWidget(parts: parts, texts: parts.map { $0.isSecret ? "" : value?.part($0.id) ?? "" }, example: example,
                                  kept: TypedFieldWidget.keptSecrets(of: parts, held: held))
    }

    var keymap: Keymap<FieldWidgetAction> { picking ? Keymap(ChoiceList.moveKeys + Self.clientKeys) : typing.keymap }
    var keysLead: Bool { picking }
    var takesText: Bool { !picking }
    func keyActs(_ key: Key) -> Bool { picking || typing.keyActs(key) }

    var input: FieldInput {
        if picking { return FieldInput(list.picked) }
        var input = typing.input
        if let editing { input.parts[FieldPart.storedClientReference] = editing.id }
        return input
    }

    mutating func handle(_ key: Key) -> FieldWidgetResult {
        guard picking else { return typing.handle(key) }
        switch keymap.action(for: key) {
        case .up: list.moveUp()
        case .down: list.moveDown()
        case .newClient:
            picking = false
            typing = TypedFieldWidget(parts: typing.parts, texts: typing.parts.map { _ in "" }, example: typing.example,
                                      kept: TypedFieldWidget.keptSecrets(of: typing.parts, held: held))
        case .editClient:
            guard stored.indices.contains(list.highlight) else { break }
            let client = stored[list.highlight]
            picking = false
            editing = client
            // The ID is filled in; the secret, kept unless typed, is the part to type.
            let parts = typing.parts
            typing = TypedFieldWidget(parts: parts, texts: parts.map { $0.isSecret ? "" : client.clientId }, example: typing.example,
                                      kept: parts.map(\.isSecret), part: parts.count > 1 ? 1 : 0)
        case .reveal, .useExample, .nextPart, .toggle: break
        case nil:
            if key == .enter { return .submitted }
            // A digit picks the client of that number, as in a choice list.
            if case .character(let character) = key, let number = character.wholeNumberValue, list.highlight(number: number) { return .submitted }
        }
        return .kept
    }

    mutating func draw(into buffer: inout CellBuffer, left: Int, width: Int, row: inout Int) {
        if picking {
            list.draw(into: &buffer, left: left, width: width, row: &row)
            row = buffer.putWrapped("Stored clients, shared by every connection that names them. + types a new client; e changes the highlighted one's ID and secret.",
                                    left: left, width: width, row: row + 1, tone: .dim)
            return
        }
        if let editing {
            let others = context.users(ofClient: editing.id).map { "“\($0.name)”" }
            row = buffer.putWrapped("Changing the stored client “\(editing.name)”"
                                    + (others.isEmpty ? "." : ", also used by " + others.joined(separator: ", ") + ": saving changes it for them too."),
                                    left: left, width: width, row: row, tone: .strong) + 1
        }
        typing.draw(into: &buffer, left: left, width: width, row: &row)
    }

    var refusal: String? { picking ? nil : typing.refusal }
}
