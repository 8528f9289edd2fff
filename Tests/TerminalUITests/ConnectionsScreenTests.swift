import ConnectionCore
import Foundation
import Testing
import TerminalUI

@Suite("Connections screen")
struct ConnectionsScreenTests {
    let rows = [
        ConnectionsScreen.Row(id: "c1", name: "Celonis Zürich", application: "Celonis", lastTestPassed: true,
                              lastTestStatus: "Test succeeded: 200 OK in 84 ms", lastTestAt: "2026-11-23 14:05"),
        ConnectionsScreen.Row(id: "c2", name: "IO 日本", application: "Celigo integrator.io", lastTestPassed: false,
                              lastTestStatus: "The credentials were rejected: 401 Unauthorized — “The API token is not valid for this account.”",
                              lastTestAt: "2026-11-23 14:06"),
        ConnectionsScreen.Row(id: "c3", name: "Certinia production", application: "Certinia"),
    ]

    func draw(_ screen: inout ConnectionsScreen, width: Int = 100, height: Int = 30) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        screen.render(into: &buffer)
        return buffer
    }

    @Test func keysLeadToActionsOnTheSelectedConnection() {
        var screen = ConnectionsScreen(rows: rows)
        #expect(screen.handle(.enter) == .edit("c1"))
        _ = screen.handle(.down)
        #expect(screen.handle(.character("t")) == .test("c2"))
        #expect(screen.handle(.character("l")) == .viewLog("c2"))
        #expect(screen.handle(.character("x")) == .export("c2"))
        #expect(screen.handle(.character("n")) == .create)
        _ = screen.handle(.end)
        #expect(screen.handle(.character("e")) == .edit("c3"))
        #expect(screen.handle(.character("q")) == .quit)
        #expect(screen.handle(.control("c")) == .quit)
    }

    @Test func deleteAsksFirstAndAnyOtherKeyKeepsIt() {
        var screen = ConnectionsScreen(rows: rows)
        _ = screen.handle(.down)
        #expect(screen.handle(.character("d")) == .stay)
        #expect(screen.confirmingDelete == "c2")
        #expect(draw(&screen).lines[1].contains("Delete “IO 日本” and its secrets? y/N"))
        #expect(screen.handle(.character("n")) == .stay)
        #expect(screen.confirmingDelete == nil)
        _ = screen.handle(.character("d"))
        #expect(screen.handle(.character("y")) == .delete("c2"))
        screen.update(rows: rows.filter { $0.id != "c2" })
        #expect(screen.handle(.enter) == .edit("c3"))
    }

    @Test func theSelectionFollowsItsConnectionAcrossUpdates() {
        var screen = ConnectionsScreen(rows: rows)
        _ = screen.handle(.end)
        screen.update(rows: [ConnectionsScreen.Row(id: "c0", name: "A first", application: "X")] + rows)
        #expect(screen.handle(.enter) == .edit("c3"))
        var empty = ConnectionsScreen(rows: [])
        #expect(empty.handle(.enter) == .stay)
        #expect(empty.handle(.character("d")) == .stay && empty.confirmingDelete == nil)
    }

    @Test func snapshots() {
        var screen = ConnectionsScreen(rows: rows)
        assertSnapshot(draw(&screen), named: "connections-100x30")
        _ = screen.handle(.down)
        screen.message = ("Saved connection “IO 日本”.", .success)
        assertSnapshot(draw(&screen, width: 60, height: 16), named: "connections-60x16")
        _ = screen.handle(.character("d"))
        assertSnapshot(draw(&screen, width: 60, height: 16), named: "connections-confirm-delete-60x16")
        var empty = ConnectionsScreen(rows: [])
        assertSnapshot(draw(&empty), named: "connections-empty-100x30")
    }
}

/// The Connections list words a next step as its own key (issue 19, item 19).
@Suite("Next steps in the Connections list's words")
struct ConnectionsNextStepTests {
    @Test func anUnauthorizedTestSaysToPressA() {
        var outcome = TestOutcome(kind: .notSent, line: "Not authorized yet: this connection signs in through a browser; authorize it first, then test")
        outcome.next = .authorize
        let attempt = TestAttempt(id: "1", connectionName: "C", connectorID: "certinia", startedAt: Date(), finishedAt: Date(),
                                  sandboxed: true, outcome: outcome, exchanges: [])
        let status = AttemptView.status(of: attempt)
        #expect(status.text.hasSuffix(" — press a to authorize it"))
        #expect(!status.text.contains("connwiz ") && !status.text.contains("--"))
    }
}
