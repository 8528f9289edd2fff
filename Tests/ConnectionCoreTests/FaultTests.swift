@testable import ConnectionCore
import ConnectorSchema
import Foundation
import Sandbox
import Testing
import TestSupport

/// Each way a service can fail gives its own status line and a complete log entry.
@Suite("Faults", .serialized)
struct FaultTests {
    /// The http-token connector pointed at one of the sandbox's fault endpoints.
    func answers(_ rig: LoopbackRig, _ path: String, base: String? = nil) -> [String: String] {
        ["name": "Faulty", "baseUri": base ?? rig.server.url + "/_faults", "token": "fault-secret-9876", "pingPath": path]
    }

    func checkLogged(_ attempt: TestAttempt, rig: LoopbackRig) {
        #expect(!attempt.exchanges.isEmpty)
        for exchange in attempt.exchanges {
            #expect(exchange.response != nil || exchange.error != nil, "exchange \(exchange.index) has neither response nor error")
            #expect(exchange.timings.total > 0)
            #expect(!exchange.requestHeaders.isEmpty)
        }
        #expect(rig.home.filesContaining("fault-secret-9876").isEmpty)
    }

    /// Issue 21: a success rule reads response headers. GitHub lists a token's scopes in
    /// `X-OAuth-Scopes`; a token without `repo` passes its status and fails the rule.
    @Test func aSuccessRuleChecksAResponseHeader() async throws {
        let rig = try await LoopbackRig.start(route: false)
        defer { Task { await rig.stop() } }
        let text = """
        version: 1
        id: scoped
        title: Scoped
        fields:
          - {id: name, label: Name, kind: text, required: true}
          - {id: scopes, label: Scopes, kind: text, required: true}
          - {id: token, label: Token, kind: secret, required: true}
        http:
          baseURI: \(rig.server.url)/_faults
          auth: {type: bearer, token: "{{token}}"}
          tests:
            - path: /scopes/{{scopes}}
              success:
                headers:
                  - {name: x-oauth-scopes, contains: repo}
                  - {name: X-OAuth-Scopes, exists: true}
        """
        let schema = try #require(SchemaLoader.load(text: text, file: "scoped.yaml").schema)
        func run(_ scopes: String) async throws -> TestAttempt {
            try await rig.tester.run(ConnectionTester.Subject(name: "S", logKey: "scoped-\(scopes)", schema: schema, values: [
                "name": .string("S"), "scopes": .string(scopes), "token": .string("scoped-secret-4321")])).attempt
        }
        let passing = try await run("read:org,repo")
        #expect(passing.passed, "\(passing.outcome.line)")
        let failing = try await run("read:org,gist")
        #expect(!failing.passed)
        #expect(failing.outcome.line == "Test failed: 200 OK, but the “x-oauth-scopes” header (“read:org, gist”) does not list “repo”", "\(failing.outcome.line)")
        #expect(rig.home.filesContaining("scoped-secret-4321").isEmpty)
    }

    /// Issue 21: a service that answers with secrets of its own (Twilio's account resource
    /// holds the account's auth_token) leaves none of them in the log files or the HAR.
    @Test func secretsInAResponseBodyAreHiddenInTheLogAndTheHAR() async throws {
        let rig = try await LoopbackRig.start(route: false)
        defer { Task { await rig.stop() } }
        let attempt = try await rig.test("http-token", answers(rig, "/account"))
        #expect(attempt.passed, "\(attempt.outcome.line)")
        checkLogged(attempt, rig: rig)
        let entry = try #require(rig.lastEntry())
        try HARDocument.write(entry, toFile: rig.home.file("account.har"))
        let transcript = try ExchangeReader(entry).exchange(at: 0).map { ExchangeTranscript.lines(for: $0, in: entry).joined(separator: "\n") } ?? ""
        #expect(transcript.contains("Fault account") && transcript.contains("page-2-cursor"), "\(transcript)")
        for secret in SandboxAccounts.faultAccountSecrets {
            for form in [secret, String(secret.prefix(12)), Data(secret.utf8).base64EncodedString(), secret.utf8.map { String(format: "%02x", $0) }.joined()] {
                #expect(rig.home.filesContaining(form).isEmpty, "\(form) in \(rig.home.filesContaining(form))")
                #expect(!transcript.contains(form), "\(form) in the View log")
            }
        }
    }

