import ConnectorSchema
import FormEngine

/// One field's way of being answered on the Create connection panel, a type per way (after
/// charmbracelet huh's `field_*.go`): it holds what is typed or picked, turns its keys into
/// edits, draws itself and names its keys. The panel around it keeps what every field shares:
/// Enter handing the answer to the engine, Esc, the how-to steps, the problem line.
protocol FieldWidget: Sendable {
    /// The widget's own keys, in the key line's order; they join the panel's field keys.
    var keymap: Keymap<FieldWidgetAction> { get }
    /// Whether its keys come first in the key line, right after Enter (picking a stored
    /// client: where the line is short, `+` and `e` stay).
    var keysLead: Bool { get }
    /// Whether text is typed into it; in a list a character picks, or does nothing.
    var takesText: Bool { get }
    /// Whether `key` acts here (moves, picks, submits) rather than being typed: the run loop
    /// ignores acting keys typed ahead of a step change.
    func keyActs(_ key: Key) -> Bool
    /// The answer as it stands, for the engine.
    var input: FieldInput { get }
    /// Applies a key the panel does not take itself, Enter included.
    mutating func handle(_ key: Key) -> FieldWidgetResult
    /// Draws the widget in `width` columns from `left`, from `row` on; `row` ends below it.
    mutating func draw(into buffer: inout CellBuffer, left: Int, width: Int, row: inout Int)
    /// Why typed text was cut short, shown in place of the field's problem.
    var refusal: String? { get }
}

/// What the keys of a field widget do; Enter, Esc, F1–F3 and Ctrl-C are the panel's.
enum FieldWidgetAction: Hashable, Sendable {
    case reveal, useExample, nextPart, up, down, toggle, newClient, editClient
}

/// What a key did to a field widget.
enum FieldWidgetResult: Hashable, Sendable {
    /// Nothing the panel follows: a move, a tick, a key that means nothing here.
    case kept
    /// The typed answer changed: from now on the live check judges it.
    case edited
    /// The answer is given: the panel hands it to the engine.
    case submitted
}

/// The widget that asks `field` as the engine shapes it now: the one place a shape of
/// asking meets a widget type.
func makeFieldWidget(for field: FieldSpec, in form: FormState) -> any FieldWidget {
    let value = form.value(of: field.id)
    switch form.shape(of: field) {
    case .typed(let parts, let wholeNumber):
        var hint: String?
        if wholeNumber, let validation = field.validate, let low = validation.min, let high = validation.max {
            hint = "A whole number from \(low) to \(high)."
        }
        return TypedFieldWidget(parts: parts, texts: parts.map { $0.isSecret ? "" : value?.part($0.id) ?? "" }, example: field.placeholder,
                                hint: hint, kept: TypedFieldWidget.keptSecrets(of: parts, held: form.answers[field.id]))
    case .pick(let options, let many, let source):
        var rows = options
        // An optional single choice can be left empty: its first row says so.
        if !many, !field.required, field.default == nil, !rows.isEmpty { rows.insert(PickOption(value: "", label: "(none)"), at: 0) }
        var whyNone: String?
        if case .savedConnections(let reason) = source { whyNone = reason }
        return ChoiceFieldWidget(list: ChoiceList(rows: rows, ticks: many, current: value), whyNone: whyNone)
    case .pickOrCreate(let stored, let parts):
        return OAuthClientWidget(stored: stored, parts: parts, example: field.placeholder, context: form.context, value: value,
                                 held: form.answers[field.id])
    }
}
