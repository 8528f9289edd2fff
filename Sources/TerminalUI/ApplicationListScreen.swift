import ConnectorSchema

/// The application list of Create connection: every connector, filtered as the operator
/// types (by title, id, category or description, the match marked), chosen with the arrows
/// and Enter, with a count of what the filter lets through.
public struct ApplicationListScreen: Sendable {
    /// What the list shows of a connector: enough to choose, without its fields.
    public typealias Item = ConnectorCatalog.Summary

    public enum Outcome: Equatable, Sendable {
        case stay
        case chosen(String)
        case cancelled
    }

    enum Action: Hashable, Sendable { case choose, up, down, pageUp, pageDown, first, last, erase, clear, back, help, quit }

    /// The one declaration of this screen's keys: `handle` matches with it, the help line and
    /// the full help are written from it.
    static let keymap = Keymap<Action>([
        KeyBinding([.enter], "choose", action: .choose),
        KeyBinding([.up], "move", label: "↑↓", action: .up),
        KeyBinding([.down], "move down", action: .down, pairedWithPrevious: true),
        KeyBinding([.pageUp], "page up", action: .pageUp, hiddenInLine: true),
        KeyBinding([.pageDown], "page down", action: .pageDown, hiddenInLine: true),
        KeyBinding([.home], "first", action: .first, hiddenInLine: true),
        KeyBinding([.end], "last", action: .last, hiddenInLine: true),
        KeyBinding([.backspace], "erase a letter of the filter", action: .erase, hiddenInLine: true),
        KeyBinding([.control("u")], "clear the filter", action: .clear, hiddenInLine: true),
        KeyBinding([.escape], "back", label: "Esc", action: .back),
        KeyBinding([.function(1)], "all keys", action: .help, hiddenInLine: true),
        KeyBinding([.control("c")], "leave", action: .quit),
    ])

    public let items: [Item]
    public private(set) var filter = ""
    /// The longest filter kept: no application's title is near it, and a stray paste of a
    /// megabyte must not be matched against every title on every frame.
    static let filterLimit = 200
    public private(set) var selection = 0
    /// The full key help is shown; any key closes it.
    public private(set) var showingHelp = false
    private var scroll = 0

    public init(items: [Item]) {
        self.items = items
    }

    public init(catalog: ConnectorCatalog) {
        self.init(items: catalog.entries.map {
            Item(id: $0.schema.id, title: $0.schema.title, category: $0.schema.category, description: $0.schema.description)
        })
    }

    /// The items the filter lets through: every word must appear in the title, id, category
    /// or description.
    public var visible: [Item] {
        let words = filterWords
        guard !words.isEmpty else { return items }
        return items.filter { item in
            let haystack = (item.title + " " + item.id + " " + item.category + " " + item.description).lowercased()
            return words.allSatisfy { haystack.contains($0) }
        }
    }

    var filterWords: [String] { filter.lowercased().split(separator: " ").map(String.init) }

    /// Why `item` is shown when the title, id and category do not say: the part of its
    /// description holding the filter words they lack, for the row to show.
    func descriptionMatch(of item: Item) -> String? {
        let named = (item.title + " " + item.id + " " + item.category).lowercased()
        guard let word = filterWords.first(where: { !named.contains($0) }),
              let found = item.description.lowercased().range(of: word) else { return nil }
        // The same offsets in the original text: lowercasing keeps ASCII lengths, and a
        // description whose lowercase form differs in length is shown from its start.
        let text = item.description
        let start = text.lowercased().count == text.count ? text.lowercased().distance(from: text.lowercased().startIndex, to: found.lowerBound) : 0
        let from = max(0, start - 12)
        let snippet = String(text.dropFirst(from))
        return (from > 0 ? "…" : "") + snippet
    }

    /// Where the filter's words are in `title`, as character offsets, for the row to mark.
    func titleMatches(of title: String) -> [Range<Int>] {
        let lower = title.lowercased()
        guard lower.count == title.count else { return [] }
        return filterWords.compactMap { word in
            lower.range(of: word).map { lower.distance(from: lower.startIndex, to: $0.lowerBound)..<lower.distance(from: lower.startIndex, to: $0.upperBound) }
        }
    }