    @Test func serverErrorRateLimitAndRuleFailures() async throws {
        let rig = try await LoopbackRig.start(route: false)
        defer { Task { await rig.stop() } }

        let failed = try await rig.test("http-token", answers(rig, "/status/503"))
        #expect(failed.outcome.kind == .serverError)
        #expect(failed.outcome.line == "The service failed: 503 Service Unavailable — “The service had an internal problem.”")
        checkLogged(failed, rig: rig)

        let limited = try await rig.test("http-token", answers(rig, "/status/429"))
        #expect(limited.outcome.kind == .rateLimited)
        #expect(limited.outcome.retryAfter == 30)
        #expect(limited.outcome.line.contains("retry after 30 s"))
        checkLogged(limited, rig: rig)

        let errors = try await rig.test("http-token", answers(rig, "/errors-array"))
        #expect(errors.outcome.kind == .ruleFailed)
        #expect(errors.outcome.line.contains("200 OK, but the response carries an “errors” entry"))
        #expect(errors.outcome.serviceMessage == "The ping failed on purpose.")

        let invalid = try await rig.test("http-token", answers(rig, "/invalid-json"))
        #expect(invalid.outcome.kind == .unreadableResponse)
        #expect(invalid.outcome.line.contains("not valid JSON"))
        checkLogged(invalid, rig: rig)

        let teapot = try await rig.test("http-token", answers(rig, "/status/418"))
        #expect(teapot.outcome.kind == .clientError)
    }

    @Test func redirectsAreFollowedAndLoopsCaught() async throws {
        let rig = try await LoopbackRig.start(route: false)
        defer { Task { await rig.stop() } }
        let followed = try await rig.test("http-token", answers(rig, "/redirect/3"))
        #expect(followed.outcome.kind == .succeeded)
        #expect(followed.exchanges.map { $0.response?.status } == [302, 302, 302, 200])
        #expect(followed.exchanges.last?.url.hasSuffix("/_faults/ok") == true)

        let loop = try await rig.test("http-token", answers(rig, "/redirect-loop"))
        #expect(loop.outcome.kind == .redirectLoop)
        #expect(loop.exchanges.count == 1)
        #expect(loop.outcome.line.contains("leads back to"))
        #expect(loop.outcome.line.hasPrefix("Redirect loop: "))
        checkLogged(loop, rig: rig)
    }

    @Test func refusedPortAndTimeout() async throws {
        let rig = try await LoopbackRig.start(connectTimeout: 2, totalTimeout: 1, route: false)
        defer { Task { await rig.stop() } }
        let port = Subprocess.freePort()
        let refused = try await rig.test("http-token", answers(rig, "/", base: "http://127.0.0.1:\(port)"))
        #expect(refused.outcome.kind == .refused, "\(refused.outcome.line)")
        #expect(refused.outcome.line.contains("127.0.0.1:\(port)"))
        checkLogged(refused, rig: rig)

        let started = Date()
        let hung = try await rig.test("http-token", answers(rig, "/hang"))
        let waited = Date().timeIntervalSince(started)
        #expect(hung.outcome.kind == .timeout, "\(hung.outcome.line)")
        #expect(hung.outcome.line.contains("within 1 s"))
        #expect(waited >= 0.9 && waited < 5, "the 1 s timeout took \(waited) s")
        checkLogged(hung, rig: rig)
    }

    @Test func unknownHostAndPlainPortOverTLS() async throws {
        let rig = try await LoopbackRig.start(connectTimeout: 5, totalTimeout: 5, route: false)
        defer { Task { await rig.stop() } }
        let dns = try await rig.test("http-token", answers(rig, "/", base: "https://no-such-host.invalid"))
        #expect(dns.outcome.kind == .dns, "\(dns.outcome.line)")
        #expect(dns.outcome.line.contains("no-such-host.invalid"))
        checkLogged(dns, rig: rig)

        let tls = try await rig.test("http-token", answers(rig, "/_faults/ok", base: rig.server.url.replacingOccurrences(of: "http:", with: "https:")))
        #expect(tls.outcome.kind == .tls, "\(tls.outcome.line)")
        checkLogged(tls, rig: rig)
    }

