import Foundation
import Testing
import TestSupport

/// `test`, `log`, `new --test` and `sandbox` run as the real binary, against the sandbox.
@Suite("Testing from the command line", .serialized, .oneAtATime)
struct TestAndLogCommandTests {
    let euToken = "sbx-io-eu-token"

    func expectClean(_ outputs: [String], home: TemporaryFolder, secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in secrets {
            for output in outputs where output.contains(secret) {
                Issue.record("secret \(secret) appeared in output:\n\(output)", sourceLocation: sourceLocation)
            }
            #expect(home.filesContaining(secret).isEmpty, "secret \(secret) is in \(home.filesContaining(secret))", sourceLocation: sourceLocation)
        }
    }

    @Test func newWithTestThenTestLogAndHAR() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path, extra: ["EU": euToken, "WRONG": "io-WRONG-4242"])
        var outputs: [String] = []
        func run(_ arguments: [String], input: String = "") throws -> BinaryRunner.Run {
            let result = try connwiz.run(arguments, input: input)
            outputs.append(result.output)
            return result
        }

        let created = try run(["new", "celigo-integrator-io", "--name", "IO EU", "--set", "region=europe", "--secret", "token=env:EU", "--yes", "--test", "--sandbox"])
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout.contains("Test succeeded: 200 OK in "))
        #expect(created.stdout.contains("1 GET https://api.eu.integrator.io/v1/tokenInfo → 200 OK"))
        #expect(created.stdout.contains("Saved connection “IO EU”"))

        // A failing test saves nothing, and says why in one line; its log is kept under the name.
        let refused = try run(["new", "celigo-integrator-io", "--name", "IO NA", "--set", "region=north-america", "--secret", "token=env:EU", "--yes", "--test", "--sandbox"])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stdout.hasPrefix("The credentials were rejected: 401 Unauthorized — “"))
        #expect(refused.stderr.contains("not saved"))
        #expect(try run(["show", "IO NA"]).status == 2)
        let draftLog = try run(["log", "IO NA"])
        #expect(draftLog.status == 0 && draftLog.stdout.contains("< HTTP/1.1 401 Unauthorized"), "\(draftLog)")
        let anyway = try run(["new", "celigo-integrator-io", "--name", "IO NA", "--set", "region=north-america", "--secret", "token=env:WRONG",
                              "--yes", "--test", "--save-anyway", "--sandbox"])
        #expect(anyway.status == 1 && anyway.stdout.contains("Saved connection “IO NA”"), "\(anyway)")
        // The saved connection holds its own test only: the refused command was another draft
        // with other answers (issue 19 item 13), and it goes now that the name is taken.
        let attempts = try run(["log", "IO NA", "--list"])
        #expect(attempts.stdout.split(separator: "\n").count == 2, "\(attempts)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.file("logs")).filter { $0.hasPrefix("draft-") }.isEmpty)
        // With --json, the same list as JSON (issue 19, item 11: it printed the table).
        let listed = try run(["log", "IO NA", "--list", "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any], "\(listed)")
        let rows = try #require(document["attempts"] as? [[String: Any]])
        #expect(document["version"] as? Int == 1 && rows.count == 1)
        #expect(rows.map { $0["number"] as? Int } == [1] && rows.allSatisfy { $0["passed"] as? Bool == false && $0["exchanges"] as? Int == 1 })

        let tested = try run(["test", "IO EU", "--sandbox", "--json"])
        #expect(tested.status == 0, "\(tested)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(tested.stdout.utf8)) as? [String: Any])
        #expect(summary["passed"] as? Bool == true)
        #expect(summary["sandboxed"] as? Bool == true)
        #expect((summary["outcome"] as? [String: Any])?["kind"] as? String == "succeeded")
        #expect((summary["exchanges"] as? [[String: Any]])?.first?["url"] as? String == "https://api.eu.integrator.io/v1/tokenInfo")
        #expect(try run(["test", "IO NA", "--sandbox"]).status == 1)
        let list = try run(["list"])
        #expect(list.stdout.contains("Test succeeded"), "\(list)")

        let log = try run(["log", "IO EU"])
        #expect(log.status == 0)
        #expect(log.stdout.contains("> Authorization: Bearer sha256:"))
        #expect(log.stdout.contains("> Host: api.eu.integrator.io"))
        #expect(log.stdout.contains("\"_userId\" : "))
        #expect(log.stdout.contains("sent to the sandbox"))
        #expect(try run(["log", "IO EU", "--attempt", "1"]).stdout.contains("Attempt 1 of “IO EU”"))
        #expect(try run(["log", "IO EU", "--attempt", "99"]).status == 2)
        let json = try run(["log", "IO EU", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["number"] as? Int == 2)

        let har = home.file("io.har")
        #expect(try run(["log", "IO EU", "--har", har]).status == 0)
        let reader = try Subprocess.run(["python3", "-c", """
            import sys
            from haralyzer import HarParser
            import json
            parser = HarParser(json.load(open(sys.argv[1])))
            page_entries = parser.har_data["entries"]
            entry = page_entries[0]
            print(parser.creator["name"], len(page_entries), entry["request"]["method"], entry["request"]["url"], entry["response"]["status"])
            print([h["value"] for h in entry["request"]["headers"] if h["name"] == "Authorization"][0])
            """, har])
        #expect(reader.status == 0, "\(reader.output)")
        #expect(reader.output.hasPrefix("connwiz 1 GET https://api.eu.integrator.io/v1/tokenInfo 200"), "\(reader.output)")
        #expect(reader.output.contains("Bearer sha256:"))

        // A sandbox URL where nothing listens is reported as such, not as the service refusing.
        let away = try run(["test", "IO EU", "--sandbox-url", "http://127.0.0.1:\(Subprocess.freePort())"])
        #expect(away.status == 1 && away.stdout.hasPrefix("Cannot connect: the sandbox is not answering: connection refused by 127.0.0.1:"), "\(away)")

        // Usage errors.
        #expect(try run(["test", "Nobody", "--sandbox"]).status == 2)
        #expect(try run(["test", "IO EU", "--sandbox", "--sandbox-url", "http://127.0.0.1:1"]).status == 2)
        #expect(try run(["new", "celigo-integrator-io", "--save-anyway"]).status == 2)
        expectClean(outputs, home: home, secrets: [euToken, "io-WRONG-4242"])
    }

    @Test func onlyTheLastTwentyAttemptsAreKept() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path, extra: ["EU": euToken])
        #expect(try connwiz.run(["new", "celigo-integrator-io", "--name", "IO", "--set", "region=europe", "--secret", "token=env:EU", "--yes"]).status == 0)
        for _ in 0..<21 { #expect(try connwiz.run(["test", "IO", "--sandbox"]).status == 0) }
        // CONNWIZ_TRACE prints phase timings on standard error, and only then.
        let traced = try connwiz.run(["test", "IO", "--sandbox"], environment: ["CONNWIZ_TRACE": "1"])
        #expect(traced.stderr.contains(" ms parsed") && traced.stderr.contains(" ms recorded"), "\(traced)")
        #expect(!traced.stdout.contains(" ms parsed"))
        let listed = try connwiz.run(["log", "IO", "--list"]).stdout.split(separator: "\n").dropFirst()
        #expect(listed.count == 20)
        #expect(listed.first?.hasPrefix("22 ") == true && listed.last?.hasPrefix("3 ") == true)
        #expect(try connwiz.run(["delete", "IO", "--yes"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: home.file("logs") + "/" + ((try? FileManager.default.contentsOfDirectory(atPath: home.file("logs")))?.first ?? "none")))
    }

    @Test func plainPromptsOfferTestAtTheReview() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path)
        let run = try connwiz.run(["new", "celigo-integrator-io", "--sandbox"], input: "IO piped\n2\n\(euToken)\nt\ns\n")
        #expect(run.status == 0, "\(run)")
        let test = try #require(run.stdout.range(of: "Test succeeded: 200 OK"))
        let saved = try #require(run.stdout.range(of: "Saved connection “IO piped”"))
        #expect(test.lowerBound < saved.lowerBound)
        #expect(!run.output.contains(euToken))
    }

    @Test func aSandboxProcessServesSeparateCommands() throws {
        let home = TemporaryFolder()
        let (sandbox, url) = try BinaryRunner.startSandbox(home: home.path)
        let base = try #require(url, "the sandbox did not say where it listens: \(sandbox.output)")
        let connwiz = BinaryRunner(home: home.path, extra: ["SECRET": "sbx-celonis-secret"])
        // A second sandbox on the same port says so and stops, instead of waiting forever.
        let port = String(base.split(separator: ":").last!)
        let clash = try connwiz.run(["sandbox", "--port", port])
        #expect(clash.status == 1 && clash.stderr.contains("cannot listen on 127.0.0.1:\(port): the port is already in use"), "\(clash)")
        let created = try connwiz.run(["new", "celonis", "--name", "Celonis OAuth", "--set", "apiType=intelligence", "--set", "domain=acme.eu-1",
                                       "--set", "authType=oauth2", "--set", "oauth2Client.clientId=sbx-celonis-client",
                                       "--secret", "oauth2Client.clientSecret=env:SECRET", "--set", "validDomains=acme.eu-1.celonis.cloud",
                                       "--set", "scopes=studio", "--yes", "--test", "--sandbox-url", base])
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout.contains("2 GET https://acme.eu-1.celonis.cloud/intelligence/api/knowledge-models?page=0&pageSize=1 → 200 OK"))

        // A body of 100 MB goes to disk, not to memory.
        let faults = try connwiz.run(["new", "http-token", "--name", "Big", "--set", "baseUri=\(base)/_faults", "--set", "pingPath=/bytes/104857600",
                                      "--secret", "token=env:SECRET", "--yes"])
        #expect(faults.status == 0, "\(faults)")
        let small = try connwiz.run(["new", "http-token", "--name", "Small", "--set", "baseUri=\(base)/_faults", "--set", "pingPath=/bytes/1024",
                                     "--secret", "token=env:SECRET", "--yes"])
        #expect(small.status == 0, "\(small)")
        var environment = connwiz.environment
        environment["SECRET"] = nil
        // Peak memory is compared with a test of a 1 KB body run in the same conditions just
        // before: alone a debug build peaks at about 51 MB for either, but with many connwiz
        // processes running beside it, more of the (large, debug) binary's pages are resident
        // in each, and both peaks have been seen past 100 MB. Holding the body would add its
        // 100 MB to the difference.
        let baseline = try Subprocess.measure([connwiz.executable, "test", "Small", "--timeout", "60"], environment: environment)
        let measured = try Subprocess.measure([connwiz.executable, "test", "Big", "--timeout", "60"], environment: environment)
        #expect(baseline.status == 0 && measured.status == 0, "\(baseline.output)\n\(measured.output)")
        #expect(measured.output.contains("Test succeeded: 200 OK"))
        #expect(measured.maxResidentKB - baseline.maxResidentKB < 40 * 1024,
                "peak memory \(measured.maxResidentKB) KB for a 100 MB body, \(baseline.maxResidentKB) KB for 1 KB")

        #expect(sandbox.stop(signal: SIGINT) == 0)
        let console = sandbox.output
        let requests = try #require(console.range(of: "Requests:")).upperBound
        let tail = String(console[requests...])
        #expect(tail.contains("POST acme.eu-1.celonis.cloud/oauth2/token → 200"), "\(console)")
        #expect(tail.contains("GET acme.eu-1.celonis.cloud/intelligence/api/knowledge-models → 200"))
        #expect(!tail.contains("sbx-celonis-secret") && !tail.contains("Basic "))
        #expect(console.contains("Sandbox stopped."))
        #expect(home.filesContaining("sbx-celonis-secret").isEmpty)
    }

    @Test func ctrlCStopsATestAndTheAttemptIsKept() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path, extra: ["T": "hang-TOKEN-5150"])
        // sandbox.connwiz is the sandbox's own name: its fault endpoints answer there.
        #expect(try connwiz.run(["new", "http-token", "--name", "Stuck", "--set", "baseUri=http://sandbox.connwiz/_faults",
                                 "--set", "pingPath=/hang", "--secret", "token=env:T", "--yes"]).status == 0)
        let running = try Subprocess.start([connwiz.executable, "test", "Stuck", "--sandbox", "--timeout", "30"], environment: connwiz.environment)
        var waited = 0
        while !FileManager.default.fileExists(atPath: home.file("logs")) && waited < 100 {
            usleep(50_000)
            waited += 1
        }
        usleep(300_000)
        let started = Date()
        #expect(running.stop(signal: SIGINT) == 130, "\(running.output)")
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(running.output.contains("Cancelled: the test was stopped before it finished"), "\(running.output)")
        let log = try connwiz.run(["log", "Stuck"])
        #expect(log.stdout.contains("✗ cancelled"), "\(log)")
        #expect(home.filesContaining("hang-TOKEN-5150").isEmpty)
    }
}
