/// View log: the exchanges of one test attempt as a list, and the selected one's request and
/// response below it, scrollable by line and page, searchable, with wrap on or off. Only what
/// is on screen is laid out, so a log of 10,000 exchanges or a long body costs no more to draw
/// than a short one.
public struct ViewLogScreen: Sendable {
    /// One exchange in the list.
    public struct Item: Hashable, Sendable {
        public var method: String
        public var path: String
        /// "200 OK", or what ended it ("timeout").
        public var result: String
        public var time: String
        public var failed: Bool

        public init(method: String, path: String, result: String, time: String, failed: Bool) {
            self.method = method
            self.path = path
            self.result = result
            self.time = time
            self.failed = failed
        }
    }

    public enum Outcome: Equatable, Sendable {
        case stay
        case writeHAR
        case back
    }

    enum Focus: Sendable { case list, detail }

    enum Action: Hashable, Sendable {
        case up, down, pageUp, pageDown, first, last, left, right, switchFocus, search, next, previous, wrap, har, help, back
    }

    /// Ordered by need, as the help line keeps the first that fit: Esc is never cut off.
    static let keymap = Keymap<Action>([
        KeyBinding([.up], "move", label: "↑↓", action: .up),
        KeyBinding([.down], "down", action: .down, pairedWithPrevious: true),
        KeyBinding([.escape, .character("q"), .control("c")], "back", label: "Esc", action: .back),
        KeyBinding([.tab, .backTab], "list/detail", label: "Tab", action: .switchFocus),
        KeyBinding([.character("/")], "search", action: .search),
        KeyBinding([.character("n")], "next", label: "n/N", action: .next),
        KeyBinding([.character("N")], "previous", action: .previous, hiddenInLine: true),
        KeyBinding([.character("h")], "HAR", action: .har),
        KeyBinding([.character("w")], "wrap", action: .wrap),
        KeyBinding([.pageUp], "page", label: "PgUp/PgDn", action: .pageUp),
        KeyBinding([.pageDown], "page down", action: .pageDown, hiddenInLine: true),
        KeyBinding([.home], "top", action: .first, hiddenInLine: true),
        KeyBinding([.end], "bottom", action: .last, hiddenInLine: true),
        KeyBinding([.left], "pan left", action: .left, hiddenInLine: true),
        KeyBinding([.right], "pan right", action: .right, hiddenInLine: true),
        KeyBinding([.character("?"), .function(1)], "all keys", label: "?/F1", action: .help, hiddenInLine: true),
    ])

    public let title: String
    public let status: (text: String, passed: Bool)?
    /// How many exchanges the attempt has; rows are asked for only when drawn.
    public let itemCount: Int
    private let item: @Sendable (Int) -> Item
    private let detail: @Sendable (Int) -> [String]

    public private(set) var selection = 0
    public private(set) var top = 0
    public private(set) var pan = 0
    public private(set) var wrap = true
    public private(set) var query = ""
    /// Typing a search: the text so far (nil when not typing).
    public private(set) var typing: String?
    public var message: String?
    /// The full key help is shown; any key closes it.
    public private(set) var showingHelp = false
    private var focus = Focus.list
    private var listScroll = 0
    /// Rows of the exchange list at the last render: a page of the list.
    private var listHeight: Int?
    /// Rows of the detail pane at the last render: a page.
    private var detailHeight: Int?
    private var cachedIndex = -1
    private var cachedLines: [String] = []

    /// - Parameter detail: the lines of exchange `n` (0-based), asked for only when it is shown.
    public init(title: String, status: (text: String, passed: Bool)?, items: [Item], detail: @escaping @Sendable (Int) -> [String]) {
        self.init(title: title, status: status, itemCount: items.count, item: { items[$0] }, detail: detail)
    }

    /// - Parameters:
    ///   - item: the list row of exchange `n` (0-based), asked for only while it is on screen.
    ///   - detail: the lines of exchange `n`, asked for only when it is selected.
    public init(title: String, status: (text: String, passed: Bool)?, itemCount: Int, item: @escaping @Sendable (Int) -> Item,
                detail: @escaping @Sendable (Int) -> [String]) {
        self.title = title
        self.status = status
        self.itemCount = itemCount
        self.item = item
        self.detail = detail
    }

