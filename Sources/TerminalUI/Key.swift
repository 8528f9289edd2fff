/// A key press as views understand it, whatever terminal produced it.
public enum Key: Hashable, Sendable {
    case character(Character)
    case enter
    case escape
    case backspace
    case delete
    case tab
    case backTab
    case up, down, left, right
    case home, end, pageUp, pageDown
    case function(Int)
    /// Ctrl with a letter: `.control("c")`.
    case control(Character)
    /// The terminal changed size; views reflow.
    case resize
    /// Text the terminal delivered as one bracketed paste: taken in at once, as one change,
    /// so a paste of any size costs one edit and one frame, not one per character.
    case paste(String)

    /// Whether the key is text to type (a character or a paste) rather than a command.
    public var isText: Bool {
        switch self {
        case .character, .paste: return true
        case .enter, .escape, .backspace, .delete, .tab, .backTab, .up, .down, .left, .right, .home, .end, .pageUp, .pageDown,
             .function, .control, .resize: return false
        }
    }

    /// How the help line names the key.
    public var name: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let character): return String(character)
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .function(let number): return "F\(number)"
        case .control(let letter): return "Ctrl-\(letter.uppercased())"
        case .resize: return "resize"
        case .paste: return "paste"
        }
    }
}
