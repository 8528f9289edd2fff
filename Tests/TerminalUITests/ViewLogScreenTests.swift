import Testing
import TestSupport
import TerminalUI

@Suite("View log screen")
struct ViewLogScreenTests {
    static let tokenLines = [
        "POST https://acme.eu-1.celonis.cloud/oauth2/token", "",
        "> POST /oauth2/token HTTP/1.1", "> Authorization: Basic sha256:351c88fb…", "> Content-Type: application/x-www-form-urlencoded", ">",
        "grant_type=client_credentials&scope=studio", "",
        "< HTTP/1.1 200 OK", "< Content-Type: application/json", "<",
        "{", "  \"access_token\" : \"sha256:98b4eb19…\",", "  \"expires_in\" : 3599,", "  \"scope\" : \"studio\",",
        "  \"token_type\" : \"Bearer\"", "}", "",
        "42 B sent · 123 B received · total 8 ms · first byte 8 ms",
    ]
    static let callLines = [
        "GET https://acme.eu-1.celonis.cloud/intelligence/api/knowledge-models?page=0&pageSize=1", "",
        "> GET /intelligence/api/knowledge-models?page=0&pageSize=1 HTTP/1.1", "> Authorization: Bearer sha256:98b4eb19…", "",
        "< HTTP/1.1 403 Forbidden", "<",
        "{\"detail\":\"The caller lacks the permission this resource needs — a line long enough to need wrapping on a narrow terminal.\",\"errorCode\":\"ADMIN_ACCESS_ERROR\"}",
        "", "✗ Access denied", "total 2 ms",
    ]

    func screen(calls: Locked<[Int]> = Locked([])) -> ViewLogScreen {
        ViewLogScreen(
            title: "View log › Celonis OAuth · attempt 3", status: ("Access denied: 403 Forbidden — “Access Denied.”", false),
            items: [
                .init(method: "POST", path: "/oauth2/token", result: "200 OK", time: "8 ms", failed: false),
                .init(method: "GET", path: "/intelligence/api/knowledge-models?page=0&pageSize=1", result: "403 Forbidden", time: "2 ms", failed: true),
            ],
            detail: { index in
                calls.mutate { $0.append(index) }
                return index == 0 ? Self.tokenLines : Self.callLines
            })
    }

