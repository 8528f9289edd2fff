import FormEngine

/// The review of the Create connection panel: every shown field with its answer or its
/// problem, one highlighted (Enter opens it), and the actions on offer under them.
struct ReviewStep: Sendable {
    private(set) var highlight = 0
    /// The first field shown of a long review.
    private var scroll = 0

    init(highlight: Int = 0) { self.highlight = highlight }

    mutating func moveUp() { highlight = max(0, highlight - 1) }
    mutating func moveDown(count: Int) { highlight = min(max(0, count - 1), highlight + 1) }

    mutating func draw(into buffer: inout CellBuffer, form: FormState, left: Int, width: Int, row: inout Int) {
        row = buffer.putWrapped("Review", left: left, width: width, row: row, tone: .strong)
        let visible = form.visibleFields
        let problems = Dictionary(form.allProblems.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
        let labelWidth = min(24, visible.map { DisplayWidth.of($0.label) }.max() ?? 10)
        let room = max(1, buffer.height - 4 - row)
        let valueWidth = max(1, width - labelWidth - 4)
        // A value too long for its row (a stored client's name and ID) goes on over up to three
        // rows rather than being cut; the list scrolls by whole fields.
        let values = visible.map { field in problems[field.id].map { "✗ " + $0 } ?? form.display(field.id) ?? "—" }
        let heights = values.map { min(3, max(1, ScreenLayout.wrap($0, width: valueWidth).count)) }
        scroll = ScreenLayout.scroll(scroll, keeping: highlight, height: room)
        while scroll < highlight, heights[scroll...highlight].reduce(0, +) > room { scroll += 1 }
        let end = buffer.height - 4
        for (index, field) in visible.enumerated().dropFirst(scroll) {
            guard row + heights[index] <= end || index == scroll else { break }
            let selected = index == highlight
            if selected {
                for offset in 0..<heights[index] { buffer.fill(row: row + offset, column: left, count: width, tone: .selected) }
                buffer.put("›", row: row, column: left, tone: .selected)
            }
            buffer.put(DisplayWidth.truncate(field.label, to: labelWidth), row: row, column: left + 1, tone: selected ? .selected : .dim)
            let lines = ScreenLayout.wrap(values[index], width: valueWidth)
            for (offset, line) in lines.prefix(heights[index]).enumerated() {
                let last = offset == heights[index] - 1 && lines.count > heights[index]
                buffer.put(last ? DisplayWidth.truncate(line + " …", to: valueWidth) : line, row: row + offset,
                           column: left + labelWidth + 3, tone: selected ? .selected : (problems[field.id] == nil ? .normal : .failure))
            }
            row += heights[index]
        }
        let order: [FormAction] = [.test, .save, .saveAndAuthorize]
        let offered = order.filter(form.offeredActions.contains).map { action -> String in
            switch action {
            case .test: return "t Test"
            case .save: return "s Save"
            case .saveAndAuthorize: return "a Save & authorize"
            }
        }.joined(separator: "   ") + (form.canViewLog ? "   l View log" + (form.testIsStale ? " (earlier answers)" : "") : "")
        row = buffer.putWrapped(offered, left: left, width: width, row: row + 1, tone: .accent)
    }
}