    @Test func hundredMegabytesStreamToDisk() async throws {
        let rig = try await LoopbackRig.start(totalTimeout: 60, route: false)
        defer { Task { await rig.stop() } }
        let size = 100 * 1024 * 1024
        let attempt = try await rig.test("http-token", answers(rig, "/bytes/\(size)"))
        #expect(attempt.outcome.kind == .succeeded, "\(attempt.outcome.line)")
        let body = try #require(attempt.exchanges.first?.response?.body)
        #expect(body.size == size)
        let file = try #require(body.file)
        let stored = rig.home.allFiles().first { $0.path.hasSuffix(file) }
        // All of it streams past; the log keeps the first 8 MB (the default) and says so.
        #expect(stored?.data.count == 8 << 20)
        #expect(body.keptBytes == 8 << 20)

        // A binary body is kept but never printed as text.
        let binary = try await rig.test("http-token", answers(rig, "/binary/\(2 * 1024 * 1024)"))
        #expect(binary.outcome.kind == .succeeded)
        let entry = try #require(rig.lastEntry())
        let binaryBody = try #require(binary.exchanges.first?.response?.body)
        let shown = try #require(entry.bodyText(binaryBody))
        #expect(shown.text.contains("of binary data, not shown"))
    }

    @Test func certificatesAreVerifiedAndACAFileAddsTrust() async throws {
        let folder = TemporaryFolder()
        let extensions = folder.write("san.ext", "subjectAltName=IP:127.0.0.1\n")
        func openssl(_ arguments: [String]) throws {
            let run = try Subprocess.run(["openssl"] + arguments)
            #expect(run.status == 0, "openssl \(arguments.first ?? ""): \(run.output)")
        }
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", folder.file("ca.key"), "-out", folder.file("ca.pem"),
                     "-days", "2", "-subj", "/CN=connwiz test CA"])
        try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", folder.file("server.key"), "-out", folder.file("server.csr"),
                     "-subj", "/CN=127.0.0.1"])
        try openssl(["x509", "-req", "-in", folder.file("server.csr"), "-CA", folder.file("ca.pem"), "-CAkey", folder.file("ca.key"),
                     "-CAcreateserial", "-out", folder.file("server.pem"), "-days", "2", "-extfile", extensions])
        let port = Subprocess.freePort()
        let server = try Subprocess.start(["openssl", "s_server", "-accept", "127.0.0.1:\(port)", "-cert", folder.file("server.pem"),
                                           "-key", folder.file("server.key"), "-www", "-quiet"])
        defer { server.stop(signal: SIGKILL) }
        #expect(Subprocess.waitForListener(port: port))

        let untrusted = try await LoopbackRig.start(connectTimeout: 5, totalTimeout: 5, route: false)
        let refused = try await untrusted.test("http-token", answers(untrusted, "/", base: "https://127.0.0.1:\(port)"))
        await untrusted.stop()
        #expect(refused.outcome.kind == .tls, "\(refused.outcome.line)")
        #expect(refused.outcome.line.contains("not trusted"))
        #expect(refused.outcome.line.contains("--ca-file"))

        let client = try ExchangeClient(options: TransportOptions(connectTimeout: 5, totalTimeout: 5, caFile: folder.file("ca.pem")))
        let tester = ConnectionTester(client: client, log: ExchangeLog(home: HomeFolder(path: folder.path)))
        let schema = try #require(ConnectorCatalog.builtin().connector("http-token"))
        let values = try LoopbackRig.values("http-token", ["name": "TLS", "baseUri": "https://127.0.0.1:\(port)", "token": "tls-secret-1234"])
        let trusted = try await tester.run(.init(name: "TLS", logKey: "tls", schema: schema, values: values)).attempt
        await client.shutdown()
        #expect(trusted.outcome.kind == .succeeded, "\(trusted.outcome.line)")
        #expect(folder.filesContaining("tls-secret-1234").isEmpty)

        #expect(throws: TransportFailure.self) { try ExchangeClient(options: TransportOptions(caFile: extensions)) }
    }
}