    public mutating func handle(_ key: Key, pageSize: Int = 10) -> Outcome {
        if showingHelp {
            showingHelp = false
            return .stay
        }
        let count = visible.count
        guard let action = Self.keymap.action(for: key) else {
            if case .character(let character) = key, !character.isNewline {
                filter.append(character)
                selection = 0
            } else if case .paste(let text) = key {
                filter += text.prefix(max(0, Self.filterLimit - filter.count))
                selection = 0
            }
            return .stay
        }
        switch action {
        case .up: selection = max(0, selection - 1)
        case .down: selection = min(max(0, count - 1), selection + 1)
        case .pageUp: selection = max(0, selection - pageSize)
        case .pageDown: selection = min(max(0, count - 1), selection + pageSize)
        case .first: selection = 0
        case .last: selection = max(0, count - 1)
        case .choose:
            guard count > 0 else { return .stay }
            return .chosen(visible[selection].id)
        case .erase:
            if !filter.isEmpty { filter.removeLast(); selection = 0 }
        case .clear:
            filter = ""
            selection = 0
        case .back:
            if filter.isEmpty { return .cancelled }
            filter = ""
            selection = 0
        case .help:
            showingHelp = true
        case .quit:
            return .cancelled
        }
        return .stay
    }

    /// Draws the list into `buffer`, keeping the selection in view.
    public mutating func render(into buffer: inout CellBuffer) {
        draw(into: &buffer)
        if showingHelp {
            HelpOverlay.draw(Self.keymap, title: "Keys of the application list (F1)", into: &buffer)
        }
    }

    private mutating func draw(into buffer: inout CellBuffer) {
        buffer.clear()
        if ScreenLayout.tooSmall(&buffer) { return }
        let typing = " · type to filter"
        ScreenLayout.frame(&buffer, title: "Create connection › Choose an application",
                           help: Self.keymap.helpLine(width: buffer.width - 2 - DisplayWidth.of(typing)) + typing)
        let label = "Filter: "
        buffer.put(label, row: 2, column: 1, tone: .strong)
        let used = buffer.put(filter, row: 2, column: 1 + DisplayWidth.of(label), limit: buffer.width - 12)
        buffer.cursor = (2, 1 + DisplayWidth.of(label) + used)

        let shown = visible
        let listTop = 4
        let listHeight = max(1, buffer.height - listTop - 4)
        if shown.isEmpty {
            buffer.put(DisplayWidth.truncate("No application matches “\(filter)”.", to: buffer.width - 4), row: listTop, column: 3)
            buffer.put("Backspace or Esc changes the filter.", row: listTop + 1, column: 3, tone: .dim)
            return
        }
        selection = min(selection, shown.count - 1)
        scroll = ScreenLayout.scroll(scroll, keeping: selection, height: listHeight)
        let titleWidth = min(36, max(10, buffer.width / 2 - 4))
        for (offset, item) in shown.dropFirst(scroll).prefix(listHeight).enumerated() {
            let row = listTop + offset
            let selected = scroll + offset == selection
            if selected { buffer.fill(row: row, column: 1, count: buffer.width - 2, tone: .selected) }
            let tone: Tone = selected ? .selected : .normal
            buffer.put(selected ? "›" : " ", row: row, column: 1, tone: tone)
            let title = DisplayWidth.truncate(item.title, to: titleWidth)
            buffer.put(title, row: row, column: 3, tone: tone)
            if !selected {
                // The letters the filter matched, marked where they show.
                for match in titleMatches(of: item.title) where match.upperBound <= title.count {
                    let before = DisplayWidth.of(String(title.prefix(match.lowerBound)))
                    buffer.put(String(title.dropFirst(match.lowerBound).prefix(match.count)), row: row, column: 3 + before, tone: .accent)
                }
            }
            let right = descriptionMatch(of: item) ?? item.category
            buffer.put(DisplayWidth.truncate(right, to: buffer.width - titleWidth - 8), row: row, column: 5 + titleWidth,
                       tone: selected ? .selected : .dim)
        }
        let position = "\(selection + 1) of \(shown.count)" + (shown.count < items.count ? " matching “\(filter)” (\(items.count) in all)" : " applications")
        buffer.put(position, row: listTop + listHeight, column: 3, tone: .dim)
        buffer.put(DisplayWidth.truncate(shown[selection].description, to: buffer.width - 4), row: buffer.height - 3, column: 3)
    }
}
