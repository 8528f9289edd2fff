import Foundation
import Testing
import TestSupport

/// Output that cannot be written (issue: hardening): a closed pipe or a full disk ends
/// quietly, never with a trap and a memory dump, and never skips a save.
@Suite("Broken pipes and full disks", .serialized, .oneAtATime)
struct BrokenOutputTests {
    /// Runs `connwiz ARGUMENTS` in bash with its standard output redirected as `tail` says
    /// (`| true`, `> /dev/full`); returns connwiz's own exit status and what it wrote on
    /// standard error.
    func run(_ connwiz: BinaryRunner, _ arguments: String, _ tail: String) throws -> (status: Int32, stderr: String) {
        let quoted = "'" + connwiz.executable + "' " + arguments
        let script = "\(quoted) 2>err.txt \(tail); echo \"status=${PIPESTATUS[0]}\""
        var environment = connwiz.environment
        environment["PATH"] = "/usr/bin:/bin"
        let folder = environment["CONNWIZ_HOME"]!
        let result = try Subprocess.run(["/bin/bash", "-c", "cd '\(folder)' && " + script], environment: environment)
        let status = Int32(result.output.components(separatedBy: "status=").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1
        let stderr = (try? String(contentsOfFile: folder + "/err.txt", encoding: .utf8)) ?? ""
        return (status, stderr)
    }

    @Test func aClosedPipeOrAFullDiskEndsQuietly() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path, extra: ["EU": "sbx-io-eu-token"])
        #expect(try connwiz.run(["new", "celigo-integrator-io", "--name", "c1", "--set", "region=europe", "--secret", "token=env:EU", "--yes"]).status == 0)
        #expect(try connwiz.run(["test", "c1", "--sandbox"]).status == 0)
        for (arguments, tail) in [("test c1 --sandbox", "| true"), ("list", "> /dev/full"), ("show c1", "> /dev/full"),
                                  ("log c1", "> /dev/full"), ("export c1", "> /dev/full"), ("connectors", "> /dev/full"),
                                  ("log c1 --har -", "| true")] {
            let result = try run(connwiz, arguments, tail)
            #expect([1, 141].contains(result.status) || (tail == "| true" && result.status == 0),
                    "connwiz \(arguments) \(tail) ended with \(result.status): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Current stack trace"),
                    "connwiz \(arguments) \(tail) crashed: \(result.stderr)")
        }
    }

    @Test func aSaveIsNeverSkippedBecauseItsReportCouldNotBePrinted() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path, extra: ["WRONG": "io-WRONG-0141"])
        let result = try run(connwiz, "new celigo-integrator-io --name Piped --set region=europe --secret token=env:WRONG --yes --test --save-anyway --sandbox", "| true")
        #expect([1, 141].contains(result.status), "\(result)")
        #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
        #expect(try connwiz.run(["list"]).stdout.contains("Piped"), "the connection was not saved")
        let full = try run(connwiz, "new celigo-integrator-io --name Full --set region=europe --secret token=env:WRONG --yes", "> /dev/full")
        #expect(full.status == 1, "\(full)")
        #expect(try connwiz.run(["list"]).stdout.contains("Full"), "the connection was not saved")
    }
}
