
/// Drawing the View log: the exchange list, the transcript pane, search and questions.
extension ViewLogScreen {
    public mutating func render(into buffer: inout CellBuffer) {
        draw(into: &buffer)
        if showingHelp {
            HelpOverlay.draw(Self.keymap, title: "Keys of View log (? or F1)", into: &buffer)
        }
    }

    mutating func draw(into buffer: inout CellBuffer) {
        buffer.clear()
        if ScreenLayout.tooSmall(&buffer) { return }
        let help = question != nil ? PathQuestion.help : typing != nil ? "Enter find · Esc cancel" : Self.keymap.helpLine(width: buffer.width - 2)
        ScreenLayout.frame(&buffer, title: title, help: help)
        // The status with its hint, wrapped rather than cut (leaving room for the list and some of the transcript).
        var listTop = 3
        if let status {
            let lines = ScreenLayout.wrap(status.text, width: buffer.width - 2).prefix(max(1, buffer.height - 10))
            for (offset, line) in lines.enumerated() {
                buffer.put(line, row: 1 + offset, column: 1, tone: status.passed ? .success : .failure)
            }
            listTop = max(listTop, 2 + lines.count)
        }

        // The list: a third of the screen at most, the selection kept in view.
        let listHeight = max(1, min(itemCount, (buffer.height - 3 - listTop) / 3))
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
        // Which pane the arrows and page keys move, so a key that seems to do nothing does not.
        let moves = itemCount == 0 ? "" : focus == .list ? " · ↑↓ move the list" : " · ↑↓ scroll the transcript"
        let counter = itemCount == 0 ? "No exchanges: nothing was sent." : "Exchange \(selection + 1) of \(itemCount)"
        let view = (wrap ? "" : " · wrap off") + (folded ? " · JSON folded" : "") + (hex ? " · hex" : "")
        buffer.put(DisplayWidth.truncate(counter + view + moves, to: buffer.width - 2), row: listTop + listHeight,
                   column: 1, tone: .dim)

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
            let isHit = hit == SearchHit(exchange: selection, line: index)
            let tone: Tone = isHit ? .selected : !needle.isEmpty && line.lowercased().contains(needle) ? .accent : Self.tone(of: line)
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
        shownLines = index - top
        let footer: String
        if let question {
            question.draw(into: &buffer, row: buffer.height - 2)
            return
        } else if let typing {
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
