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
        /// `h`: the run loop asks where to write (`ask(_:)`), offering its default.
        case writeHAR
        /// The HAR file's path was chosen.
        case writeHARTo(String)
        /// `a`: the list of kept attempts.
        case attempts
        case back
    }

    enum Focus: Sendable { case list, detail }

    /// Where the search last found its words: an exchange and a line of its transcript.
    public struct SearchHit: Hashable, Sendable {
        public var exchange: Int
        public var line: Int

        public init(exchange: Int, line: Int) {
            self.exchange = exchange
            self.line = line
        }
    }

    enum Action: Hashable, Sendable {
        case up, down, pageUp, pageDown, first, last, left, right, switchFocus, search, next, previous, wrap, fold, hex, har, attempts, help, back
    }

    /// Ordered by need, as the help line keeps the first that fit: Esc is never cut off.
    static let keymap = Keymap<Action>([
        KeyBinding([.up], "move", label: "↑↓", action: .up),
        KeyBinding([.down], "down", action: .down, pairedWithPrevious: true),
        KeyBinding([.escape, .character("q"), .control("c")], "back", label: "Esc", action: .back),
        KeyBinding([.tab, .backTab], "other pane", label: "Tab", action: .switchFocus),
        KeyBinding([.character("/")], "search", action: .search),
        KeyBinding([.character("n")], "next", label: "n/N", action: .next),
        KeyBinding([.character("N")], "previous", action: .previous, hiddenInLine: true),
        KeyBinding([.character("h")], "HAR", action: .har),
        KeyBinding([.character("a")], "attempts", action: .attempts),
        KeyBinding([.character("w")], "wrap", action: .wrap),
        KeyBinding([.character("z")], "fold JSON", action: .fold),
        KeyBinding([.character("x")], "hex of binary bodies", action: .hex, hiddenInLine: true),
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
    let item: @Sendable (Int) -> Item
    let detail: @Sendable (Int) -> [String]
    /// The lines of exchange `n` with binary bodies as hex, when the caller can give them.
    let hexDetail: (@Sendable (Int) -> [String])?

    public private(set) var selection = 0
    public private(set) var top = 0
    public private(set) var pan = 0
    public private(set) var wrap = true
    /// JSON objects and arrays inside a body are folded to one line each (`z`).
    public private(set) var folded = false
    /// Binary bodies are shown as hex (`x`).
    public private(set) var hex = false
    public private(set) var query = ""
    /// Typing a search: the text so far (nil when not typing).
    public private(set) var typing: String?
    /// The longest search kept.
    static let searchLimit = 1_000
    public var message: String?
    /// The full key help is shown; any key closes it.
    public private(set) var showingHelp = false
    /// Where to write the HAR file, while asked.
    public private(set) var question: PathQuestion?
    /// The line the search found last (drawn marked); `n`/`N` go on from it.
    public private(set) var hit: SearchHit?
    /// The arrows and page keys move the list (else they scroll the transcript).
    public var listHasFocus: Bool { focus == .list }
    var focus = Focus.list
    /// How many transcript lines were on screen at the last render, from `top`.
    var shownLines: Int?
    var listScroll = 0
    /// Rows of the exchange list at the last render: a page of the list.
    var listHeight: Int?
    /// Rows of the detail pane at the last render: a page.
    var detailHeight: Int?
    var cachedIndex = -1
    var cachedView: (folded: Bool, hex: Bool)?
    var cachedLines: [String] = []

    /// - Parameter detail: the lines of exchange `n` (0-based), asked for only when it is shown.
    public init(title: String, status: (text: String, passed: Bool)?, items: [Item], detail: @escaping @Sendable (Int) -> [String],
                hexDetail: (@Sendable (Int) -> [String])? = nil) {
        self.init(title: title, status: status, itemCount: items.count, item: { items[$0] }, detail: detail, hexDetail: hexDetail)
    }

    /// - Parameters:
    ///   - item: the list row of exchange `n` (0-based), asked for only while it is on screen.
    ///   - detail: the lines of exchange `n`, asked for only when it is selected.
    ///   - hexDetail: the same with binary bodies as hex dumps, for `x`.
    public init(title: String, status: (text: String, passed: Bool)?, itemCount: Int, item: @escaping @Sendable (Int) -> Item,
                detail: @escaping @Sendable (Int) -> [String], hexDetail: (@Sendable (Int) -> [String])? = nil) {
        self.title = title
        self.status = status
        self.itemCount = itemCount
        self.item = item
        self.detail = detail
        self.hexDetail = hexDetail
        // One exchange: nothing to choose, so its transcript has the focus.
        if itemCount == 1 { focus = .detail }
    }

    /// The selected exchange's lines as shown (folded, hex), loaded once per selection and view.
    mutating func lines() -> [String] {
        if cachedIndex != selection || cachedView?.folded != folded || cachedView?.hex != hex {
            cachedLines = (0..<itemCount).contains(selection) ? transcript(selection) : []
            cachedIndex = selection
            cachedView = (folded, hex)
        }
        return cachedLines
    }

    /// The lines of exchange `index` as the view shows them.
    func transcript(_ index: Int) -> [String] {
        let raw = hex ? (hexDetail ?? detail)(index) : detail(index)
        return folded ? Self.foldingJSON(raw) : raw
    }

    /// Every JSON object or array inside a body (indented, so not a body's outermost one)
    /// folded to its first line: `"items" : [ … 40 lines ]`.
    static func foldingJSON(_ lines: [String]) -> [String] {
        var shown: [String] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let indent = line.prefix { $0 == " " }.count
            let opens = line.hasSuffix("{") || line.hasSuffix("[")
            if indent > 0, opens,
               let end = lines[(index + 1)...].firstIndex(where: { other in
                   other.prefix { $0 == " " }.count == indent && (other.dropFirst(indent).first == "}" || other.dropFirst(indent).first == "]")
               }) {
                let inside = end - index - 1
                shown.append(line + " … \(inside) line\(inside == 1 ? "" : "s") " + lines[end].dropFirst(indent))
                index = end + 1
            } else {
                shown.append(line)
                index += 1
            }
        }
        return shown
    }

    /// Asks where to write (after `.writeHAR`); the answer comes as `.writeHARTo`.
    public mutating func ask(_ question: PathQuestion) {
        self.question = question
        message = nil
    }

    public mutating func handle(_ key: Key, pageSize: Int = 10) -> Outcome {
        if showingHelp {
            showingHelp = false
            return .stay
        }
        if var question {
            switch question.handle(key) {
            case .asking:
                self.question = question
            case .chosen(let path):
                self.question = nil
                return .writeHARTo(path)
            case .cancelled:
                self.question = nil
                message = "Nothing written."
            }
            return .stay
        }
        if let text = typing {
            switch key {
            case .enter:
                typing = nil
                query = text
                hit = nil
                find(forward: true)
            case .escape:
                typing = nil
            case .backspace:
                typing = String(text.dropLast())
            case .character(let character):
                typing = text + String(character)
            case .paste(let pasted):
                typing = text + pasted.prefix(max(0, Self.searchLimit - text.count))
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
            find(forward: true)
        case .previous:
            find(forward: false)
        case .wrap:
            wrap.toggle()
            pan = 0
        case .fold:
            folded.toggle()
            top = 0
            hit = nil
            message = folded ? "JSON folded: z unfolds (search sees only what is shown)." : nil
        case .hex:
            guard hexDetail != nil else {
                message = "No hex view here."
                break
            }
            hex.toggle()
            top = 0
            hit = nil
        case .har:
            return .writeHAR
        case .attempts:
            return .attempts
        case .help:
            showingHelp = true
        case .back:
            return .back
        }
        return .stay
    }

    /// The furthest `top` goes: the last page stays full rather than scrolling into nothing.
    mutating func lastTop(_ page: Int) -> Int {
        max(0, lines().count - page)
    }

    mutating func select(_ index: Int) {
        guard itemCount > 0 else { return }
        let clamped = min(max(0, index), itemCount - 1)
        if clamped != selection {
            selection = clamped
            top = 0
            pan = 0
            shownLines = nil
        }
    }

    /// Finds the next (or previous) line containing the query, ignoring case, in every
    /// exchange of the attempt: on from the last hit (or from the top of the transcript shown),
    /// through the exchanges after it, and round again from the first (or last), with a note
    /// that the search wrapped. A hit already on screen is marked where it is, without
    /// scrolling; one off screen comes to the top.
    mutating func find(forward: Bool) {
        guard !query.isEmpty else { message = "Type / and a word to search."; return }
        guard itemCount > 0 else { message = "“\(query)” not found: this attempt has no exchanges."; return }
        let needle = query.lowercased()
        let matches = { (line: String) in line.lowercased().contains(needle) }
        // Where to start in the exchange shown: after the last hit, or at the top line.
        let current = lines()
        let start: Int
        if let hit, hit.exchange == selection {
            start = forward ? hit.line + 1 : hit.line - 1
        } else {
            start = forward ? top : min(top, current.count) - 1
        }
        var found: SearchHit?
        var wrapped = false
        if forward {
            if start < current.count, let line = (max(0, start)..<current.count).first(where: { matches(current[$0]) }) {
                found = SearchHit(exchange: selection, line: line)
            }
        } else if start >= 0, let line = (0...min(start, current.count - 1)).reversed().first(where: { matches(current[$0]) }) {
            found = SearchHit(exchange: selection, line: line)
        }
        // The other exchanges in order, wrapping, then the part of this one not yet searched.
        var step = 1
        while found == nil, step <= itemCount {
            let raw = forward ? selection + step : selection - step
            let exchange = (raw % itemCount + itemCount) % itemCount
            if forward ? raw >= itemCount : raw < 0 { wrapped = true }
            let all = exchange == selection ? current : transcript(exchange)
            let range: [Int]
            if exchange == selection {
                range = forward ? Array(0..<min(max(0, start), all.count)) : Array((min(max(0, start + 1), all.count)..<all.count).reversed())
            } else {
                range = forward ? Array(all.indices) : Array(all.indices.reversed())
            }
            if let line = range.first(where: { matches(all[$0]) }) { found = SearchHit(exchange: exchange, line: line) }
            step += 1
        }
        guard let found else {
            message = "“\(query)” not found in \(itemCount == 1 ? "this exchange" : "any of the \(itemCount) exchanges")."
            return
        }
        if found.exchange != selection { select(found.exchange) }
        hit = found
        focus = .detail
        let onScreen = found.exchange == selection && found.line >= top && found.line < top + (shownLines ?? detailHeight ?? 0)
        if !onScreen { top = found.line }
        if wrapped {
            // Where the hit is, not where the search went on from: it may have gone past the
            // last exchange to the first and found the hit in the last again (2 of 2).
            message = "Search wrapped " + (forward ? "past the end" : "past the start")
                + (itemCount == 1 ? "" : "; found in exchange \(found.exchange + 1) of \(itemCount)") + "."
        }
    }
}
