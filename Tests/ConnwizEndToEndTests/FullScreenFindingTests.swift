import Foundation
import Testing
import TestSupport

/// The panel and View log of issue 12 in a real terminal: examples are not answers, kept
/// secrets say so, the counter moves by one, hints are whole, one Ctrl-C confirmation leaves,
/// View log opens on the transcript, searches every exchange, asks where the HAR goes and
/// lists the kept attempts.
@Suite("Full screen: examples, kept secrets, hints, View log finding (tmux)", .serialized,
       .enabled(if: TmuxSession.available, "tmux is not installed"), .oneAtATime)
struct FullScreenFindingTests {
    typealias Desk = FullScreenTests.Desk

    @Test func oneCtrlCConfirmationLeavesAFormOpenedFromTheApplicationList() throws {
        let desk = try Desk()
        try desk.start("new")
        try desk.wait("Choose an application")
        try desk.type("celigo")
        try desk.wait("1 of 1")
        try desk.press("Enter")
        try desk.wait("] Name your connection *")
        try desk.press("C-c")
        try desk.wait("Discard this connection?")
        try desk.press("C-c")
        #expect(try desk.exitStatus() == 1)
    }

    @Test func anExampleIsNotAnAnswerAKeptSecretSaysSoAndTheCounterMovesByOne() throws {
        let desk = try Desk()
        try desk.start("new celonis")
        let first = try desk.wait("[1 of at least 4] Name your connection *")
        #expect(first.contains("› e.g. Celonis EU data push"))
        try desk.type("Celonis push")
        try desk.press("Enter")
        try desk.wait("[2 of at least 4] API type")
        try desk.type("2")
        let domain = try desk.wait("[3 of at least 5] Domain *")
        #expect(domain.contains("› e.g. acme.eu-1 (Tab takes it)"))
        try desk.press("Enter")
        try desk.wait("✗ Domain is required")
        try desk.press("Tab")
        try desk.session.waitUntil("the example to be taken") { $0.contains("› acme.eu-1\n") && !$0.contains("e.g.") }
        try desk.press("Enter")
        try desk.wait("[4 of at least 5] Auth type")
        try desk.press("Enter")
        // The auth type is answered: nothing hidden can appear any more, the total is known.
        try desk.wait("[5 of 6] Pool ID")
        try desk.type("pool-abc123")
        try desk.press("Enter")
        try desk.wait("[6 of 6] App key")
        try desk.type("sbx-celonis-appkey")
        try desk.press("Enter")
        try desk.wait("t Test   s Save")
        try desk.press("Escape")
        let kept = try desk.wait("] App key")
        #expect(kept.contains("› •••••• (kept; type to replace)"))
        try desk.press("Enter")
        try desk.wait("t Test   s Save")
        try desk.press("C-c", "C-c")
        #expect(try desk.exitStatus() == 1)
        try desk.expectNowhere("sbx-celonis-appkey")
    }

    @Test func theWrongRegionHintIsShownWholeAt80x24() throws {
        let desk = try Desk(width: 80, height: 24)
        let elsewhere = TemporaryFolder()
        let tokenFile = elsewhere.write("token", "sbx-io-eu-token\n")
        try desk.start("new celigo-integrator-io --sandbox --name Wrong --set region=north-america --secret token=file:\(tokenFile)")
        try desk.wait("t Test   s Save")
        try desk.press("t")
        let failed = try desk.wait("401")
        let joined = failed.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(joined.contains("a North America token fails in Europe and the other way round"), "cut:\n\(failed)")
        #expect(!failed.contains("…"), "cut:\n\(failed)")
        try desk.press("C-c", "C-c")
        #expect(try desk.exitStatus() == 1)
        try desk.expectNowhere("sbx-io-eu-token")
    }

