/// Resources › Connections: the saved connections with their application and last test, and
/// the keys to create, edit, test, view the log, export and delete (after a confirmation).
public struct ConnectionsScreen: Sendable {
    /// One saved connection as the list shows it.
    public struct Row: Hashable, Sendable {
        public var id: String
        public var name: String
        public var application: String
        /// nil when never tested.
        public var lastTestPassed: Bool?
        public var lastTestStatus: String?
        /// "2026-11-23 14:05", already formatted by the caller.
        public var lastTestAt: String?
        /// It signs in through a browser and holds no tokens.
        public var needsAuthorization = false
        /// The connections whose answers point to it (they borrow its concurrency).
        public var borrowers: [String] = []

        public init(id: String, name: String, application: String, lastTestPassed: Bool? = nil,
                    lastTestStatus: String? = nil, lastTestAt: String? = nil) {
            self.id = id
            self.name = name
            self.application = application
            self.lastTestPassed = lastTestPassed
            self.lastTestStatus = lastTestStatus
            self.lastTestAt = lastTestAt
        }
    }

    public enum Outcome: Equatable, Sendable {
        case stay
        case create
        case edit(String)
        case test(String)
        /// Sign in for it (OAuth 2.0).
        case authorize(String)
        case viewLog(String)
        /// `x`: the run loop asks where to write (`ask(_:for:)`), offering its default.
        case export(String)
        /// The export's path was chosen.
        case exportTo(String, path: String)
        case delete(String)
        case quit
    }

    enum Action: Hashable, Sendable { case up, down, first, last, create, edit, test, authorize, log, export, delete, help, quit }

    static let keymap = Keymap<Action>([
        KeyBinding([.character("n")], "new", action: .create),
        KeyBinding([.enter, .character("e")], "edit", label: "Enter", action: .edit),
        KeyBinding([.character("t")], "test", action: .test),
        KeyBinding([.character("l")], "log", action: .log),
        KeyBinding([.character("d"), .delete], "delete", action: .delete),
        KeyBinding([.up], "move", label: "↑↓", action: .up, hiddenInLine: true),
        KeyBinding([.down], "move down", action: .down, pairedWithPrevious: true),
        KeyBinding([.home], "first", action: .first, hiddenInLine: true),
        KeyBinding([.end], "last", action: .last, hiddenInLine: true),
        KeyBinding([.character("q"), .control("c")], "quit", action: .quit),
        KeyBinding([.character("a")], "authorize", action: .authorize),
        KeyBinding([.character("x")], "export", action: .export),
        KeyBinding([.character("?"), .function(1)], "all keys", label: "?/F1", action: .help, hiddenInLine: true),
    ])

    public private(set) var rows: [Row]
    public private(set) var selection = 0
    /// The row waiting for "delete? y/N", if any.
    public private(set) var confirmingDelete: String?
    /// The full key help is shown; any key closes it.
    public private(set) var showingHelp = false
    /// One line under the title: what just happened ("Saved …", "Deleted …").
    public var message: (text: String, tone: Tone)?
    /// Where to write an export, while asked, and of which connection.
    public private(set) var question: (id: String, question: PathQuestion)?
    private var scroll = 0

    public init(rows: [Row]) {
        self.rows = rows
    }

    /// Replaces the rows (after a save or delete), keeping the selection on the same id.
    public mutating func update(rows newRows: [Row]) {
        let selectedID = rows.indices.contains(selection) ? rows[selection].id : nil
        rows = newRows
        selection = selectedID.flatMap { id in newRows.firstIndex { $0.id == id } } ?? min(selection, max(0, newRows.count - 1))
    }

    /// Asks where to write the export of `id` (after `.export`); the answer comes as `.exportTo`.
    public mutating func ask(_ question: PathQuestion, for id: String) {
        self.question = (id, question)
        message = nil
    }

    public mutating func handle(_ key: Key) -> Outcome {
        if showingHelp {
            showingHelp = false
            return .stay
        }
        if var asked = question {
            switch asked.question.handle(key) {
            case .asking:
                question = asked
            case .chosen(let path):
                question = nil
                return .exportTo(asked.id, path: path)
            case .cancelled:
                question = nil
                message = ("Not exported.", .dim)
            }
            return .stay
        }
        if let pending = confirmingDelete {
            confirmingDelete = nil
            if key == .character("y") || key == .character("Y") { return .delete(pending) }
            message = ("Not deleted.", .dim)
            return .stay
        }
        guard let action = Self.keymap.action(for: key) else { return .stay }
        let selected = rows.indices.contains(selection) ? rows[selection].id : nil
        switch action {
        case .up: selection = max(0, selection - 1)
        case .down: selection = min(max(0, rows.count - 1), selection + 1)
        case .first: selection = 0
        case .last: selection = max(0, rows.count - 1)
        case .create: return .create
        case .quit: return .quit
        case .edit: return selected.map(Outcome.edit) ?? .stay
        case .test: return selected.map(Outcome.test) ?? .stay
        case .authorize: return selected.map(Outcome.authorize) ?? .stay
        case .log: return selected.map(Outcome.viewLog) ?? .stay
        case .export: return selected.map(Outcome.export) ?? .stay
        case .delete:
            confirmingDelete = selected
        case .help:
            showingHelp = true
        }
        return .stay
    }

