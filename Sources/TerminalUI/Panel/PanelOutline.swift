import FormEngine

/// The outline beside the Create connection panel: every shown field with its state (done,
/// current, to do, error), the advanced ones under their heading, then the review.
enum PanelOutline {
    static func draw(_ outline: [OutlineEntry], atReview: Bool, into buffer: inout CellBuffer, width: Int, top: Int) {
        var row = top
        let advancedStart = outline.firstIndex { $0.advanced }
        for (index, entry) in outline.enumerated() where row < buffer.height - 2 {
            if index == advancedStart {
                buffer.put("Advanced", row: row, column: 1, tone: .dim)
                row += 1
            }
            let (mark, tone): (String, Tone)
            switch entry.state {
            case .done: (mark, tone) = ("✓", .success)
            case .current: (mark, tone) = ("›", .selected)
            case .todo: (mark, tone) = ("·", .dim)
            case .error: (mark, tone) = ("✗", .failure)
            }
            if entry.state == .current { buffer.fill(row: row, column: 1, count: width, tone: .selected) }
            buffer.put(mark, row: row, column: 1, tone: tone)
            buffer.put(DisplayWidth.truncate(entry.label + (entry.required ? " *" : ""), to: width - 3), row: row, column: 3,
                       tone: entry.state == .current ? .selected : .normal)
            row += 1
        }
        if atReview {
            buffer.fill(row: row, column: 1, count: width, tone: .selected)
            buffer.put("› Review", row: row, column: 1, tone: .selected)
        }
    }
}
