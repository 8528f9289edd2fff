import FormEngine

/// A field answered from a list: one option (`choice`), any number ticked with Space
/// (`multiChoice`), or a saved connection (`connectionRef`). A digit picks the row of that
/// number, as in the line prompts; every key acts, none is typed.
struct ChoiceFieldWidget: FieldWidget {
    private(set) var list: ChoiceList
    /// Why nothing can be picked, shown over an empty list of saved connections.
    let whyNone: String?

    static let tickKey = KeyBinding<FieldWidgetAction>([.character(" ")], "tick", action: .toggle)

    var keymap: Keymap<FieldWidgetAction> { Keymap(ChoiceList.moveKeys + (list.ticks ? [Self.tickKey] : [])) }
    var keysLead: Bool { false }
    var takesText: Bool { false }
    func keyActs(_ key: Key) -> Bool { true }

    var input: FieldInput { FieldInput(list.ticks ? list.tickedValues : list.picked) }

    mutating func handle(_ key: Key) -> FieldWidgetResult {
        switch keymap.action(for: key) {
        case .up: list.moveUp()
        case .down: list.moveDown()
        case .toggle: list.toggleHighlighted()
        case .reveal, .useExample, .nextPart, .newClient, .editClient: break
        case nil:
            if key == .enter { return .submitted }
            // A digit picks the option of that number (in a multi-choice, ticks it).
            guard case .character(let character) = key, let number = character.wholeNumberValue, list.highlight(number: number) else { break }
            guard list.ticks else { return .submitted }
            list.toggleHighlighted()
        }
        return .kept
    }

    mutating func draw(into buffer: inout CellBuffer, left: Int, width: Int, row: inout Int) {
        if list.rows.isEmpty, let whyNone { row = buffer.putWrapped(whyNone + ".", left: left, width: width, row: row, tone: .dim) }
        list.draw(into: &buffer, left: left, width: width, row: &row)
    }

    var refusal: String? { nil }
}