    public mutating func render(into buffer: inout CellBuffer) {
        draw(into: &buffer)
        if showingHelp {
            HelpOverlay.draw(Self.keymap, title: "Keys of Connections (? or F1)", into: &buffer)
        }
    }

    private mutating func draw(into buffer: inout CellBuffer) {
        buffer.clear()
        if ScreenLayout.tooSmall(&buffer) { return }
        let help = question != nil ? PathQuestion.help
            : confirmingDelete == nil ? Self.keymap.helpLine(width: buffer.width - 2) : "y delete · any other key keeps it"
        ScreenLayout.frame(&buffer, title: "Resources › Connections", help: help)
        var header = 3
        if let pending = confirmingDelete, let row = rows.first(where: { $0.id == pending }) {
            let borrowers = row.borrowers.isEmpty ? ""
                : " " + row.borrowers.map { "“\($0)”" }.joined(separator: ", ") + (row.borrowers.count == 1 ? " borrows" : " borrow") + " from it."
            buffer.put(DisplayWidth.truncate("Delete “\(row.name)” and its secrets?\(borrowers) y/N", to: buffer.width - 2), row: 1, column: 1, tone: .failure)
        } else if let question {
            question.question.draw(into: &buffer, row: 1)
        } else if let message {
            // A test's outcome with its hint: wrapped, never cut; the list starts below it.
            let lines = ScreenLayout.wrap(message.text, width: buffer.width - 2).prefix(max(1, buffer.height - 8))
            for (offset, line) in lines.enumerated() { buffer.put(line, row: 1 + offset, column: 1, tone: message.tone) }
            header = max(header, 2 + lines.count)
        }
        guard !rows.isEmpty else {
            buffer.put("No connections yet.", row: header, column: 3, tone: .strong)
            buffer.put("Press n to create one.", row: header + 1, column: 3)
            return
        }
        let nameWidth = min(30, max(12, rows.map { DisplayWidth.of($0.name) }.max() ?? 12))
        let appWidth = min(24, max(11, rows.map { DisplayWidth.of($0.application) }.max() ?? 11))
        let testColumn = 3 + nameWidth + 2 + appWidth + 2
        buffer.put("NAME", row: header, column: 3, tone: .dim)
        buffer.put("APPLICATION", row: header, column: 3 + nameWidth + 2, tone: .dim)
        buffer.put("LAST TEST", row: header, column: testColumn, tone: .dim)
        let top = header + 1
        let height = max(1, buffer.height - top - 2)
        selection = min(selection, rows.count - 1)
        scroll = ScreenLayout.scroll(scroll, keeping: selection, height: height)
        for (offset, row) in rows.dropFirst(scroll).prefix(height).enumerated() {
            let line = top + offset
            let selected = scroll + offset == selection
            if selected { buffer.fill(row: line, column: 1, count: buffer.width - 2, tone: .selected) }
            let base: Tone = selected ? .selected : .normal
            buffer.put(selected ? "›" : " ", row: line, column: 1, tone: base)
            buffer.put(DisplayWidth.truncate(row.name, to: nameWidth), row: line, column: 3, tone: base)
            buffer.put(DisplayWidth.truncate(row.application, to: appWidth), row: line, column: 3 + nameWidth + 2, tone: base)
            let room = buffer.width - testColumn - 2
            guard room > 4 else { continue }
            if row.needsAuthorization {
                buffer.put(DisplayWidth.truncate("✗ needs authorization (a authorizes)", to: room), row: line, column: testColumn,
                           tone: selected ? .selected : .failure)
                continue
            }
            switch row.lastTestPassed {
            case nil:
                buffer.put("not tested", row: line, column: testColumn, tone: selected ? .selected : .dim)
            case let passed?:
                let mark = passed ? "✓ " : "✗ "
                // The time only when there is room for it and some of the status.
                let when = room >= 40 ? row.lastTestAt.map { $0 + "  " } ?? "" : ""
                let text = mark + when + (row.lastTestStatus ?? "")
                buffer.put(DisplayWidth.truncate(text, to: room), row: line, column: testColumn,
                           tone: selected ? .selected : (passed ? .success : .failure))
            }
        }
    }
}