    func draw(_ screen: inout ViewLogScreen, width: Int = 100, height: Int = 30) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        screen.render(into: &buffer)
        return buffer
    }

    @Test func detailIsLoadedOnlyForTheSelectedExchange() {
        let calls = Locked<[Int]>([])
        var log = screen(calls: calls)
        _ = draw(&log)
        _ = draw(&log)
        #expect(calls.get() == [0])
        _ = log.handle(.down)
        let buffer = draw(&log)
        #expect(calls.get() == [0, 1])
        #expect(buffer.lines.contains { $0.contains("> Authorization: Bearer sha256:98b4eb19…") })
    }

    @Test func tenThousandExchangesDrawOnlyWhatIsOnScreen() {
        let calls = Locked<[Int]>([])
        let items = (0..<10_000).map { ViewLogScreen.Item(method: "GET", path: "/items/\($0)", result: "200 OK", time: "1 ms", failed: false) }
        var log = ViewLogScreen(title: "big", status: nil, items: items, detail: { index in
            calls.mutate { $0.append(index) }
            return (0..<50_000).map { "line \($0) of exchange \(index)" }
        })
        _ = log.handle(.end)
        let buffer = draw(&log)
        #expect(buffer.lines.contains { $0.contains("/items/9999") })
        #expect(buffer.lines.contains { $0.contains("Exchange 10000 of 10000") })
        #expect(calls.get() == [9999])
        _ = log.handle(.tab)
        _ = log.handle(.end)
        let bottom = draw(&log)
        #expect(bottom.lines.contains { $0.contains("line 49999 of exchange 9999") })
        #expect(!bottom.lines.contains { $0.contains("line 49979 of exchange") })
    }

    @Test func searchNextPreviousAndNotFound() {
        var log = screen()
        _ = log.handle(.character("/"))
        for character in "content-type" { _ = log.handle(.character(character)) }
        #expect(draw(&log).lines[28] == " /content-type")
        _ = log.handle(.enter)
        // Both hits are on screen: marked where they are, not scrolled to the top.
        #expect(log.hit == .init(exchange: 0, line: 4) && log.top == 0)
        _ = log.handle(.character("n"))
        #expect(log.hit == .init(exchange: 0, line: 9) && log.top == 0)
        _ = log.handle(.character("n"))
        #expect(log.hit == .init(exchange: 0, line: 4))
        #expect(draw(&log).lines.contains { $0.contains("Search wrapped past the end; found in exchange 1 of 2.") })
        _ = log.handle(.character("N"))
        #expect(log.hit == .init(exchange: 0, line: 9))
        _ = log.handle(.character("/"))
        _ = log.handle(.escape)
        #expect(log.typing == nil && log.query == "content-type")
    }

    @Test func searchingAnAttemptThatSentNothingFindsNothing() {
        var log = ViewLogScreen(title: "View log › Nothing", status: ("Cancelled", false), items: [], detail: { _ in [] })
        _ = log.handle(.character("/"))
        _ = log.handle(.character("x"))
        _ = log.handle(.enter)
        _ = log.handle(.character("n"))
        _ = log.handle(.character("N"))
        #expect(log.message?.contains("not found") == true)
        _ = log.handle(.pageDown)
        _ = log.handle(.end)
    }

    @Test func pageKeysPageTheListWhenItHasTheFocus() {
        let items = (1...500).map { ViewLogScreen.Item(method: "GET", path: "/items/\($0)", result: "200 OK", time: "1 ms", failed: false) }
        var log = ViewLogScreen(title: "View log › Many", status: nil, items: items, detail: { _ in ["line"] })
        _ = draw(&log, width: 100, height: 30)
        _ = log.handle(.pageDown)
        #expect(log.selection > 1)
        _ = log.handle(.end)
        #expect(log.selection == 499)
        _ = log.handle(.pageUp)
        #expect(log.selection < 499)
    }

    @Test func wrapScrollingHARAndBack() {
        var log = screen()
        _ = log.handle(.down)
        let wrapped = draw(&log, width: 60, height: 16)
        #expect(wrapped.lines.contains { $0 == " edge-models?page=0&pageSize=1" })
        _ = log.handle(.character("w"))
        #expect(!log.wrap)
        _ = log.handle(.right)
        #expect(log.pan == 10)
        _ = log.handle(.tab)
        _ = draw(&log, width: 100, height: 16)
        _ = log.handle(.pageDown)
        #expect(log.top > 0)
        // Paging past the end keeps the last page full instead of scrolling into nothing.
        for _ in 0..<50 { _ = log.handle(.pageDown) }
        _ = draw(&log, width: 100, height: 16)
        // 8 detail rows at this size: the last 8 of the exchange's lines.
        #expect(log.top == Self.callLines.count - 8)
        _ = log.handle(.home)
        #expect(log.top == 0)
        #expect(log.handle(.character("h")) == .writeHAR)
        #expect(log.handle(.escape) == .back)
        #expect(log.handle(.character("q")) == .back)
    }

    @Test func snapshots() {
        var log = screen()
        assertSnapshot(draw(&log), named: "view-log-100x30")
        _ = log.handle(.down)
        assertSnapshot(draw(&log, width: 60, height: 16), named: "view-log-wrapped-60x16")
        _ = log.handle(.character("w"))
        assertSnapshot(draw(&log, width: 60, height: 16), named: "view-log-unwrapped-60x16")
        var empty = ViewLogScreen(title: "View log › Certinia · attempt 1", status: ("Not sent: the private key file /k.pem cannot be read: no such file", false), items: [], detail: { _ in [] })
        assertSnapshot(draw(&empty), named: "view-log-nothing-sent-100x30")
    }
}
