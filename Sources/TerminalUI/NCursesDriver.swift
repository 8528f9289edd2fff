import CNCurses
import ConnectionCore
import Foundation

/// The real terminal, through ncursesw: raw keys (Ctrl-C arrives as a key, so views decide
/// what it means and the terminal is always restored), UTF-8 in and out, colour when allowed.
/// Only rows that changed since the last frame are redrawn.
public final class NCursesDriver: TerminalDriver {
    public let colorEnabled: Bool
    private var lastFrame: CellBuffer?
    private var cursorShown = false
    private var isRunning = false
    /// Keys read ahead while looking for a paste's brackets, or the keys of a paste.
    private var pending: [Key] = []
    private var pendingStart = 0

    /// Takes over the terminal; nil when curses cannot drive it (an unknown `TERM`), so the
    /// caller can fall back to line prompts. `color` false forces monochrome (`--no-color`);
    /// `NO_COLOR` in the environment does the same.
    public init?(color: Bool = true, environment: [String: String] = ProcessInfo.processInfo.environment) {
        setlocale(LC_ALL, "")
        // ncursesw draws non-ASCII only in a UTF-8 locale; a bare C locale (a minimal
        // container, ssh without locale forwarding) gets C.UTF-8 for characters, else prompts.
        if !Self.localeIsUTF8 {
            setlocale(LC_CTYPE, "C.UTF-8")
            guard Self.localeIsUTF8 else { return nil }
        }
        cnc_save_terminal()
        guard cnc_open_terminal() == 1 else { return nil }
        // After newterm, so these replace any handler curses set up.
        cnc_install_restore_on_signals()
        raw()
        noecho()
        nonl()
        keypad(cnc_stdscr(), true)
        cnc_bracketed_paste(1)
        // Long enough for an arrow key's bytes split by a slow ssh link, short enough for Esc.
        set_escdelay(50)
        curs_set(0)
        let wanted = color && environment["NO_COLOR"].map(\.isEmpty) != false
        if wanted && has_colors() {
            start_color()
            use_default_colors()
            init_pair(1, Int16(COLOR_GREEN), -1)
            init_pair(2, Int16(COLOR_RED), -1)
            init_pair(3, Int16(COLOR_CYAN), -1)
            colorEnabled = true
        } else {
            colorEnabled = false
        }
        isRunning = true
    }

    deinit { shutdown() }

    public var size: TerminalSize { TerminalSize(width: Int(cnc_cols()), height: Int(cnc_lines())) }

    public func present(_ buffer: CellBuffer) {
        let screen = cnc_stdscr()
        // One cell's characters, reused: building an array per cell cost an allocation for each
        // of a frame's 3,000 cells.
        var characters: (wchar_t, wchar_t, wchar_t, wchar_t, wchar_t) = (0, 0, 0, 0, 0)
        let previous = lastFrame.flatMap { $0.width == buffer.width && $0.height == buffer.height ? $0 : nil }
        for row in buffer.changedRows(since: lastFrame) {
            // After a character beyond ASCII the rest of the row is sent whole, in case curses
            // gave it another width than DisplayWidth did.
            var sendRest = false
            for column in 0..<buffer.width {
                let cell = buffer[row, column]
                if cell.continuation { continue }
                // Curses keeps what it was last sent: only cells that differ go to it again.
                if !sendRest, previous.map({ $0[row, column] == cell }) == true { continue }
                if !cell.character.isASCII { sendRest = true }
                // Placed cell by cell: where curses' idea of a character's width differs from
                // DisplayWidth's (a new emoji), the rest of the row still lands in its columns.
                wmove(screen, Int32(row), Int32(column))
                let (attributes, pair) = style(cell.tone)
                var count: Int32 = 0
                withUnsafeMutableBytes(of: &characters) { raw in
                    let slots = raw.bindMemory(to: wchar_t.self)
                    for scalar in cell.character.unicodeScalars.prefix(5) {
                        slots[Int(count)] = wchar_t(bitPattern: scalar.value)
                        count += 1
                    }
                    _ = cnc_add_cell(screen, slots.baseAddress, count, attributes, pair)
                }
            }
        }
        if let cursor = buffer.cursor {
            wmove(screen, Int32(cursor.row), Int32(cursor.column))
            if !cursorShown { curs_set(1); cursorShown = true }
        } else if cursorShown {
            curs_set(0)
            cursorShown = false
        }
        wrefresh(screen)
        lastFrame = buffer
        writeUnbroken(buffer.unbrokenLines)
    }

    /// Writes each unbroken line again behind curses' back, letting the terminal wrap it, so
    /// the terminal marks its rows as one line; the cells are the ones curses just drew, and
    /// the cursor and attributes are saved and restored around it (DECSC, DECRC).
    private func writeUnbroken(_ lines: [CellBuffer.UnbrokenLine]) {
        guard !lines.isEmpty else { return }
        var bytes = "\u{1B}7"
        for line in lines {
            bytes += "\u{1B}[\(line.row + 1);1H\u{1B}[\(sgr(line.tone))m" + line.text + "\u{1B}[0m"
        }
        bytes += "\u{1B}8"
        Self.writeAll(bytes)
    }

    /// OSC 52: the terminal (or tmux with set-clipboard on) puts `text` on its clipboard.
    public func copyToClipboard(_ text: String) {
        Self.writeAll("\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}")
    }

    private static func writeAll(_ text: String) {
        _ = PrivateFile.writeAll(Data(text.utf8), to: STDOUT_FILENO)
    }