/// Redirects a test must not follow (issue: hardening).
@Suite("Redirects into metadata and private addresses")
struct RedirectPolicyTests {
    @Test(arguments: [
        ("169.254.169.254", RedirectPolicy.Zone.linkLocal), ("[fe80::1]", .linkLocal), ("fd00:ec2::254", .linkLocal),
        ("metadata.google.internal", .linkLocal), ("127.0.0.1", .loopback), ("localhost", .loopback), ("[::1]", .loopback),
        ("10.0.0.5", .privateNetwork), ("172.20.1.1", .privateNetwork), ("192.168.1.9", .privateNetwork), ("fd12::1", .privateNetwork),
        ("::ffff:169.254.169.254", .linkLocal), ("8.8.8.8", .publicNetwork), ("api.eu.integrator.io", .publicNetwork),
        ("172.32.0.1", .publicNetwork),
    ])
    func zones(_ host: String, _ zone: RedirectPolicy.Zone) {
        #expect(RedirectPolicy.zone(of: host) == zone)
    }

    func answers(_ target: String) -> [String: String] {
        ["name": "Redirected", "baseUri": "http://sandbox.connwiz/_faults", "token": "fault-secret-9876",
         "pingPath": "/redirect-to?url=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? target)]
    }

    @Test func aRedirectToMetadataOrAPrivateAddressIsNotFollowed() async throws {
        let rig = try await LoopbackRig.start()
        defer { Task { await rig.stop() } }
        for target in ["http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/latest/", "http://metadata.google.internal/computeMetadata/v1/",
                       "http://10.0.0.5/admin", "http://127.0.0.1:22/"] {
            let attempt = try await rig.test("http-token", answers(target))
            #expect(attempt.exchanges.count == 1, "\(target) was followed")
            #expect(attempt.outcome.kind == .notSent && attempt.outcome.line.contains("was not followed"), "\(attempt.outcome.line)")
            #expect(rig.received.count == 1, "the sandbox saw \(rig.received.count) requests for \(target)")
        }
        // A private address may be allowed; metadata never is.
        let client = try ExchangeClient(options: TransportOptions(route: .sandbox(rig.server.url), allowPrivateRedirects: true))
        defer { Task { await client.shutdown() } }
        let allowing = ConnectionTester(client: client, log: rig.tester.log)
        let schema = try #require(ConnectorCatalog.builtin().connector("http-token"))
        for (target, followed) in [("http://10.0.0.5/admin", true), ("http://169.254.169.254/", false)] {
            let subject = ConnectionTester.Subject(name: "R", logKey: "r", schema: schema, values: try LoopbackRig.values("http-token", answers(target)))
            let attempt = try await allowing.run(subject).attempt
            #expect((attempt.exchanges.count == 2) == followed, "\(target): \(attempt.exchanges.count) exchanges")
        }
    }
}

/// Bodies and logs without bound (issue: hardening).
@Suite("What the log keeps")
struct LogBoundTests {
    @Test func aBodyIsKeptUpToTheLimitAndTheLogSaysWhereItWasCut() async throws {
        let rig = try await LoopbackRig.start(route: false)
        defer { Task { await rig.stop() } }
        let client = try ExchangeClient(options: TransportOptions(maximumKeptBody: 2 << 20))
        defer { Task { await client.shutdown() } }
        let log = ExchangeLog(home: HomeFolder(path: rig.home.path))
        let tester = ConnectionTester(client: client, log: log)
        let schema = try #require(ConnectorCatalog.builtin().connector("http-token"))
        let values = try LoopbackRig.values("http-token", ["name": "Big", "baseUri": rig.server.url + "/_faults", "token": "t-big-1234",
                                                           "pingPath": "/bytes/10485760"])
        let (attempt, _) = try await tester.run(ConnectionTester.Subject(name: "Big", logKey: "big", schema: schema, values: values))
        #expect(attempt.passed)
        let body = try #require(attempt.exchanges.first?.response?.body)
        #expect(body.size == 10 << 20 && body.keptBytes == 2 << 20)
        let entry = try #require(log.entries("big").last)
        let file = entry.folder.appendingPathComponent(try #require(body.file)).path
        let kept = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber).intValue
        #expect(kept == 2 << 20)
        let lines = ExchangeTranscript.lines(for: try #require(entry.attempt.exchanges.first), in: entry)
        #expect(lines.contains { $0.contains("the log kept the first 2.0 MB of this 10.0 MB body") }, "\(lines.prefix(20))")
    }

    @Test func theAttemptsOfAConnectionAreBoundedInBytesAsWellAsInNumber() async throws {
        let rig = try await LoopbackRig.start(route: false)
        defer { Task { await rig.stop() } }
        let log = ExchangeLog(home: HomeFolder(path: rig.home.path), keep: 20, keepBytes: 5 << 20)
        let tester = ConnectionTester(client: rig.client, log: log)
        let schema = try #require(ConnectorCatalog.builtin().connector("http-token"))
        let values = try LoopbackRig.values("http-token", ["name": "Two", "baseUri": rig.server.url + "/_faults", "token": "t-two-1234",
                                                           "pingPath": "/bytes/2097152"])
        for _ in 0..<6 {
            _ = try await tester.run(ConnectionTester.Subject(name: "Two", logKey: "two", schema: schema, values: values))
        }
        let kept = log.numberedFolders("two")
        #expect(kept.map(\.number) == [5, 6], "kept \(kept.map(\.number))")
        let total = kept.reduce(0) { $0 + ExchangeLog.bytes(in: $1.folder) }
        #expect(total <= 5 << 20)
    }
}

/// A server that drips or drops the connection, and a long run of tests (issue: hardening).
@Suite("Drips, resets and a thousand tests")
struct LongRunTests {
    func subject(_ rig: LoopbackRig, _ path: String, key: String) throws -> ConnectionTester.Subject {
        let schema = try #require(ConnectorCatalog.builtin().connector("http-token"))
        return ConnectionTester.Subject(name: "F", logKey: key, schema: schema, values: try LoopbackRig.values("http-token", [
            "name": "F", "baseUri": rig.server.url + "/_faults", "token": "fault-secret-9876", "pingPath": path]))
    }

