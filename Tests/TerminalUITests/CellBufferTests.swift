import Testing
@testable import TerminalUI

@Suite("Cell buffer and widths")
struct CellBufferTests {
    @Test func widthsOfLatinWideAndCombiningText() {
        #expect(DisplayWidth.of("Zürich") == 6)
        #expect(DisplayWidth.of("日本") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of("Prod 🚀") == 7)
        #expect(DisplayWidth.of("✅") == 2 && DisplayWidth.of("⭐") == 2 && DisplayWidth.of("✓") == 1)
        #expect(DisplayWidth.of("a\tb") == 2)
        #expect(DisplayWidth.truncate("Celigo integrator.io", to: 10) == "Celigo in…")
        #expect(DisplayWidth.truncate("日本語テキスト", to: 7) == "日本語…")
        #expect(DisplayWidth.truncate("short", to: 10) == "short")
    }

    @Test func wideCharactersTakeTwoCellsAndAreNeverSplit() {
        var buffer = CellBuffer(width: 10, height: 2)
        #expect(buffer.put("日本 ok", row: 0, column: 0) == 7)
        #expect(buffer.lines[0] == "日本 ok")
        #expect(buffer[0, 1].continuation && !buffer[0, 2].continuation)
        // At the edge a wide character that does not fit whole is left out.
        #expect(buffer.put("abcdefghi日", row: 1, column: 0) == 9)
        #expect(buffer.lines[1] == "abcdefghi")
    }

    @Test func clippingAtALimitAndOffTheScreen() {
        var buffer = CellBuffer(width: 8, height: 2)
        buffer.put("Zürich, Schweiz", row: 0, column: 2, limit: 4)
        #expect(buffer.lines[0] == "  Züri")
        #expect(buffer.put("nothing", row: 5, column: 0) == 0)
        #expect(buffer.put("x", row: 0, column: 8) == 0)
        buffer.put("e\u{301}t\u{E9}", row: 1, column: 0)
        #expect(buffer.lines[1] == "e\u{301}t\u{E9}")
        #expect(DisplayWidth.of(buffer.lines[1]) == 3)
    }

    @Test func scrollingKeepsTheSelectionInViewAndMovesLittle() {
        #expect(ScreenLayout.scroll(0, keeping: 3, height: 5) == 0)
        #expect(ScreenLayout.scroll(0, keeping: 7, height: 5) == 3)
        #expect(ScreenLayout.scroll(6, keeping: 2, height: 5) == 2)
        #expect(ScreenLayout.scroll(4, keeping: 6, height: 5) == 4)
    }

    @Test func tonesFillsAndChangedRows() {
        var buffer = CellBuffer(width: 6, height: 3)
        buffer.put("ok", row: 0, column: 0, tone: .success)
        #expect(buffer[0, 0].tone == .success)
        buffer.fill(row: 1, tone: .selected)
        #expect((0..<6).allSatisfy { buffer[1, $0].tone == .selected })
        buffer.retone(row: 0, count: 1, to: .failure)
        #expect(buffer[0, 0].tone == .failure && buffer[0, 1].tone == .success)
        var next = buffer
        next.put("x", row: 2, column: 3)
        #expect(next.changedRows(since: buffer) == [2])
        #expect(next.changedRows(since: nil) == [0, 1, 2])
        #expect(next.changedRows(since: CellBuffer(width: 5, height: 3)) == [0, 1, 2])
        next.cursor = (2, 4)
        #expect(next.cursor?.column == 4)
        next.clear()
        #expect(next.lines.allSatisfy(\.isEmpty) && next.cursor == nil)
    }
}

@Suite("Keys and keymaps")
struct KeymapTests {
    enum Action: Hashable, Sendable { case choose, filter, back, help, quit }

    let keymap = Keymap<Action>([
        KeyBinding([.enter], "choose", action: .choose),
        KeyBinding([.character("/")], "filter", action: .filter),
        KeyBinding([.escape, .character("q")], "back", label: "Esc", action: .back),
        KeyBinding([.character("?"), .function(1)], "help", label: "?/F1", action: .help),
        KeyBinding([.control("c")], "quit", action: .quit, hiddenInLine: true),
    ])