    @Test func viewLogOpensOnTheTranscriptSearchesAsksWhereTheHARGoesAndListsAttempts() throws {
        let desk = try Desk()
        let elsewhere = TemporaryFolder()
        let tokenFile = elsewhere.write("token", "sbx-io-eu-token\n")
        try desk.start("new celigo-integrator-io --sandbox --name IO --set region=europe --secret token=file:\(tokenFile)")
        try desk.wait("t Test   s Save")
        try desk.press("t")
        try desk.wait("Test succeeded")
        try desk.press("t")
        // The first test's line stays on screen until the second one is drawn as running, so
        // the screen cannot tell when the second has ended; `l` is ignored while a test runs.
        // Press it again, once the frame shows the review's keys, until the View log opens.
        var opened = false
        for _ in 0..<20 where !opened {
            let screen = try desk.session.screen()
            if screen.contains("l View log") && !screen.contains("Testing") { try desk.press("l") }
            opened = try desk.session.watch(seconds: 1) { $0.contains("View log › IO") }.held
        }
        let log = try desk.wait("View log › IO · attempt 2 (2 kept)")
        #expect(log.contains("↑↓ scroll the transcript"))
        try desk.resize(width: 100, height: 20)
        try desk.wait("line 1 of ")
        // With one exchange the arrows and page keys scroll the transcript at once.
        try desk.press("Down")
        try desk.wait("line 2 of ")
        try desk.press("PageDown")
        try desk.session.waitUntil("the transcript to page") { !$0.contains("line 2 of ") && $0.contains(" of 20") }
        try desk.resize(width: 100, height: 30)
        try desk.press("Home")
        try desk.type("/")
        try desk.type("content-type")
        try desk.press("Enter")
        try desk.wait("search “content-type”")
        try desk.press("n", "n", "n")
        try desk.wait("Search wrapped")

        try desk.press("h")
        let asked = try desk.wait("Write the HAR file to: \(desk.home.path)/io-attempt-2.har")
        #expect(asked.contains("Enter write · Esc cancel"))
        #expect(!FileManager.default.fileExists(atPath: desk.home.file("io-attempt-2.har")))
        try desk.press("Enter")
        try desk.wait("Wrote \(desk.home.path)/io-attempt-2.har")
        #expect(FileManager.default.fileExists(atPath: desk.home.file("io-attempt-2.har")))

        try desk.press("a")
        let attempts = try desk.wait("View log › IO › Attempts")
        #expect(attempts.contains("2 attempts kept, newest first"))
        #expect(attempts.contains("EXCHANGES") && attempts.contains("✓ Test succeeded"))
        try desk.press("Down", "Enter")
        try desk.wait("View log › IO · attempt 1 (2 kept)")
        try desk.press("Escape")
        try desk.wait("l View log")
        try desk.press("C-c", "C-c")
        #expect(try desk.exitStatus() == 1)
        try desk.expectNowhere("sbx-io-eu-token")
    }

    @Test func exportFromTheConnectionsScreenAsksWhereToWrite() throws {
        let desk = try Desk()
        _ = try desk.home.runConnwiz(["new", "celigo-integrator-io", "--name", "IO", "--set", "region=europe",
                                      "--secret", "token=env:IO_TOKEN", "--yes"],
                                     binary: desk.binary, environment: ["IO_TOKEN": "sbx-io-eu-token"])
        try desk.start("")
        try desk.wait("Resources › Connections")
        try desk.press("x")
        try desk.wait("Export “IO” to: \(desk.home.path)/io.connection.json")
        #expect(!FileManager.default.fileExists(atPath: desk.home.file("io.connection.json")))
        try desk.press("C-u")
        try desk.type("mine.json")
        try desk.press("Enter")
        try desk.wait("Exported “IO”")
        #expect(FileManager.default.fileExists(atPath: desk.home.file("mine.json")))
        try desk.press("x")
        try desk.wait("Export “IO” to:")
        try desk.press("Escape")
        try desk.wait("Not exported.")
        try desk.press("q")
        #expect(try desk.exitStatus() == 0)
        try desk.expectNowhere("sbx-io-eu-token")
    }

    @Test func viewLogFoldsJSONAndShowsABinaryBodyAsHex() throws {
        let desk = try Desk()
        let elsewhere = TemporaryFolder()
        let tokenFile = elsewhere.write("token", "tok-BODY-0012\n")
        try desk.start("new http-token --sandbox --name Errs --set baseUri=http://sandbox.connwiz/_faults --set pingPath=/errors-array "
                       + "--secret token=file:\(tokenFile)")
        try desk.wait("t Test   s Save")
        try desk.press("t")
        try desk.session.waitUntil("the test to end") { $0.contains("l View log") }
        try desk.press("l")
        try desk.wait("\"invalid_ping\"")
        try desk.press("z")
        let folded = try desk.wait("\"errors\" : [ … 4 lines ]")
        #expect(!folded.contains("invalid_ping") && folded.contains("JSON folded"))
        try desk.press("z")
        try desk.wait("\"invalid_ping\"")
        try desk.press("Escape")
        try desk.wait("l View log")
        try desk.press("C-c", "C-c")
        #expect(try desk.exitStatus() == 1)

        try desk.start("new http-token --sandbox --name Bin --set baseUri=http://sandbox.connwiz/_faults --set pingPath=/binary/1100000 "
                       + "--secret token=file:\(tokenFile)")
        try desk.wait("t Test   s Save")
        try desk.press("t")
        try desk.session.waitUntil("the test to end") { $0.contains("l View log") }
        try desk.press("l")
        try desk.wait("binary data, not shown")
        try desk.press("x")
        let hex = try desk.wait("00000000  ")
        #expect(hex.contains("Exchange 1 of 1 · hex"))
        #expect(hex.contains("00000010  "))
        try desk.press("x")
        try desk.wait("binary data, not shown")
        try desk.press("Escape")
        try desk.wait("l View log")
        try desk.press("C-c", "C-c")
        #expect(try desk.exitStatus() == 1)
        try desk.expectNowhere("tok-BODY-0012")
    }
}
