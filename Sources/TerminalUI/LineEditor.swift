/// One line of text being typed, with a cursor: insert, erase, move, clear. A paste arrives
/// whole (`Key.paste`) and is inserted in one step, cut at `limit`.
public struct LineEditor: Hashable, Sendable {
    public private(set) var characters: [Character]
    public private(set) var cursor: Int
    /// Characters refused because the line was full (`limit`), since it was last edited.
    public private(set) var refused = 0
    /// The most characters the line takes.
    public let limit: Int
    /// How many times the text has changed: telling a change costs nothing, where comparing
    /// the text before and after would cost the line's length on every key of a long paste.
    public private(set) var changes = 0

    public init(_ text: String = "", limit: Int = 65_536) {
        characters = Array(text)
        cursor = characters.count
        self.limit = limit
    }

    public var text: String { String(characters) }

    /// Applies an editing key; false when the key is not an editing key.
    public mutating func apply(_ key: Key) -> Bool {
        switch key {
        case .character(let character) where !character.isNewline:
            guard characters.count < limit else {
                refused += 1
                return true
            }
            characters.insert(character, at: cursor)
            cursor += 1
            changes += 1
        case .paste(let text):
            let pasted = Array(text)
            let room = max(0, limit - characters.count)
            let taken = min(room, pasted.count)
            refused += pasted.count - taken
            guard taken > 0 else { return true }
            characters.insert(contentsOf: pasted[..<taken], at: cursor)
            cursor += taken
            changes += 1
        case .backspace:
            refused = 0
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
            changes += 1
        case .delete:
            refused = 0
            if cursor < characters.count {
                characters.remove(at: cursor)
                changes += 1
            }
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .control("u"):
            refused = 0
            if cursor > 0 { changes += 1 }
            characters.removeFirst(cursor)
            cursor = 0
        case .control("w"):
            refused = 0
            var start = cursor
            while start > 0, characters[start - 1] == " " { start -= 1 }
            while start > 0, characters[start - 1] != " " { start -= 1 }
            if start < cursor { changes += 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        default:
            return false
        }
        return true
    }

    /// The text as shown in `width` columns, scrolled so the cursor is visible, and the
    /// cursor's column; `mask` replaces every character (secrets).
    public func view(width: Int, mask: Character? = nil) -> (text: String, cursor: Int) {
        let shown = mask.map { m in characters.map { _ in m } } ?? characters
        let widths = shown.map(DisplayWidth.of)
        var start = 0
        var before = widths[0..<cursor].reduce(0, +)
        while before > width - 1, start < cursor {
            before -= widths[start]
            start += 1
        }
        var text = ""
        var used = 0
        for index in start..<shown.count {
            if used + widths[index] > width { break }
            text.append(shown[index])
            used += widths[index]
        }
        return (text, before)
    }
}