    @Test func matchesEveryKeyOfABinding() {
        #expect(keymap.action(for: .enter) == .choose)
        #expect(keymap.action(for: .character("q")) == .back)
        #expect(keymap.action(for: .escape) == .back)
        #expect(keymap.action(for: .function(1)) == .help)
        #expect(keymap.action(for: .control("c")) == .quit)
        #expect(keymap.action(for: .character("z")) == nil)
    }

    @Test func helpLineComesFromTheSameDeclarationAndFits() {
        #expect(keymap.helpLine(width: 80) == "Enter choose · / filter · Esc back · ?/F1 help")
        #expect(keymap.helpLine(width: 30) == "Enter choose · / filter")
        #expect(keymap.fullHelp.last == "Ctrl-C  quit")
        #expect(keymap.fullHelp.count == 5)
        let paired = Keymap<Action>([KeyBinding([.up], "move", label: "↑↓", action: .back), KeyBinding([.down], "down", action: .choose, pairedWithPrevious: true)])
        #expect(paired.fullHelp == ["↑↓  move"])
        #expect(paired.helpLine(width: 80) == "↑↓ move")
        #expect(paired.action(for: .down) == .choose)
    }

    @Test func rawKeyCodesMapToKeys() {
        #expect(NCursesDriver.plain(10) == .enter)
        #expect(NCursesDriver.plain(13) == .enter)
        #expect(NCursesDriver.plain(27) == .escape)
        // Control characters that would be invisible text are dropped.
        for code: UInt32 in [0, 28, 29, 30, 31, 0x85, 0x9B] { #expect(NCursesDriver.plain(code) == nil) }
        #expect(NCursesDriver.plain(127) == .backspace)
        #expect(NCursesDriver.plain(3) == .control("c"))
        #expect(NCursesDriver.plain(0xFC) == .character("ü"))
        #expect(NCursesDriver.plain(0x65E5) == .character("日"))
        #expect(NCursesDriver.special(0o403) == .up)
        #expect(NCursesDriver.special(0o632) == .resize)
    }

    @Test func recordingDriverScriptsKeysAndKeepsFrames() {
        let driver = RecordingDriver(size: TerminalSize(width: 20, height: 5), keys: [.down])
        driver.type("ab")
        var frame = CellBuffer(width: 20, height: 5)
        frame.put("hello", row: 0, column: 0)
        driver.present(frame)
        #expect(driver.screen.hasPrefix("hello"))
        #expect(driver.nextKey(timeout: nil) == .down)
        #expect(driver.nextKey(timeout: nil) == .character("a"))
        driver.resize(to: TerminalSize(width: 50, height: 10))
        #expect(driver.nextKey(timeout: nil) == .resize)
        #expect(driver.size.width == 50)
        #expect(TerminalSize(width: 59, height: 30).isTooSmall && !TerminalSize(width: 60, height: 16).isTooSmall)
        driver.shutdown()
        #expect(driver.isShutDown)
    }
}

extension CellBufferTests {
    @Test func anUnbrokenLineIsDrawnFromColumnZeroAndKeptOnlyWhenWholeAndPlainASCII() {
        var buffer = CellBuffer(width: 10, height: 6)
        let url = "https://example.com/a?b=c"
        #expect(buffer.putUnbroken(url, row: 1, endRow: 5) == 3)
        #expect(buffer.lines[1] == "https://ex" && buffer.lines[2] == "ample.com/" && buffer.lines[3] == "a?b=c")
        #expect(buffer.unbrokenLines == [CellBuffer.UnbrokenLine(row: 1, text: url, tone: .normal)])
        var short = CellBuffer(width: 10, height: 6)
        #expect(short.putUnbroken(url, row: 3, endRow: 5) == 2)
        #expect(short.unbrokenLines.isEmpty, "a cut address is not offered as whole")
        var wide = CellBuffer(width: 10, height: 6)
        wide.putUnbroken("https://ü.example/あ", row: 0, endRow: 5)
        #expect(wide.unbrokenLines.isEmpty && wide.lines[0] == "https://ü.")
        wide.clear()
        #expect(wide.unbrokenLines.isEmpty)
    }
}