    /// The selected exchange's lines, loaded once per selection.
    mutating func lines() -> [String] {
        if cachedIndex != selection {
            cachedLines = (0..<itemCount).contains(selection) ? detail(selection) : []
            cachedIndex = selection
        }
        return cachedLines
    }

    public mutating func handle(_ key: Key, pageSize: Int = 10) -> Outcome {
        if showingHelp {
            showingHelp = false
            return .stay
        }
        if let text = typing {
            switch key {
            case .enter:
                typing = nil
                query = text
                find(forward: true, includingTop: true)
            case .escape:
                typing = nil
            case .backspace:
                typing = String(text.dropLast())
            case .character(let character):
                typing = text + String(character)
            default:
                break
            }
            return .stay
        }
        guard let action = Self.keymap.action(for: key) else { return .stay }
        message = nil
        // The detail's length is asked for only by detail moves, so list moves load nothing.
        let page = max(1, detailHeight ?? pageSize)
        switch action {
        case .up:
            if focus == .list { select(selection - 1) } else { top = max(0, top - 1) }
        case .down:
            if focus == .list { select(selection + 1) } else { top = min(lastTop(page), top + 1) }
        case .pageUp:
            if focus == .list { select(selection - max(1, listHeight ?? 1)) } else { top = max(0, top - page) }
        case .pageDown:
            if focus == .list { select(selection + max(1, listHeight ?? 1)) } else { top = min(lastTop(page), top + page) }
        case .first:
            if focus == .list { select(0) } else { top = 0 }
        case .last:
            if focus == .list { select(itemCount - 1) } else { top = max(0, lines().count - page) }
        case .left:
            pan = max(0, pan - 10)
        case .right:
            if !wrap { pan += 10 }
        case .switchFocus:
            focus = focus == .list ? .detail : .list
        case .search:
            typing = ""
        case .next:
            find(forward: true, includingTop: false)
        case .previous:
            find(forward: false, includingTop: false)
        case .wrap:
            wrap.toggle()
            pan = 0
        case .har:
            return .writeHAR
        case .help:
            showingHelp = true
        case .back:
            return .back
        }
        return .stay
    }

    /// The furthest `top` goes: the last page stays full rather than scrolling into nothing.
    private mutating func lastTop(_ page: Int) -> Int {
        max(0, lines().count - page)
    }

    private mutating func select(_ index: Int) {
        guard itemCount > 0 else { return }
        let clamped = min(max(0, index), itemCount - 1)
        if clamped != selection {
            selection = clamped
            top = 0
            pan = 0
        }
    }

    /// Moves `top` to the next (or previous) line containing the query, ignoring case.
    private mutating func find(forward: Bool, includingTop: Bool) {
        guard !query.isEmpty else { message = "Type / and a word to search."; return }
        let needle = query.lowercased()
        let all = lines()
        let from = min(includingTop ? top : top + 1, all.count)
        let order: [Int] = forward
            ? Array(from..<all.count)
            : Array((0..<min(max(0, top), all.count)).reversed())
        if let hit = order.first(where: { all[$0].lowercased().contains(needle) }) {
            top = hit
            focus = .detail
        } else {
            message = "“\(query)” not found " + (forward ? "below" : "above") + "."
        }
    }

    public mutating func render(into buffer: inout CellBuffer) {
        draw(into: &buffer)
        if showingHelp {
            HelpOverlay.draw(Self.keymap, title: "Keys of View log (? or F1)", into: &buffer)
        }
    }

