import Testing
import TestSupport
@testable import TerminalUI

/// View log finds things: one exchange opens with its transcript in focus, the counter line
/// says which pane the arrows move, search goes through every exchange and wraps, the HAR
/// file's path is asked, the kept attempts are listed.
@Suite("View log: focus, search across exchanges, HAR path, attempts")
struct ViewLogFindingTests {
    static let first = (0..<40).map { $0 == 30 ? "> Content-Type: application/json" : "first exchange, line \($0)" }
    static let second = (0..<40).map { $0 == 5 ? "< Content-Type: text/plain" : $0 == 35 ? "< content-type: text/html" : "second exchange, line \($0)" }

    func twoExchanges() -> ViewLogScreen {
        ViewLogScreen(title: "View log › Two", status: nil, items: [
            .init(method: "POST", path: "/token", result: "200 OK", time: "8 ms", failed: false),
            .init(method: "GET", path: "/me", result: "200 OK", time: "2 ms", failed: false),
        ], detail: { $0 == 0 ? Self.first : Self.second })
    }

    func draw(_ screen: inout ViewLogScreen, width: Int = 100, height: Int = 30) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        screen.render(into: &buffer)
        return buffer
    }

    @Test func oneExchangeOpensWithItsTranscriptInFocus() {
        var log = ViewLogScreen(title: "View log › One", status: nil, items: [
            .init(method: "GET", path: "/v1/tokenInfo", result: "200 OK", time: "3 ms", failed: false),
        ], detail: { _ in Self.first })
        #expect(!log.listHasFocus)
        let opened = draw(&log)
        #expect(opened.lines.contains { $0.contains("↑↓ scroll the transcript") })
        _ = log.handle(.down)
        #expect(log.top == 1)
        _ = log.handle(.pageDown)
        #expect(log.top > 1)
    }

    @Test func theCounterLineSaysWhichPaneTheArrowsMove() {
        var log = twoExchanges()
        #expect(log.listHasFocus)
        #expect(draw(&log).lines.contains { $0.contains("Exchange 1 of 2 · ↑↓ move the list") })
        _ = log.handle(.tab)
        #expect(draw(&log).lines.contains { $0.contains("Exchange 1 of 2 · ↑↓ scroll the transcript") })
    }

    @Test func searchGoesThroughEveryExchangeAndWrapsWithANote() {
        var log = twoExchanges()
        _ = draw(&log)
        for key in "/content-type" { _ = log.handle(.character(key)) }
        _ = log.handle(.enter)
        #expect(log.hit == .init(exchange: 0, line: 30))
        #expect(log.top == 30)
        _ = log.handle(.character("n"))
        #expect(log.selection == 1 && log.hit == .init(exchange: 1, line: 5))
        #expect(log.top == 0, "the hit is on the first page of the exchange")
        _ = draw(&log)
        _ = log.handle(.character("n"))
        #expect(log.hit == .init(exchange: 1, line: 35))
        _ = log.handle(.character("n"))
        #expect(log.selection == 0 && log.hit == .init(exchange: 0, line: 30))
        #expect(log.message == "Search wrapped past the end; found in exchange 1 of 2.")
        #expect(draw(&log).lines.contains { $0.contains("Search wrapped past the end") })
        _ = log.handle(.character("N"))
        #expect(log.selection == 1 && log.hit == .init(exchange: 1, line: 35))
        #expect(log.message?.contains("wrapped past the start") == true)
        _ = log.handle(.character("/"))
        for key in "nowhere" { _ = log.handle(.character(key)) }
        _ = log.handle(.enter)
        #expect(log.message == "“nowhere” not found in any of the 2 exchanges.")
    }

    @Test func aHitAlreadyOnScreenIsMarkedWhereItIs() {
        var log = twoExchanges()
        _ = log.handle(.tab)
        _ = draw(&log)
        for key in "/line 12" { _ = log.handle(.character(key)) }
        _ = log.handle(.enter)
        #expect(log.hit == .init(exchange: 0, line: 12))
        #expect(log.top == 0, "a hit on screen jumped to the top")
        // Off screen, it comes to the top.
        _ = log.handle(.character("/"))
        for key in "line 39" { _ = log.handle(.character(key)) }
        _ = log.handle(.enter)
        #expect(log.top == 39)
    }

    @Test func hAsksWhereToWriteWithTheDefaultFilledIn() {
        var log = twoExchanges()
        #expect(log.handle(.character("h")) == .writeHAR)
        log.ask(PathQuestion("Write the HAR file to", default: "/work/two-attempt-1.har"))
        let asked = draw(&log)
        #expect(asked.lines.contains { $0.contains("Write the HAR file to: /work/two-attempt-1.har") })
        #expect(asked.lines.last?.contains("Enter write · Esc cancel") == true)
        #expect(log.handle(.enter) == .writeHARTo("/work/two-attempt-1.har"))
        _ = log.handle(.character("h"))
        log.ask(PathQuestion("Write the HAR file to", default: "/work/two.har"))
        _ = log.handle(.control("u"))
        for key in "elsewhere.har" { _ = log.handle(.character(key)) }
        #expect(log.handle(.enter) == .writeHARTo("elsewhere.har"))
        _ = log.handle(.character("h"))
        log.ask(PathQuestion("Write the HAR file to", default: "/work/two.har"))
        #expect(log.handle(.escape) == .stay)
        #expect(log.question == nil && log.message == "Nothing written.")
        #expect(log.handle(.escape) == .back)
    }

    @Test func theAttemptsListShowsEachKeptAttemptNewestFirst() {
        var log = twoExchanges()
        #expect(log.handle(.character("a")) == .attempts)
        var list = AttemptListScreen(title: "View log › IO › Attempts", rows: [
            .init(number: 1, started: "2026-12-01 10:00:01", outcome: "Test succeeded: 200 OK", passed: true, exchanges: 1),
            .init(number: 2, started: "2026-12-01 10:02:13", outcome: "The credentials were rejected: 401 Unauthorized", passed: false, exchanges: 1),
            .init(number: 3, started: "2026-12-01 10:05:40", outcome: "Test succeeded: 200 OK", passed: true, exchanges: 2),
        ], current: 3)
        var buffer = CellBuffer(width: 100, height: 30)
        list.render(into: &buffer)
        #expect(buffer.lines[4].contains("3") && buffer.lines[4].contains("2026-12-01 10:05:40") && buffer.lines[4].contains("✓ Test succeeded"))
        #expect(buffer.lines[5].contains("✗ The credentials were rejected: 401 Unauthorized"))
        assertSnapshot(buffer, named: "attempts-100x30")
        _ = list.handle(.down)
        #expect(list.handle(.enter) == .open(2))
        #expect(list.handle(.escape) == .back)
    }
}

