import Foundation
import Testing
import TestSupport

@Suite("Line prompts in a real terminal (tmux)", .serialized, .enabled(if: TmuxSession.available, "tmux is not installed"), .oneAtATime)
struct TerminalTests {
    @Test func secretsAreNotEchoedAndCtrlCRestoresTheTerminal() throws {
        let home = TemporaryFolder()
        let session = try TmuxSession()
        let binary = BinaryRunner.locate()
        // Quotes split the marker words, so the typed command line itself does not match them.
        try session.line("stty -a > \(home.file("before.txt")); echo RE\"\"ADY")
        try session.waitFor("READY")
        try session.line("CONNWIZ_HOME=\(home.path) \(binary) new celigo-integrator-io --plain")
        try session.waitFor("Name your connection")
        try session.line("Term IO")
        try session.waitFor("Region (1-2)")
        try session.line("2")
        try session.waitFor("Token (typing is hidden)")
        try session.type("io-TOKEN-0001")
        // The terminal echoes (or not) as each key arrives; the last check reads the whole
        // scrollback once the program has ended, so it sees any echo without a pause here.
        try session.press("C-c")
        try session.line("echo EXIT=$?; stty -a > \(home.file("after.txt")); echo DO\"\"NE")
        let screen = try session.waitFor("DONE")
        #expect(screen.contains("EXIT=130"))
        let before = try String(contentsOfFile: home.file("before.txt"), encoding: .utf8)
        let after = try String(contentsOfFile: home.file("after.txt"), encoding: .utf8)
        #expect(before == after, "terminal settings changed: \(sttyDifference(before, after))")
        #expect(!FileManager.default.fileExists(atPath: home.file("connections.json")))
        #expect(!screen.contains("io-TOKEN-0001"))
    }

    @Test func bareConnwizOffersToCreateAConnection() throws {
        let home = TemporaryFolder()
        let session = try TmuxSession(width: 80, height: 24)
        try session.line("CONNWIZ_HOME=\(home.path) \(BinaryRunner.locate()) --plain")
        try session.waitFor("No connections yet")
        try session.waitFor("Create a connection? [y/N]")
        try session.line("y")
        try session.waitFor("Application (number, id or name; q to leave)")
        try session.line("celo")
        try session.waitFor("Create connection: Celonis")
        try session.press("C-d")
        let screen = try session.waitFor("nothing was saved")
        #expect(!screen.contains("Fatal error"))
    }

    @Test func aFullPlainRunOnATerminal() throws {
        let home = TemporaryFolder()
        let session = try TmuxSession(width: 80, height: 24)
        try session.line("CONNWIZ_HOME=\(home.path) \(BinaryRunner.locate()) new certinia --plain")
        try session.waitFor("Name your connection")
        try session.line("Certinia prod")
        try session.line("1")
        try session.waitFor("OAuth 2.0 flow type [Refresh token]")
        try session.line("")
        try session.line("sbx-sf-client")
        try session.waitFor("Consumer secret (typing is hidden)")
        try session.line("sf-CONSUMERSECRET-0005")
        try session.waitFor("Edit advanced settings")
        try session.line("n")
        try session.waitFor("Review: Certinia")
        try session.line("s")
        let screen = try session.waitFor("Saved connection “Certinia prod” (Certinia).")
        #expect(!screen.contains("sf-CONSUMERSECRET-0005"))
        #expect(home.filesContaining("sf-CONSUMERSECRET-0005").isEmpty)
    }
}
