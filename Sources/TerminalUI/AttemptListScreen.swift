/// The kept attempts of one connection or draft, newest first: when each started, its
/// outcome and how many exchanges it made. Enter opens one in View log; Esc goes back.
public struct AttemptListScreen: Sendable {
    /// One kept attempt as the list shows it.
    public struct Row: Hashable, Sendable {
        public var number: Int
        /// "2026-11-23 14:05:09", already formatted by the caller.
        public var started: String
        public var outcome: String
        public var passed: Bool
        public var exchanges: Int

        public init(number: Int, started: String, outcome: String, passed: Bool, exchanges: Int) {
            self.number = number
            self.started = started
            self.outcome = outcome
            self.passed = passed
            self.exchanges = exchanges
        }
    }

    public enum Outcome: Equatable, Sendable {
        case stay
        /// Open the attempt of this number.
        case open(Int)
        case back
    }

    enum Action: Hashable, Sendable { case open, up, down, first, last, help, back }

    static let keymap = Keymap<Action>([
        KeyBinding([.enter], "open", action: .open),
        KeyBinding([.up], "move", label: "↑↓", action: .up),
        KeyBinding([.down], "move down", action: .down, pairedWithPrevious: true),
        KeyBinding([.home], "newest", action: .first, hiddenInLine: true),
        KeyBinding([.end], "oldest", action: .last, hiddenInLine: true),
        KeyBinding([.escape, .character("q"), .control("c")], "back", label: "Esc", action: .back),
        KeyBinding([.character("?"), .function(1)], "all keys", label: "?/F1", action: .help, hiddenInLine: true),
    ])

    public let title: String
    /// Newest first.
    public let rows: [Row]
    public private(set) var selection = 0
    /// The full key help is shown; any key closes it.
    public private(set) var showingHelp = false
    private var scroll = 0

    /// - Parameters:
    ///   - rows: the attempts in any order; shown newest first.
    ///   - current: the number of the attempt shown before, selected to begin with.
    public init(title: String, rows: [Row], current: Int? = nil) {
        self.title = title
        self.rows = rows.sorted { $0.number > $1.number }
        selection = current.flatMap { number in self.rows.firstIndex { $0.number == number } } ?? 0
    }

    public mutating func handle(_ key: Key) -> Outcome {
        if showingHelp {
            showingHelp = false
            return .stay
        }
        switch Self.keymap.action(for: key) {
        case .open: return rows.indices.contains(selection) ? .open(rows[selection].number) : .stay
        case .up: selection = max(0, selection - 1)
        case .down: selection = min(max(0, rows.count - 1), selection + 1)
        case .first: selection = 0
        case .last: selection = max(0, rows.count - 1)
        case .help: showingHelp = true
        case .back: return .back
        case nil: break
        }
        return .stay
    }

    public mutating func render(into buffer: inout CellBuffer) {
        draw(into: &buffer)
        if showingHelp {
            HelpOverlay.draw(Self.keymap, title: "Keys of the attempts (? or F1)", into: &buffer)
        }
    }

    private mutating func draw(into buffer: inout CellBuffer) {
        buffer.clear()
        if ScreenLayout.tooSmall(&buffer) { return }
        ScreenLayout.frame(&buffer, title: title, help: Self.keymap.helpLine(width: buffer.width - 2))
        buffer.put("\(rows.count) attempt\(rows.count == 1 ? "" : "s") kept, newest first", row: 1, column: 1, tone: .dim)
        guard !rows.isEmpty else {
            buffer.put("No attempts are kept.", row: 3, column: 3, tone: .strong)
            return
        }
        let timeWidth = 19, exchangesWidth = 9
        let outcomeColumn = 3 + 4 + 2 + timeWidth + 2 + exchangesWidth + 2
        buffer.put("#", row: 3, column: 3, tone: .dim)
        buffer.put("STARTED", row: 3, column: 9, tone: .dim)
        buffer.put("EXCHANGES", row: 3, column: 9 + timeWidth + 2, tone: .dim)
        buffer.put("OUTCOME", row: 3, column: outcomeColumn, tone: .dim)
        let top = 4
        let height = max(1, buffer.height - top - 2)
        scroll = ScreenLayout.scroll(scroll, keeping: selection, height: height)
        for (offset, row) in rows.dropFirst(scroll).prefix(height).enumerated() {
            let line = top + offset
            let selected = scroll + offset == selection
            if selected { buffer.fill(row: line, column: 1, count: buffer.width - 2, tone: .selected) }
            let base: Tone = selected ? .selected : .normal
            buffer.put(selected ? "›" : " ", row: line, column: 1, tone: base)
            buffer.put(String(row.number), row: line, column: 3, tone: base)
            buffer.put(row.started, row: line, column: 9, tone: base, limit: timeWidth)
            buffer.put(String(row.exchanges), row: line, column: 9 + timeWidth + 2, tone: base, limit: exchangesWidth)
            let room = buffer.width - outcomeColumn - 2
            guard room > 2 else { continue }
            buffer.put(DisplayWidth.truncate((row.passed ? "✓ " : "✗ ") + row.outcome, to: room), row: line, column: outcomeColumn,
                       tone: selected ? .selected : (row.passed ? .success : .failure))
        }
    }
}
