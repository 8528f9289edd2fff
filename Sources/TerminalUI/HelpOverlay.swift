/// The full key help (`?` or F1) drawn as a box over a screen, from the screen's own keymap.
public enum HelpOverlay {
    /// Draws nothing on a terminal below the minimum size, where the screen shows the enlarge
    /// message instead.
    public static func draw<Action>(_ keymap: Keymap<Action>, title: String, into buffer: inout CellBuffer) {
        guard !TerminalSize(width: buffer.width, height: buffer.height).isTooSmall else { return }
        let lines = keymap.fullHelp
        let width = min(buffer.width - 4, max(DisplayWidth.of(title), lines.map(DisplayWidth.of).max() ?? 0) + 4)
        let height = min(buffer.height - 2, lines.count + 4)
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
        for (index, line) in lines.prefix(height - 4).enumerated() {
            buffer.put(DisplayWidth.truncate(line, to: width - 4), row: top + 3 + index, column: left + 2)
        }
        if lines.count > height - 4 {
            buffer.put("…", row: top + height - 2, column: left + 2, tone: .dim)
        }
    }
}