/// Bodies: JSON folded and unfolded with `z`, binary bodies as hex with `x`.
@Suite("View log: folding JSON and hex bodies")
struct ViewLogBodyViewTests {
    static let json = [
        "< HTTP/1.1 200 OK", "<",
        "{",
        "  \"errors\" : [",
        "    {",
        "      \"code\" : \"invalid_ping\",",
        "      \"message\" : \"The ping failed on purpose.\"",
        "    }",
        "  ],",
        "  \"total\" : 1",
        "}",
        "",
        "total 2 ms",
    ]

    @Test func zFoldsTheObjectsAndArraysInsideABodyAndUnfoldsThem() {
        var log = ViewLogScreen(title: "View log › Errors", status: nil, items: [
            .init(method: "GET", path: "/_faults/errors-array", result: "200 OK", time: "2 ms", failed: false),
        ], detail: { _ in Self.json })
        _ = log.handle(.character("z"))
        #expect(log.folded)
        var buffer = CellBuffer(width: 100, height: 30)
        log.render(into: &buffer)
        #expect(buffer.lines.contains { $0.contains("  \"errors\" : [ … 4 lines ],") }, "\(buffer.lines.joined(separator: "\n"))")
        #expect(!buffer.lines.contains { $0.contains("invalid_ping") })
        #expect(buffer.lines.contains { $0.contains("\"total\" : 1") })
        #expect(buffer.lines.contains { $0.contains("JSON folded") })
        _ = log.handle(.character("z"))
        buffer = CellBuffer(width: 100, height: 30)
        log.render(into: &buffer)
        #expect(buffer.lines.contains { $0.contains("\"code\" : \"invalid_ping\"") })
    }

    @Test func xShowsBinaryBodiesAsHexWhenTheLogCanGiveThem() {
        var log = ViewLogScreen(title: "View log › Binary", status: nil, items: [
            .init(method: "GET", path: "/_faults/binary/2000000", result: "200 OK", time: "9 ms", failed: false),
        ], detail: { _ in ["<", "(1.9 MB of binary data, not shown; it is in body-1)"] },
           hexDetail: { _ in ["<", "00000000  89 50 4e 47 0d 0a 1a 0a  00 00 00 0d 49 48 44 52  |.PNG........IHDR|"] })
        _ = log.handle(.character("x"))
        #expect(log.hex)
        var buffer = CellBuffer(width: 100, height: 30)
        log.render(into: &buffer)
        #expect(buffer.lines.contains { $0.contains("|.PNG........IHDR|") })
        #expect(buffer.lines.contains { $0.contains("Exchange 1 of 1 · hex") })
        _ = log.handle(.character("x"))
        buffer = CellBuffer(width: 100, height: 30)
        log.render(into: &buffer)
        #expect(buffer.lines.contains { $0.contains("binary data, not shown") })

        var plain = ViewLogScreen(title: "t", status: nil, items: [], detail: { _ in [] })
        _ = plain.handle(.character("x"))
        #expect(!plain.hex && plain.message == "No hex view here.")
    }
}
