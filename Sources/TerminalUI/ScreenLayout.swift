/// The parts every screen shares: a title row, a help row at the bottom, and the message
/// shown instead of a layout when the terminal is below the minimum size.
public enum ScreenLayout {
    /// Draws `title` on the first row (strong) and the help line on the last (dim).
    public static func frame(_ buffer: inout CellBuffer, title: String, help: String) {
        buffer.put(DisplayWidth.truncate(title, to: buffer.width - 2), row: 0, column: 1, tone: .strong)
        buffer.put(DisplayWidth.truncate(help, to: buffer.width - 2), row: buffer.height - 1, column: 1, tone: .dim)
    }

    /// `text` folded at spaces into lines of at most `width` columns; a word wider than that
    /// is cut into pieces. Hints and statuses are wrapped with it rather than cut with "…".
    public static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        let words: [String] = text.split(separator: " ", omittingEmptySubsequences: false).flatMap { word -> [String] in
            DisplayWidth.of(String(word)) > width ? pieces(of: String(word), width: width) : [String(word)]
        }
        var lines: [String] = []
        var line = ""
        for word in words {
            let candidate = line.isEmpty ? word : line + " " + word
            if DisplayWidth.of(candidate) > width, !line.isEmpty {
                lines.append(line)
                line = word
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// A word too wide for a line (an address), cut after the last `/ ? & = . - _` in the
    /// second half of the line, so the pieces end where the address has a seam; cut at the
    /// width only where none does.
    static func pieces(of word: String, width: Int) -> [String] {
        var pieces: [String] = []
        var rest = Substring(word)
        while DisplayWidth.of(String(rest)) > width {
            var taken = 0, cut = rest.startIndex, seam: String.Index?
            for index in rest.indices {
                let columns = DisplayWidth.of(rest[index])
                if taken + columns > width { break }
                taken += columns
                cut = rest.index(after: index)
                if "/?&=.-_".contains(rest[index]), taken * 2 >= width { seam = cut }
            }
            let end = seam ?? cut
            guard end > rest.startIndex else { break }
            pieces.append(String(rest[..<end]))
            rest = rest[end...]
        }
        if !rest.isEmpty { pieces.append(String(rest)) }
        return pieces
    }

    /// The first row to show of a list `height` rows tall so that `selection` is in view,
    /// moving the previous `scroll` as little as possible.
    public static func scroll(_ scroll: Int, keeping selection: Int, height: Int) -> Int {
        if selection < scroll { return selection }
        if selection >= scroll + height { return selection - height + 1 }
        return scroll
    }

    /// "Enlarge the terminal" centred, with the size needed and the size now; true when drawn.
    @discardableResult
    public static func tooSmall(_ buffer: inout CellBuffer) -> Bool {
        let size = TerminalSize(width: buffer.width, height: buffer.height)
        guard size.isTooSmall else { return false }
        buffer.clear()
        let lines = [
            "Please enlarge the terminal.",
            "connwiz needs \(TerminalSize.minimum.width)×\(TerminalSize.minimum.height); this one is \(size.width)×\(size.height).",
            "Nothing typed is lost meanwhile.",
            "Ctrl-C leaves (twice in a form).",
        ]
        let top = max(0, (buffer.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let text = DisplayWidth.truncate(line, to: buffer.width)
            buffer.put(text, row: top + offset, column: max(0, (buffer.width - DisplayWidth.of(text)) / 2), tone: offset == 0 ? .strong : .normal)
        }
        return true
    }
}
