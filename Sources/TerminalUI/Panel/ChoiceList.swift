import ConnectorSchema
import FormEngine

/// A highlighted list to pick from, numbered as the line prompts number it: a field's options,
/// saved connections, stored OAuth 2.0 clients. It scrolls to keep the highlight in view, and
/// in a multi-choice list rows are ticked.
struct ChoiceList: Sendable {
    let rows: [PickOption]
    /// Whether rows are ticked (`[x]`), any number of them, rather than one picked.
    let ticks: Bool
    private(set) var highlight = 0
    private(set) var ticked: Set<String> = []
    /// The first row shown of a long list.
    private var scroll = 0

    /// The keys that move the highlight.
    static let moveKeys: [KeyBinding<FieldWidgetAction>] = [
        KeyBinding([.up], "choose", label: "↑↓", action: .up),
        KeyBinding([.down], "down", action: .down, pairedWithPrevious: true),
    ]

    /// A list with the answer held (`current`) highlighted and, in a multi-choice, ticked.
    init(rows: [PickOption], ticks: Bool, current: FieldValue?, highlight: Int = 0) {
        self.rows = rows
        self.ticks = ticks
        self.highlight = highlight
        if case .list(let values)? = current { ticked = Set(values) }
        if let current = current?.text, let index = rows.firstIndex(where: { $0.value == current }) { self.highlight = index }
    }

    /// The value of the highlighted row; "" when the list is empty.
    var picked: String { rows.indices.contains(highlight) ? rows[highlight].value : "" }

    /// The ticked values in the list's order, comma separated, as the engine takes them.
    var tickedValues: String { rows.map(\.value).filter(ticked.contains).joined(separator: ",") }

    mutating func moveUp() { highlight = max(0, highlight - 1) }
    mutating func moveDown() { highlight = min(max(0, rows.count - 1), highlight + 1) }

    /// Highlights the row numbered `number` (from 1); false when there is none.
    mutating func highlight(number: Int) -> Bool {
        guard rows.indices.contains(number - 1) else { return false }
        highlight = number - 1
        return true
    }

    /// Ticks or unticks the highlighted row.
    mutating func toggleHighlighted() {
        guard rows.indices.contains(highlight) else { return }
        let value = rows[highlight].value
        if ticked.contains(value) { ticked.remove(value) } else { ticked.insert(value) }
    }

    /// The rows that fit above the key line, then what the highlighted row means.
    mutating func draw(into buffer: inout CellBuffer, left: Int, width: Int, row: inout Int) {
        let room = max(1, buffer.height - 5 - row)
        scroll = ScreenLayout.scroll(scroll, keeping: highlight, height: room)
        for (index, choice) in rows.enumerated().dropFirst(scroll).prefix(room) {
            let selected = index == highlight
            if selected { buffer.fill(row: row, column: left, count: width, tone: .selected) }
            let box = ticks ? (ticked.contains(choice.value) ? "[x] " : "[ ] ") : ""
            if selected { buffer.put("›", row: row, column: left, tone: .selected) }
            buffer.put(DisplayWidth.truncate("\(index + 1)) \(box)\(choice.label)", to: width - 2), row: row, column: left + 2,
                       tone: selected ? .selected : .normal)
            row += 1
        }
        // What the highlighted option means, as the browser shows on hover.
        if rows.indices.contains(highlight), let help = rows[highlight].help {
            row = buffer.putWrapped(help, left: left + 2, width: width - 2, row: row + 1, tone: .dim)
        }
    }
}
