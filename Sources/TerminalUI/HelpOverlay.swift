/// The full key help (`?` or F1) drawn as a box over a screen, from the screen's own keymap.
public enum HelpOverlay {
    /// Draws nothing on a terminal below the minimum size, where the screen shows the enlarge
    /// message instead.
    public static func draw<Action>(_ keymap: Keymap<Action>, title: String, into buffer: inout CellBuffer) {
        guard !TerminalSize(width: buffer.width, height: buffer.height).isTooSmall else { return }
        let lines = keymap.fullHelp
        // On a short terminal the keys go in as many columns as it takes (and fit).
        let lineWidth = lines.map(DisplayWidth.of).max() ?? 0
        let rowsAvailable = max(1, buffer.height - 6)
        let columnsWanted = (lines.count + rowsAvailable - 1) / rowsAvailable
        let columns = max(1, min(columnsWanted, (buffer.width - 4) / (lineWidth + 3)))
        let rows = (lines.count + columns - 1) / columns
        let contentWidth = columns * lineWidth + (columns - 1) * 3
        let width = min(buffer.width - 4, max(DisplayWidth.of(title), contentWidth) + 4)
        let height = min(buffer.height - 2, rows + 4)
        let left = max(0, (buffer.width - width) / 2)
        let top = max(1, (buffer.height - height) / 2)
        for row in top..<(top + height) { buffer.fill(row: row, column: left, count: width, tone: .normal) }
        let horizontal = String(repeating: "─", count: max(0, width - 2))
        buffer.put("┌" + horizontal + "┐", row: top, column: left, tone: .dim)
        buffer.put("└" + horizontal + "┘", row: top + height - 1, column: left, tone: .dim)
        for row in (top + 1)..<(top + height - 1) {
            buffer.put("│", row: row, column: left, tone: .dim)
            buffer.put("│", row: row, column: left + width - 1, tone: .dim)
        }
        buffer.put(DisplayWidth.truncate(title, to: width - 4), row: top + 1, column: left + 2, tone: .strong)
        let shownRows = height - 4
        let columnWidth = columns == 1 ? width - 4 : lineWidth
        for (index, line) in lines.enumerated() {
            let column = index / rows, row = index % rows
            guard row < shownRows else { continue }
            let text = row == shownRows - 1 && column == columns - 1 && lines.count > shownRows * columns ? "…" : line
            buffer.put(DisplayWidth.truncate(text, to: columnWidth), row: top + 3 + row, column: left + 2 + column * (lineWidth + 3))
        }
    }
}
