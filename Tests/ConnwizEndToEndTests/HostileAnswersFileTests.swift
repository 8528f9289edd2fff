import Foundation
import Testing
import TestSupport

/// Answers files written to break the reader (issue: hardening): each is refused with one
/// specific line at its file:line:column, exit status 2, quickly, and nothing is saved.
@Suite("Hostile answers files", .oneAtATime)
struct HostileAnswersFileTests {
    /// A billion-laughs file of about 400 bytes: nine levels of nine aliases.
    static let aliasBomb: String = {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...8 {
            let previous = "*a\(level - 1)"
            lines.append("a\(level): &a\(level) [" + Array(repeating: previous, count: 9).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\nname: x\n"
    }()

    @Test(arguments: [
        ("[a]: x\n", "1:1: error: a field id must be plain text, not a list"),
        ("name: {{secret}}\n", "error: a part of name must be plain text, not a mapping (a value such as {{…}} is a mapping to YAML: quote it)"),
        ("region: europe\n{x: 1}: y\n", "2:1: error: a field id must be plain text, not a mapping"),
        ("name: [a, [b]]\n", "1:11: error: an item of name must be plain text, not a list"),
        (aliasBomb, "error: an item of a1 must be plain text, not a list"),
        ("- just\n- a list\n", "1:1: error: expected a mapping of field: value"),
        ("name: \"unclosed\n", "error: "),
    ])
    func isRefusedAtItsPlace(_ text: String, _ expected: String) throws {
        let home = TemporaryFolder()
        let file = home.write("answers.yaml", text)
        let started = Date()
        let run = try BinaryRunner(home: home.path).run(["new", "celigo-integrator-io", "--answers", file, "--yes"])
        #expect(Date().timeIntervalSince(started) < 10, "the reader took \(Date().timeIntervalSince(started)) s")
        #expect(run.status == 2, "\(run)")
        #expect(run.stderr.contains(file + ":") && run.stderr.contains(expected), "\(run.stderr)")
        #expect(!run.stderr.contains("Fatal error"))
        #expect(run.stderr.split(separator: "\n").count == 1, "one line: \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.file("connections.json")))
    }

    @Test func aFileOverOneMegabyteIsRefusedUnread() throws {
        let home = TemporaryFolder()
        let file = home.write("big.yaml", "name: " + String(repeating: "x", count: 1 << 20) + "\n")
        let run = try BinaryRunner(home: home.path).run(["new", "celigo-integrator-io", "--answers", file, "--yes"])
        #expect(run.status == 2 && run.stderr.contains("an answers file is at most 1 MB"), "\(run)")
    }
}