    private mutating func draw(into buffer: inout CellBuffer) {
        buffer.clear()
        if ScreenLayout.tooSmall(&buffer) { return }
        let help = typing != nil ? "Enter find · Esc cancel" : Self.keymap.helpLine(width: buffer.width - 2)
        ScreenLayout.frame(&buffer, title: title, help: help)
        if let status {
            buffer.put(DisplayWidth.truncate(status.text, to: buffer.width - 2), row: 1, column: 1, tone: status.passed ? .success : .failure)
        }

        // The list: a third of the screen at most, the selection kept in view.
        let listTop = 3
        let listHeight = max(1, min(itemCount, (buffer.height - 6) / 3))
        self.listHeight = listHeight
        listScroll = ScreenLayout.scroll(listScroll, keeping: selection, height: listHeight)
        let methodWidth = 7, timeWidth = 9
        let resultWidth = min(24, max(10, buffer.width / 5))
        let pathWidth = max(8, buffer.width - methodWidth - resultWidth - timeWidth - 10)
        for offset in 0..<listHeight {
            let index = listScroll + offset
            guard index < itemCount else { break }
            let item = self.item(index)
            let row = listTop + offset
            let selected = index == selection
            if selected { buffer.fill(row: row, column: 1, count: buffer.width - 2, tone: focus == .list ? .selected : .strong) }
            let tone: Tone = selected ? (focus == .list ? .selected : .strong) : .normal
            buffer.put(String(format: "%3d", index + 1), row: row, column: 1, tone: selected ? tone : .dim)
            buffer.put(item.method, row: row, column: 5, tone: tone, limit: methodWidth)
            buffer.put(DisplayWidth.truncate(item.path, to: pathWidth), row: row, column: 5 + methodWidth + 1, tone: tone)
            buffer.put(DisplayWidth.truncate(item.result, to: resultWidth), row: row, column: 5 + methodWidth + 1 + pathWidth + 1,
                       tone: selected ? tone : (item.failed ? .failure : .success))
            buffer.put(item.time, row: row, column: buffer.width - timeWidth - 1, tone: selected ? tone : .dim, limit: timeWidth)
        }
        let counter = itemCount == 0 ? "No exchanges: nothing was sent." : "Exchange \(selection + 1) of \(itemCount)"
        buffer.put(counter + (wrap ? "" : " · wrap off"), row: listTop + listHeight, column: 1, tone: .dim)

        // The detail: only the rows that fit are laid out.
        let detailTop = listTop + listHeight + 1
        let detailHeight = max(1, buffer.height - detailTop - 2)
        self.detailHeight = detailHeight
        let all = lines()
        let needle = query.lowercased()
        var row = detailTop
        var index = top
        let width = buffer.width - 2
        while row < detailTop + detailHeight, index < all.count {
            let line = all[index]
            let tone: Tone = !needle.isEmpty && line.lowercased().contains(needle) ? .accent : Self.tone(of: line)
            if wrap {
                for piece in Self.wrapped(line, width: width) {
                    guard row < detailTop + detailHeight else { break }
                    buffer.put(piece, row: row, column: 1, tone: tone)
                    row += 1
                }
            } else {
                buffer.put(String(line.dropFirst(pan)), row: row, column: 1, tone: tone, limit: width)
                row += 1
            }
            index += 1
        }
        let footer: String
        if let typing {
            footer = "/" + typing
            buffer.cursor = (buffer.height - 2, 1 + DisplayWidth.of(footer))
        } else if let message {
            footer = message
        } else {
            footer = all.isEmpty ? "" : "line \(min(top + 1, all.count)) of \(all.count)" + (query.isEmpty ? "" : " · search “\(query)”")
        }
        buffer.put(DisplayWidth.truncate(footer, to: buffer.width - 2), row: buffer.height - 2, column: 1, tone: typing == nil ? .dim : .strong)
    }

    /// Request lines (`>`), response lines (`<`) and errors (`✗`) read apart at a glance.
    static func tone(of line: String) -> Tone {
        if line.hasPrefix("✗") { return .failure }
        if line.hasPrefix("> ") || line.hasPrefix("< ") { return .dim }
        return .normal
    }

    /// `line` cut into pieces of at most `width` columns.
    static func wrapped(_ line: String, width: Int) -> [String] {
        guard width > 0, DisplayWidth.of(line) > width else { return [line] }
        var pieces: [String] = []
        var current = ""
        var used = 0
        for character in line {
            let columns = DisplayWidth.of(character)
            if used + columns > width {
                pieces.append(current)
                current = ""
                used = 0
            }
            current.append(character)
            used += columns
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
