import Foundation
import Testing
import TestSupport

/// A tmux session on a private server: a real terminal the test types into and reads.
final class TmuxSession {
    let socket = "connwiz-test-\(UUID().uuidString.prefix(8))"
    let name = "t"

    init(width: Int = 100, height: Int = 30) throws {
        try tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", "/bin/sh"])
    }

    deinit { _ = try? tmux(["kill-server"]) }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        try Subprocess.run(["tmux", "-L", socket, "-f", "/dev/null"] + arguments).output
    }

    func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }
    func press(_ key: String) throws { try tmux(["send-keys", "-t", name, key]) }
    func line(_ text: String) throws { try type(text); try press("Enter") }
    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", name, "-S", "-200"]) }

    /// Waits until the screen shows `text`, failing after `seconds`.
    @discardableResult
    func waitFor(_ text: String, seconds: Double = 15, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if last.contains(text) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("“\(text)” did not appear; screen:\n\(last)", sourceLocation: sourceLocation)
        return last
    }

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }
}

@Suite("In a real terminal (tmux)", .serialized, .enabled(if: TmuxSession.available, "tmux is not installed"))
struct TerminalTests {
    @Test func secretsAreNotEchoedAndCtrlCRestoresTheTerminal() throws {
        let home = TemporaryFolder()
        let session = try TmuxSession()
        let binary = BinaryRunner.locate()
        try session.line("stty -a > \(home.file("before.txt")); echo READY")
        try session.waitFor("READY")
        try session.line("CONNWIZ_HOME=\(home.path) \(binary) new celigo-integrator-io")
        try session.waitFor("Name your connection")
        try session.line("Term IO")
        try session.waitFor("Region (1-2)")
        try session.line("2")
        try session.waitFor("Token (typing is hidden)")
        try session.type("io-TOKEN-0001")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(!(try session.screen()).contains("io-TOKEN-0001"))
        try session.press("C-c")
        try session.line("echo EXIT=$?; stty -a > \(home.file("after.txt")); echo DONE")
        let screen = try session.waitFor("DONE")
        #expect(screen.contains("EXIT=130"))
        let before = try String(contentsOfFile: home.file("before.txt"), encoding: .utf8)
        let after = try String(contentsOfFile: home.file("after.txt"), encoding: .utf8)
        #expect(before == after, "terminal settings changed:\n\(before)\n---\n\(after)")
        #expect(!FileManager.default.fileExists(atPath: home.file("connections.json")))
        #expect(!screen.contains("io-TOKEN-0001"))
    }

    @Test func bareConnwizOffersToCreateAConnection() throws {
        let home = TemporaryFolder()
        let session = try TmuxSession(width: 80, height: 24)
        try session.line("CONNWIZ_HOME=\(home.path) \(BinaryRunner.locate())")
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
        try session.line("CONNWIZ_HOME=\(home.path) \(BinaryRunner.locate()) new certinia")
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