    @Test func aDrippingServerTimesOutAndADroppedConnectionIsNamed() async throws {
        let rig = try await LoopbackRig.start(totalTimeout: 2, route: false)
        defer { Task { await rig.stop() } }
        let started = Date()
        // The drip would take 60 s to end; the 2 s timeout ends it long before, even on a
        // machine busy with the rest of the suite.
        let drip = try await rig.tester.run(try subject(rig, "/drip/300", key: "drip")).attempt
        #expect(Date().timeIntervalSince(started) < 30, "the drip took \(Date().timeIntervalSince(started)) s")
        #expect(drip.outcome.kind == .timeout, "\(drip.outcome.line)")
        #expect(drip.exchanges.count == 1)

        let reset = try await rig.tester.run(try subject(rig, "/reset/4096", key: "reset")).attempt
        #expect(!reset.passed, "\(reset.outcome.line)")
        #expect([.network, .unreadableResponse, .timeout].contains(reset.outcome.kind), "\(reset.outcome.kind): \(reset.outcome.line)")
        #expect(reset.exchanges.first?.response?.body.incomplete == true || reset.exchanges.first?.response == nil)
    }

    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    static func residentKB() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = Int(text.split(separator: " ")[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
    }

    /// 1,000 tests one after another keep the log at 20 attempts, and leave the process's
    /// open files and memory where they were after the first hundred. Other suites run in the
    /// same process meanwhile, so each bound leaves them room (64 files, 64 MB); a file leaked
    /// per test would pass it by hundreds, and 70 KB of memory leaked per test would too.
    @Test func aThousandSequentialTestsLeaveLogsFilesAndMemoryFlat() async throws {
        let rig = try await LoopbackRig.start(route: false)
        defer { Task { await rig.stop() } }
        let subject = try subject(rig, "/ok", key: "soak")
        var descriptors = 0, resident = 0
        for round in 1...1000 {
            let attempt = try await rig.tester.run(subject).attempt
            if !attempt.passed { Issue.record("round \(round): \(attempt.outcome.line)"); return }
            if round == 100 { descriptors = Self.openDescriptors(); resident = Self.residentKB() }
        }
        #expect(rig.tester.log.numberedFolders("soak").count == 20)
        #expect(Self.openDescriptors() <= descriptors + 64, "open files grew from \(descriptors) to \(Self.openDescriptors())")
        #expect(Self.residentKB() <= resident + 64 * 1024, "memory grew from \(resident) KB to \(Self.residentKB()) KB")
    }
}
