/// One screen position: a character and its tone. The column after a wide character holds a
/// continuation cell, which drivers skip.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var tone: Tone
    public var continuation: Bool

    public init(_ character: Character = " ", tone: Tone = .normal, continuation: Bool = false) {
        self.character = character
        self.tone = tone
        self.continuation = continuation
    }

    public static let blank = Cell()
}

/// The screen as views draw it: a grid of cells, written with clipping and wide-character
/// awareness. Drivers flush it (the ncurses one only what changed); tests read it as text.
public struct CellBuffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should rest (a text field's insertion point), if shown.
    public var cursor: (row: Int, column: Int)? {
        get { cursorRow.map { ($0, cursorColumn) } }
        set {
            cursorRow = newValue?.row
            cursorColumn = newValue?.column ?? 0
        }
    }
    private var cursorRow: Int?
    private var cursorColumn = 0

    /// Text the terminal must hold as one line however many rows it takes: a sign-in address.
    /// Its cells are drawn from column 0, cut at the right edge; the ncurses driver also writes
    /// it through the terminal's own wrapping, so a mouse copy (or tmux's) joins the rows into
    /// one address instead of carrying line breaks.
    public struct UnbrokenLine: Hashable, Sendable {
        public var row: Int
        public var text: String
        public var tone: Tone
    }
    public private(set) var unbrokenLines: [UnbrokenLine] = []

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(row: Int, column: Int) -> Cell {
        get { cells[row * width + column] }
        set { cells[row * width + column] = newValue }
    }

    public mutating func clear() {
        cells = Array(repeating: .blank, count: width * height)
        cursorRow = nil
        unbrokenLines = []
    }

    /// Draws `text` from column 0 of `row`, the full width of each row, over as many rows as it
    /// takes before `endRow`; returns the rows used. Printable ASCII that fits whole becomes an
    /// `UnbrokenLine`; anything else (a width the terminal may count otherwise) is only drawn.
    @discardableResult
    public mutating func putUnbroken(_ text: String, row: Int, endRow: Int, tone: Tone = .normal) -> Int {
        guard width > 0, row >= 0 else { return 0 }
        let pieces = ViewLogScreen.wrapped(text, width: width)
        let last = min(endRow, height)
        var used = 0
        for piece in pieces where row + used < last {
            put(piece, row: row + used, column: 0, tone: tone)
            used += 1
        }
        let printable = text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
        if printable, !text.isEmpty, used == pieces.count {
            unbrokenLines.append(UnbrokenLine(row: row, text: text, tone: tone))
        }
        return used
    }

    /// Writes `text` at (`row`, `column`), stopping at `limit` columns (default: the right
    /// edge). A wide character that would not fit whole is not drawn. Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, tone: Tone = .normal, limit: Int? = nil) -> Int {
        guard row >= 0, row < height, column < width else { return 0 }
        let end = min(width, column + (limit ?? width))
        var position = column
        for character in text {
            if character == "\n" || character == "\r" { break }
            let columns = DisplayWidth.of(character)
            if columns == 0 {
                // A combining mark joins the character before it.
                if position > column, position - 1 < width, position - 1 >= 0 {
                    var previous = self[row, position - 1]
                    if !previous.continuation {
                        previous.character = Character(String(previous.character) + String(character))
                        self[row, position - 1] = previous
                    }
                }
                continue
            }
            guard position + columns <= end else { break }
            if position >= 0 {
                self[row, position] = Cell(character, tone: tone)
                if columns == 2 { self[row, position + 1] = Cell(" ", tone: tone, continuation: true) }
            }
            position += columns
        }
        return position - column
    }

    /// Paints `count` cells from (`row`, `column`) with spaces of `tone` (a highlighted row).
    public mutating func fill(row: Int, column: Int = 0, count: Int? = nil, tone: Tone) {
        guard row >= 0, row < height else { return }
        let start = max(0, column)
        let end = min(width, column + (count ?? width))
        guard start < end else { return }
        for index in start..<end { self[row, index] = Cell(" ", tone: tone) }
    }

    /// Changes the tone of cells already drawn (to highlight a row without redrawing it).
    public mutating func retone(row: Int, column: Int = 0, count: Int? = nil, to tone: Tone) {
        guard row >= 0, row < height else { return }
        let end = min(width, column + (count ?? width))
        for index in max(0, column)..<max(max(0, column), end) { self[row, index].tone = tone }
    }

    /// The rows as text, trailing spaces removed: what a screen snapshot compares.
    public var lines: [String] {
        (0..<height).map { row in
            var line = ""
            for column in 0..<width where !self[row, column].continuation { line.append(self[row, column].character) }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// The rows whose cells differ from `other` (all rows when the sizes differ).
    public func changedRows(since other: CellBuffer?) -> [Int] {
        guard let other, other.width == width, other.height == height else { return Array(0..<height) }
        return (0..<height).filter { row in
            let start = row * width
            return cells[start..<(start + width)] != other.cells[start..<(start + width)]
        }
    }

    public static func == (lhs: CellBuffer, rhs: CellBuffer) -> Bool {
        lhs.width == rhs.width && lhs.height == rhs.height && lhs.cells == rhs.cells && lhs.cursorRow == rhs.cursorRow && lhs.cursorColumn == rhs.cursorColumn
            && lhs.unbrokenLines == rhs.unbrokenLines
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(width)
        hasher.combine(height)
        hasher.combine(cells)
    }
}

extension CellBuffer {
    /// Writes `text` folded at word boundaries, over as many rows as it takes (up to the key
    /// line); returns the next free row. A word wider than `width` is cut into pieces.
    mutating func putWrapped(_ text: String, left: Int, width: Int, row: Int, tone: Tone = .normal) -> Int {
        var row = row
        for line in ScreenLayout.wrap(text, width: width) where row < height - 2 {
            put(DisplayWidth.truncate(line, to: width), row: row, column: left, tone: tone)
            row += 1
        }
        return row
    }
}