    public func nextKey(timeout: Int?) -> Key? {
        if pendingStart < pending.count {
            defer {
                pendingStart += 1
                if pendingStart == pending.count { pending.removeAll(); pendingStart = 0 }
            }
            return pending[pendingStart]
        }
        guard let (code, special) = read(timeout: timeout) else { return nil }
        if special {
            if Int32(code) == KEY_RESIZE { lastFrame = nil }
            return Self.special(Int32(code))
        }
        if code == 27 { return escapeOrPaste() }
        return Self.plain(code)
    }

    /// One code from the terminal, and whether it is a special key.
    private func read(timeout: Int?) -> (UInt32, Bool)? {
        let screen = cnc_stdscr()
        wtimeout(screen, Int32(timeout ?? -1))
        var code: wint_t = 0
        let result = wget_wch(screen, &code)
        if result == ERR { return nil }
        return (UInt32(code), result == cnc_key_code_yes())
    }

    /// After Esc: the start of a bracketed paste (`[200~`) makes what follows, up to `ESC[201~`,
    /// typed text, with its newlines as text too, never Enter. Anything else is Esc and the
    /// keys read after it, in order.
    private func escapeOrPaste() -> Key? {
        var seen: [(UInt32, Bool)] = []
        for expected in "[200~".unicodeScalars {
            guard let next = read(timeout: 0) else { break }
            seen.append(next)
            if next.1 || next.0 != expected.value { break }
        }
        guard seen.count == 5, seen.allSatisfy({ !$0.1 }), String(String.UnicodeScalarView(seen.compactMap { Unicode.Scalar($0.0) })) == "[200~" else {
            pending += seen.compactMap { $0.1 ? Self.special(Int32($0.0)) : Self.plain($0.0) }
            return .escape
        }
        var pasted = String.UnicodeScalarView()
        var kept = 0
        var tail: [UInt32] = []
        let end: [UInt32] = [27] + "[201~".unicodeScalars.map(\.value)
        // A paste ends at its closing bracket; a terminal that never sends one ends it after
        // a second of silence. Past `pasteLimit` the rest is read and dropped, so an endless
        // paste cannot grow memory; the editor cuts to its own limit and says so once.
        while let next = read(timeout: 1000) {
            guard !next.1 else { continue }
            tail.append(next.0)
            if tail.count > end.count { tail.removeFirst() }
            if tail == end { break }
            // A count kept by hand: a scalar view counts by walking it.
            guard kept < Self.pasteLimit + end.count, let scalar = Unicode.Scalar(next.0) else { continue }
            pasted.append(scalar)
            kept += 1
        }
        if tail == end, kept >= end.count - 1 { pasted.removeLast(end.count - 1) }
        // Pasted text is text: line breaks go (a field keeps one line), a tab is a space, and
        // no control character of a paste can act as a key.
        var text = String.UnicodeScalarView()
        for scalar in pasted {
            switch scalar.value {
            case 9: text.append(" ")
            case 0..<32, 127: continue
            default: text.append(scalar)
            }
        }
        return text.isEmpty ? nil : .paste(String(text))
    }

    /// The most characters one paste delivers: well over any field's own limit.
    static let pasteLimit = 1 << 20

    /// Forces the next frame to be drawn whole (after a resize or a redraw request).
    public func invalidate() {
        lastFrame = nil
        clearok(cnc_stdscr(), true)
    }

    public func shutdown() {
        guard isRunning else { return }
        isRunning = false
        curs_set(1)
        cnc_bracketed_paste(0)
        endwin()
        cnc_uninstall_restore_on_signals()
    }

    // MARK: Mapping

    /// The SGR parameters of `tone`, as `style` draws it, for text written past curses.
    private func sgr(_ tone: Tone) -> String {
        switch tone {
        case .normal: return "0"
        case .strong: return "0;1"
        case .dim: return "0;2"
        case .selected: return "0;7"
        case .success: return colorEnabled ? "0;1;32" : "0;1"
        case .failure: return colorEnabled ? "0;1;31" : "0;1;4"
        case .accent: return colorEnabled ? "0;36" : "0;4"
        }
    }

    private func style(_ tone: Tone) -> (attr_t, Int16) {
        switch tone {
        case .normal: return (cnc_a_normal(), 0)
        case .strong: return (cnc_a_bold(), 0)
        case .dim: return (cnc_a_dim(), 0)
        case .selected: return (cnc_a_reverse(), 0)
        case .success: return colorEnabled ? (cnc_a_bold(), 1) : (cnc_a_bold(), 0)
        case .failure: return colorEnabled ? (cnc_a_bold(), 2) : (cnc_a_bold() | cnc_a_underline(), 0)
        case .accent: return colorEnabled ? (cnc_a_normal(), 3) : (cnc_a_underline(), 0)
        }
    }

    static var localeIsUTF8: Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    static func plain(_ code: UInt32) -> Key? {
        switch code {
        case 10, 13: return .enter
        case 27: return .escape
        case 127, 8: return .backspace
        case 9: return .tab
        case 1...26: return .control(Character(Unicode.Scalar(code + 96)!))
        // Other control characters (Ctrl-Space, Ctrl-\ …, C1 codes) would be invisible text.
        case 0, 28...31, 128...159: return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .character(Character(scalar))
        }
    }

    static func special(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_RESIZE: return .resize
        default:
            for number in 1...12 where code == cnc_key_f(Int32(number)) { return .function(number) }
            return nil
        }
    }
}
