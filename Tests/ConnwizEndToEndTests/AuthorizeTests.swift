import Foundation
import Testing
import TestSupport

/// The sign-in address as the screen shows it: wrapped over as many rows as it needs, joined
/// back by reading the rows under `intro` up to the first empty one.
func address(on screen: String, after intro: String) -> String? {
    let rows = screen.components(separatedBy: "\n")
    guard let start = rows.firstIndex(where: { $0.contains(intro) }) else { return nil }
    var pieces: [String] = []
    for row in rows[(start + 1)...] {
        let text = row.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { if pieces.isEmpty { continue } else { break } }
        // Only the URL's rows: the frame's border characters are not part of it.
        pieces.append(text.trimmingCharacters(in: CharacterSet(charactersIn: "│ ")))
    }
    return pieces.isEmpty ? nil : pieces.joined()
}

/// The binary with its standard input and output as pipes, read as it runs: a test answers
/// what it prints (the address to sign in at) while it waits.
final class LiveRun: @unchecked Sendable {
    let process = Process()
    private let input = Pipe(), output = Pipe()
    /// Guards `text` and `closed`, and is signalled when either changes.
    private let changed = NSCondition()
    private var text = ""
    /// The output reached its end (every writer closed it).
    private var closed = false

    init(_ binary: String, _ arguments: [String], environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "TERM")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            guard let self else { return }
            self.changed.lock()
            if data.isEmpty { self.closed = true } else { self.text += String(decoding: data, as: UTF8.self) }
            self.changed.broadcast()
            self.changed.unlock()
        }
        try process.run()
    }

    var printed: String {
        changed.lock()
        defer { changed.unlock() }
        return text
    }

    /// Waits until the output holds `needle` (returned whole), nil after `seconds`.
    func waitFor(_ needle: String, seconds: Double = 20) -> String? {
        wait(seconds: seconds) { $0.contains(needle) }
    }

    /// Waits, woken by each piece of output, until `condition` holds for it; nil after `seconds`.
    private func wait(seconds: Double, until condition: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        changed.lock()
        defer { changed.unlock() }
        while !condition(text) {
            guard changed.wait(until: deadline) else { return condition(text) ? text : nil }
        }
        return text
    }

    func send(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }

    /// Waits for the output to end (the program and any child gone), then for the exit.
    func finish(seconds: Double = 30) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        changed.lock()
        while !closed, changed.wait(until: deadline) {}
        let ended = closed
        changed.unlock()
        guard ended else { process.terminate(); return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

@Suite("Save & authorize through the real binary, with a real HTTP client playing the browser", .serialized, .oneAtATime)
struct AuthorizeTests {
    static let secret = "sbx-sf-secret"

    @Test func newWithAuthorizeOverSSHTakesThePastedAddressAndStoresTheTokens() async throws {
        let home = TemporaryFolder()
        let binary = BinaryRunner.locate()
        let run = try LiveRun(binary, ["new", "certinia", "--name", "Cert flags", "--set", "accountType=sandbox",
                                       "--set", "consumerKey=sbx-sf-client", "--secret", "consumerSecret=env:CS", "--yes",
                                       "--authorize", "--auth-timeout", "60", "--sandbox"],
                              environment: ["CONNWIZ_HOME": home.path, "CS": Self.secret, "SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22",
                                            "BROWSER": "/bin/false"])
        let shown = try #require(run.waitFor("press Enter."), "no sign-in address: \(run.printed)")
        #expect(shown.contains("To authorize “Cert flags”, open this address in a browser"), "over SSH no browser is opened")
        let url = try #require(address(on: shown, after: "open this address in a browser"))
        #expect(url.contains("sandbox_host=test.salesforce.com") && url.contains("code_challenge_method=S256"))
        let browser = BrowserPlayer()
        let location = try await browser.signIn(url, user: "operator@example.com.sbx", password: "sbx-test-pass")
        await browser.shutdown()
        run.send("this is not it")
        #expect(run.waitFor("Paste the address again") != nil)
        run.send(location)
        let status = run.finish()
        let printed = run.printed
        #expect(status == 0, "\(printed)")
        #expect(printed.contains("Authorized: the tokens for “Cert flags” are stored, encrypted."))
        #expect(printed.contains("Test succeeded: 200 OK"))

        let list = try BinaryRunner(home: home.path).run(["list"]).stdout
        #expect(list.contains("Cert flags") && list.contains("✓ Test succeeded"))
        // Test again: the stored access token is used as it is, and the log keeps fingerprints.
        let again = try BinaryRunner(home: home.path).run(["test", "Cert flags", "--sandbox"])
        #expect(again.status == 0 && again.stdout.contains("userinfo → 200"), "\(again.stdout)\(again.stderr)")
        let log = try BinaryRunner(home: home.path).run(["log", "Cert flags", "--attempt", "1"]).stdout
        #expect(log.contains("code_verifier=sha256:") && log.contains("code=sha256:"), "\(log)")

        let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
        for secret in [code, Self.secret] {
            for form in [secret, String(secret.prefix(12)), Data(secret.utf8).base64EncodedString()] {
                #expect(!printed.contains(form) && !log.contains(form) && !again.stdout.contains(form))
                #expect(home.filesContaining(form).isEmpty, "\(form) in \(home.filesContaining(form))")
            }
        }
    }

    @Test func theLinePromptsReviewOffersSaveAndAuthorizeAndTakesAPastedAddress() async throws {
        let home = TemporaryFolder()
        let run = try LiveRun(BinaryRunner.locate(), ["new", "certinia", "--plain", "--no-browser", "--sandbox"],
                              environment: ["CONNWIZ_HOME": home.path])
        for line in ["Cert plain", "2", "", "sbx-sf-client", Self.secret, "n"] { run.send(line) }
        let review = try #require(run.waitFor("a save & authorize"), "\(run.printed)")
        #expect(review.contains("Account type             Sandbox"))
        run.send("a")
        let shown = try #require(run.waitFor("press Enter."), "\(run.printed)")
        #expect(shown.contains("Saved connection “Cert plain” (Certinia)."))
        let url = try #require(address(on: shown, after: "open this address in a browser"))
        let browser = BrowserPlayer()
        let location = try await browser.signIn(url, user: "operator@example.com.sbx", password: "sbx-test-pass")
        await browser.shutdown()
        run.send(location)
        #expect(run.finish() == 0, "\(run.printed)")
        #expect(run.printed.contains("Authorized: the tokens for “Cert plain” are stored, encrypted."))
        #expect(!run.printed.contains(Self.secret) && !run.printed.contains(String(Self.secret.prefix(12))))
        #expect(home.filesContaining(Self.secret).isEmpty)
    }

    @Test func aDeviceSignsInThroughTheBinaryWithJSONOnStandardOutput() async throws {
        let home = TemporaryFolder()
        _ = try BinaryRunner(home: home.path).run(["new", "certinia", "--name", "Device", "--set", "accountType=sandbox",
                                                   "--set", "consumerKey=sbx-sf-client", "--secret", "consumerSecret=env:CS", "--yes"],
                                                  environment: ["CS": Self.secret])
        let run = try LiveRun(BinaryRunner.locate(), ["authorize", "Device", "--device", "--json", "--sandbox"],
                              environment: ["CONNWIZ_HOME": home.path, "CONNWIZ_SANDBOX_DEVICE_INTERVAL": "1"])
        let shown = try #require(run.waitFor("and enter the code:"), "\(run.printed)")
        let page = try #require(shown.range(of: #"http://127\.0\.0\.1:[0-9]+/setup/connect\?sandbox_host=test\.salesforce\.com"#,
                                            options: .regularExpression).map { String(shown[$0]) }, "\(shown)")
        let code = try #require(shown.range(of: #"enter the code:  [A-Z]{8}"#, options: .regularExpression)
            .map { String(shown[$0].suffix(8)) })
        let browser = BrowserPlayer()
        let answer = try await browser.connectDevice(page, userCode: code, user: "operator@example.com.sbx", password: "sbx-test-pass")
        await browser.shutdown()
        #expect(answer.body.contains("Your device is connected"))
        #expect(run.finish() == 0, "\(run.printed)")
        let json = run.printed[(run.printed.range(of: "{")?.lowerBound ?? run.printed.startIndex)...]
        #expect(json.contains("\"authorized\" : true") && json.contains("Authorized, and the test succeeded"), "\(run.printed)")
        let list = try BinaryRunner(home: home.path).run(["show", "Device"]).stdout
        #expect(list.contains("Sign-in") && list.contains("authorized"), "\(list)")
    }

    @Test func deniedConsentEndsWithTheServicesReasonAndExitOne() async throws {
        let home = TemporaryFolder()
        let binary = BinaryRunner.locate()
        _ = try BinaryRunner(home: home.path).run(["new", "certinia", "--name", "Denied", "--set", "accountType=production",
                                                   "--set", "consumerKey=sbx-sf-client", "--secret", "consumerSecret=env:CS", "--yes"],
                                                  environment: ["CS": Self.secret])
        let run = try LiveRun(binary, ["authorize", "Denied", "--no-browser", "--sandbox"], environment: ["CONNWIZ_HOME": home.path])
        let shown = try #require(run.waitFor("press Enter."), "\(run.printed)")
        let url = try #require(address(on: shown, after: "open this address in a browser"))
        #expect(url.contains("sandbox_host=login.salesforce.com"), "Production signs in at login.salesforce.com")
        let browser = BrowserPlayer()
        let location = try await browser.signIn(url, user: "operator@example.com", password: "sbx-prod-pass", allow: false)
        await browser.shutdown()
        run.send(location)
        #expect(run.finish() == 1)
        #expect(run.printed.contains("Sign-in was denied at the service (access_denied) — “end-user denied authorization”; no tokens were stored"))
        let list = try BinaryRunner(home: home.path).run(["list"]).stdout
        #expect(list.contains("✗ needs authorization: connwiz authorize Denied"), "\(list)")
    }
}

@Suite("JWT bearer: the key file is checked at the field, and a wrong key is refused by the service", .oneAtATime)
struct KeyFileTests {
    @Test func aMissingOrWrongKeyFileIsReportedAtTheFieldAndAWrongKeyByTheService() throws {
        let home = TemporaryFolder()
        let outside = TemporaryFolder()
        let runner = BinaryRunner(home: home.path)
        func new(_ key: String) throws -> BinaryRunner.Run {
            try runner.run(["new", "certinia", "--name", "JWT", "--set", "accountType=production", "--set", "oauthFlow=jwt-bearer",
                            "--set", "consumerKey=sbx-sf-client", "--set", "username=operator@example.com",
                            "--set", "privateKeyFile=\(key)", "--yes"])
        }
        let missing = try new(outside.file("nowhere.pem"))
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("the private key file \(outside.file("nowhere.pem")) cannot be read: no such file"), "\(missing.stderr)")
        let notAKey = try new(outside.write("notes.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))
        #expect(notAKey.status == 2 && notAKey.stderr.contains("holds no RSA private key"), "\(notAKey.stderr)")

        // A real RSA key, but not the one the connected app trusts.
        let wrongKey = outside.file("wrong.pem")
        let made = try Subprocess.run(["openssl", "genrsa", "-out", wrongKey, "2048"])
        try #require(made.status == 0, "openssl: \(made.output)")
        let saved = try new(wrongKey)
        #expect(saved.status == 0, "\(saved.stderr)")
        let refused = try runner.run(["test", "JWT", "--sandbox"])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("Token request refused: 400 Bad Request — “invalid_grant: invalid assertion”"), "\(refused.stdout)")
        let log = try runner.run(["log", "JWT"]).stdout
        #expect(log.contains("assertion=sha256:"))

        // The sandbox's own key (written on its first start) signs in.
        let trusted = home.file("sandbox/salesforce-jwt-key.pem")
        let edited = try runner.run(["edit", "JWT", "--set", "privateKeyFile=\(trusted)", "--yes"])
        #expect(edited.status == 0, "\(edited.stderr)")
        let passed = try runner.run(["test", "JWT", "--sandbox"])
        #expect(passed.status == 0 && passed.stdout.contains("Test succeeded"), "\(passed.stdout)")

        // The key's contents never leave its file: not in the store, the logs or any output.
        let pem = try String(contentsOfFile: wrongKey, encoding: .utf8)
        let body = pem.components(separatedBy: "\n").filter { !$0.hasPrefix("-----") && $0.count > 20 }
        for line in body.prefix(3) {
            #expect(home.filesContaining(line).isEmpty)
            #expect(!(refused.stdout + refused.stderr + log + saved.stdout).contains(line))
        }
    }
}

extension FullScreenTests.Desk {
    /// On the panel's sign-in screen: reads the address, signs in there as `user` with a real
    /// HTTP client playing the browser, pastes the address it ends on (`p`), and waits for the
    /// test that follows. Returns that address.
    func signInByPasting(user: String, password: String) async throws -> String {
        let waiting = try wait("p paste ·")
        let url = try #require(address(on: waiting, after: "Open this address in a browser and sign in:"), "\(waiting)")
        let browser = BrowserPlayer()
        let location = try await browser.signIn(url, user: user, password: password)
        await browser.shutdown()
        try press("p")
        try wait("Address:")
        try type(location)
        try press("Enter")
        try wait("Authorized, and the test succeeded")
        return location
    }

    /// Answers a Certinia sandbox panel (consumer key and secret) and presses Save & authorize.
    func answerCertiniaSandboxAndAuthorize(name: String) throws {
        try wait("] Name your connection *")
        try type(name)
        try press("Enter")
        try wait("2) Sandbox")
        try type("2")
        try wait("] OAuth 2.0 flow type *")
        try press("Enter")
        try wait("] Consumer key *")
        try type("sbx-sf-client")
        try press("Enter")
        try wait("] Consumer secret *")
        try type(AuthorizeTests.secret)
        try press("Enter")
        try wait("Advanced settings")
        try press("Enter")
        try wait("a Save & authorize")
        try press("a")
    }
}

extension FullScreenTests {
    @Test func saveAndAuthorizeInThePanelShowsTheWholeAddressAndTakesAPastedOne() async throws {
        let desk = try Desk()
        try desk.start("new certinia --sandbox", environment: "SSH_CONNECTION='10.0.0.1 5000 10.0.0.2 22'")
        try desk.answerCertiniaSandboxAndAuthorize(name: "Cert panel")
        let waiting = try desk.wait("p paste ·")
        #expect(waiting.contains("Authorize “Cert panel”") && waiting.contains(" left"), "\(waiting)")
        let url = try #require(address(on: waiting, after: "Open this address in a browser and sign in:"), "\(waiting)")
        #expect(url.hasSuffix("sandbox_host=test.salesforce.com"), "the whole address is on screen: \(url)")
        let browser = BrowserPlayer()
        let location = try await browser.signIn(url, user: "operator@example.com.sbx", password: "sbx-test-pass")
        await browser.shutdown()
        try desk.press("p")
        try desk.wait("Address:")
        try desk.type(location)
        try desk.press("Enter")
        let done = try desk.wait("Authorized, and the test succeeded")
        #expect(done.contains("Enter back"))
        try desk.press("Enter")
        #expect(try desk.exitStatus() == 0)
        let list = try desk.home.runConnwiz(["list"], binary: desk.binary)
        #expect(list.contains("Cert panel") && list.contains("✓ Test succeeded"), "\(list)")
        let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
        try desk.expectNowhere(AuthorizeTests.secret)
        try desk.expectNowhere(String(AuthorizeTests.secret.prefix(12)))
        try desk.expectNowhere(code)
        try desk.expectNowhere(String(code.prefix(12)))
    }

    /// Issue 19 item 14: over SSH in an 80-column terminal the address is one line to the
    /// terminal (tmux joins its rows), `c` puts it on tmux's clipboard by OSC 52, `w` writes it
    /// to a file, and `d` turns the sign-in into a device sign-in that completes.
    @Test func theSignInAddressIsOneLineCopiedWrittenAndTheDeviceFlowIsAKeyAway() async throws {
        let desk = try Desk(width: 80, height: 24)
        try desk.session.tmux(["set-option", "-s", "set-clipboard", "on"])
        try desk.start("new certinia --sandbox", environment: "SSH_CONNECTION='10.0.0.1 5000 10.0.0.2 22' CONNWIZ_SANDBOX_DEVICE_INTERVAL=1")
        try desk.answerCertiniaSandboxAndAuthorize(name: "Cert copy")
        let waiting = try desk.wait("d device code")
        let url = try #require(address(on: waiting, after: "Open this address in a browser and sign in:"), "\(waiting)")
        #expect(url.count > 80 && url.hasSuffix("sandbox_host=test.salesforce.com"), "\(url)")
        let joined = try desk.session.tmux(["capture-pane", "-p", "-J", "-t", desk.session.name])
        #expect(joined.components(separatedBy: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == url },
                "the terminal holds the address as one line:\n\(joined)")

        try desk.press("c")
        try desk.wait("Sent the address")
        #expect(try desk.session.tmux(["show-buffer"]) == url, "OSC 52 reached tmux's clipboard")

        try desk.press("w")
        try desk.wait("Wrote the address to")
        let file = desk.home.file("cert-copy-sign-in.txt")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == url + "\n")
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600)

        try desk.press("d")
        let device = try desk.wait("and enter the code:")
        let rows = device.components(separatedBy: "\n")
        let codeRow = try #require(rows.firstIndex { $0.contains("and enter the code:") })
        let code = rows[codeRow + 1].trimmingCharacters(in: .whitespaces)
        let page = try #require(address(on: device, after: "On any device with a browser, open this page:"), "\(device)")
        let deviceJoined = try desk.session.tmux(["capture-pane", "-p", "-J", "-t", desk.session.name])
        #expect(deviceJoined.components(separatedBy: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == page }, "\(deviceJoined)")
        let browser = BrowserPlayer()
        let answer = try await browser.connectDevice(page, userCode: code, user: "operator@example.com.sbx", password: "sbx-test-pass")
        await browser.shutdown()
        #expect(answer.body.contains("Your device is connected"), "\(code) \(page)")
        try desk.wait("Authorized, and the test succeeded", seconds: 30)
        try desk.press("Enter")
        #expect(try desk.exitStatus() == 0)
        let shown = try desk.home.runConnwiz(["show", "Cert copy"], binary: desk.binary)
        #expect(shown.contains("authorized"), "\(shown)")
        try desk.expectNowhere(AuthorizeTests.secret)
        try desk.expectNowhere(String(AuthorizeTests.secret.prefix(12)))
    }
}

@Suite("test --all through the binary", .oneAtATime)
struct TestAllCommandTests {
    @Test func oneLinePerConnectionASummaryAndExitOneUnlessAllPass() throws {
        let home = TemporaryFolder()
        let runner = BinaryRunner(home: home.path)
        for (name, token) in [("IO good", "sbx-io-eu-token"), ("IO bad", "io-WRONG-0000")] {
            let made = try runner.run(["new", "celigo-integrator-io", "--name", name, "--set", "region=europe", "--secret", "token=env:T", "--yes"],
                                      environment: ["T": token])
            #expect(made.status == 0, "\(made)")
        }
        let run = try runner.run(["test", "--all", "--sandbox"])
        #expect(run.status == 1, "\(run)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(run.stdout)")
        #expect(lines.contains { $0.hasPrefix("✗ IO bad") && $0.contains("The credentials were rejected: 401") })
        #expect(lines.contains { $0.hasPrefix("✓ IO good") && $0.contains("Test succeeded: 200 OK") })
        #expect(lines.last?.hasPrefix("1 passed, 1 failed (2 connections in ") == true)
        let json = try runner.run(["test", "--all", "--json", "--sandbox"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1 && object["passed"] as? Int == 1 && object["failed"] as? Int == 1)
        #expect((object["connections"] as? [[String: Any]])?.map { $0["name"] as? String } == ["IO bad", "IO good"])
        for output in [run.output, json.output] { #expect(!output.contains("sbx-io-eu-token") && !output.contains("io-WRONG-0000")) }
        let usage = try runner.run(["test"])
        #expect(usage.status == 2 && usage.stderr.contains("name the connection to test, or give --all"))
    }
}

@Suite("push and remote list: connections into an integrator.io account, against the sandbox", .oneAtATime)
struct PushTests {
    static let connector = """
    version: 1
    id: busy-api
    title: Busy API
    description: An API that allows more concurrency than integrator.io does.
    category: Custom
    fields:
      - id: name
        label: Name your connection
        kind: text
        required: true
      - id: token
        label: API token
        kind: secret
        required: true
      - id: level
        label: Concurrency level
        kind: number
        validate: {min: 1, max: 100}
    http:
      baseURI: https://acme.eu-1.celonis.cloud
      auth:
        type: header
        headerName: Authorization
        scheme: AppKey
        value: "{{token}}"
      tests:
        - path: /integration/api/v1/data-push/pool-abc123/jobs/
      concurrency:
        level: "{{level}}"
    """

    @Test func aPushCreatesThenUpdatesPingsAndListsWithNoSecretInAnyOutput() throws {
        let home = TemporaryFolder()
        let runner = BinaryRunner(home: home.path)
        var outputs: [String] = []
        func run(_ arguments: [String], environment: [String: String] = [:]) throws -> BinaryRunner.Run {
            let result = try runner.run(arguments, environment: environment)
            outputs.append(result.output)
            return result
        }
        _ = try run(["new", "celigo-integrator-io", "--name", "IO EU", "--set", "region=europe", "--secret", "token=env:T", "--yes"],
                    environment: ["T": "sbx-io-eu-token"])
        _ = try run(["new", "celonis", "--name", "Celonis push", "--set", "apiType=data-push", "--set", "domain=acme.eu-1",
                     "--set", "authType=custom", "--set", "poolId=pool-abc123", "--secret", "appKey=env:K", "--yes"],
                    environment: ["K": "sbx-celonis-appkey"])

        let first = try run(["push", "Celonis push", "--account", "IO EU", "--ping", "--sandbox"])
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("Created “Celonis push” in IO EU as "))
        #expect(first.stdout.contains("The account's test passed: 200 OK"))
        let second = try run(["push", "Celonis push", "--account", "IO EU", "--json", "--sandbox"])
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        #expect(summary["created"] as? Bool == false && summary["pushed"] as? Bool == true, "the second push updates: \(second)")
        let log = try run(["log", "Celonis push", "--attempt", "1"]).stdout
        #expect(log.contains("POST https://api.eu.integrator.io/v1/connections") && log.contains("/ping"), "\(log)")
        #expect(log.contains("\"token\" : \"sha256:"), "the document's secret is a fingerprint in the log")
        let second2 = try run(["log", "Celonis push", "--attempt", "2"]).stdout
        #expect(second2.contains("PUT https://api.eu.integrator.io/v1/connections/"))

        let remote = try run(["remote", "list", "--account", "IO EU", "--sandbox"])
        #expect(remote.stdout.contains("Celonis push") && remote.stdout.contains("online"), "\(remote)")
        let rows = remote.stdout.split(separator: "\n")
        #expect(rows.count == 2 && rows[1].hasSuffix("Celonis push (same)"), "one connection, pushed from the local one and the same: \(remote.stdout)")

        // The account refuses a concurrency level above 25: its error names the panel's field.
        _ = home.write("connectors/busy-api.yaml", Self.connector)
        _ = try run(["new", "busy-api", "--name", "Busy", "--set", "level=40", "--secret", "token=env:K", "--yes"], environment: ["K": "sbx-celonis-appkey"])
        let refused = try run(["push", "Busy", "--account", "IO EU", "--sandbox"])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("The account refused the connection (422 Unprocessable Entity)"), "\(refused)")
        #expect(refused.stdout.contains("Concurrency level (http.concurrencyLevel): The concurrency level must be between 1 and 25."), "\(refused)")

        for secret in ["sbx-io-eu-token", "sbx-celonis-appkey"] {
            for form in [secret, String(secret.prefix(12)), Data(secret.utf8).base64EncodedString()] {
                #expect(!outputs.contains { $0.contains(form) }, "\(form) was printed")
                #expect(home.filesContaining(form).isEmpty, "\(form) in \(home.filesContaining(form))")
            }
        }
    }
}

extension PushTests {
    @Test func theAuthorizationURLOfAPushedConnectionLeadsToTheSandboxSignInAndHonoursTheRedirect() async throws {
        let home = TemporaryFolder()
        let (sandbox, url) = try BinaryRunner.startSandbox(home: home.path)
        defer { sandbox.stop() }
        let base = try #require(url, "the sandbox did not say where it listens: \(sandbox.output)")
        let runner = BinaryRunner(home: home.path)
        _ = try runner.run(["new", "celigo-integrator-io", "--name", "IO EU", "--set", "region=europe", "--secret", "token=env:T", "--yes"],
                           environment: ["T": "sbx-io-eu-token"])
        _ = try runner.run(["new", "certinia", "--name", "Cert prod", "--set", "accountType=production", "--set", "consumerKey=sbx-sf-client",
                            "--secret", "consumerSecret=env:CS", "--yes"], environment: ["CS": "sbx-sf-secret"])
        // Issue 19, item 19: the command line words the next step as a command.
        let unauthorized = try runner.run(["test", "Cert prod", "--sandbox-url", base])
        #expect(unauthorized.status == 1 && unauthorized.stdout.contains("Authorize it: connwiz authorize 'Cert prod' (over SSH add --no-browser"), "\(unauthorized)")
        let early = try runner.run(["oauth-url", "Cert prod", "--account", "IO EU", "--sandbox-url", base])
        #expect(early.status == 1 && early.stderr.contains("is not in the account of “IO EU” yet; push it first"), "\(early)")
        let pushed = try runner.run(["push", "Cert prod", "--account", "IO EU", "--sandbox-url", base])
        #expect(pushed.status == 0, "\(pushed)")
        // Issue 19, item 20: its ping cannot pass before someone authorizes it in the account, and says so.
        let pinged = try runner.run(["push", "Cert prod", "--account", "IO EU", "--ping", "--sandbox-url", base])
        #expect(pinged.status == 1 && pinged.stdout.contains("The account has no sign-in for “Cert prod” yet")
                && pinged.stdout.contains("connwiz oauth-url 'Cert prod' --account 'IO EU'"), "\(pinged)")
        let link = try runner.run(["oauth-url", "Cert prod", "--account", "IO EU", "--redirect-url", "https://partner.example/callback",
                                   "--json", "--sandbox-url", base])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(link.stdout.utf8)) as? [String: Any], "\(link)")
        let real = try #require(object["authorizationURL"] as? String)
        #expect(real.hasPrefix("https://login.salesforce.com/services/oauth2/authorize?") && real.contains("redirect_uri=https%3A%2F%2Fpartner.example%2Fcallback"))
        let shown = try #require(object["sandboxURL"] as? String)
        #expect(shown.hasPrefix(base))
        // A customer's browser on this machine signs in at the sandbox and lands on the partner's page.
        let browser = BrowserPlayer()
        let landing = try await browser.signIn(shown, user: "operator@example.com", password: "sbx-prod-pass")
        await browser.shutdown()
        #expect(landing.hasPrefix("https://partner.example/callback?code="), "\(landing)")
        #expect(!(link.output + pushed.output).contains("sbx-sf-secret") && !(link.output + pushed.output).contains("sbx-io-eu-token"))
        // Issue 19, item 20: with --sandbox the sandbox lives as long as the command, and the
        // address it printed is said not to answer any more.
        let inProcess = try runner.run(["oauth-url", "Cert prod", "--account", "IO EU", "--sandbox"])
        #expect(inProcess.stdout.contains("This sandbox ran only while the command did"), "\(inProcess)")
        let running = try runner.run(["oauth-url", "Cert prod", "--account", "IO EU", "--sandbox-url", base])
        #expect(!running.stdout.contains("ran only while"), "\(running)")
    }
}

@Suite("Stored OAuth 2.0 clients", .oneAtATime)
struct OAuthClientCommandTests {
    @Test func aStoredClientIsNamedBySetUsedByTestsAndProtectedFromDeletion() throws {
        let home = TemporaryFolder()
        let runner = BinaryRunner(home: home.path)
        var outputs: [String] = []
        func run(_ arguments: [String], environment: [String: String] = [:]) throws -> BinaryRunner.Run {
            let result = try runner.run(arguments, environment: environment)
            outputs.append(result.output)
            return result
        }
        let secret = "sbx-celonis-secret"
        #expect(try run(["oauth-client", "add", "Celonis app", "--client-id", "sbx-celonis-client", "--secret", "env:S"], environment: ["S": secret]).status == 0)
        let common = ["--set", "apiType=intelligence", "--set", "domain=acme.eu-1", "--set", "authType=oauth2", "--set", "scopes=studio",
                      "--set", "validDomains=https://acme.eu-1.celonis.cloud/ui/home", "--yes"]
        let unknown = try run(["new", "celonis", "--name", "Nope", "--set", "oauth2Client=Other"] + common)
        #expect(unknown.status == 2 && unknown.stderr.contains("no stored OAuth 2.0 client is named “Other”; stored: Celonis app"), "\(unknown)")
        #expect(try run(["new", "celonis", "--name", "By name", "--set", "oauth2Client=celonis app"] + common).status == 0)
        #expect(try run(["new", "celonis", "--name", "Inline", "--set", "oauth2Client.clientId=sbx-celonis-client",
                         "--secret", "oauth2Client.clientSecret=env:S"] + common, environment: ["S": secret]).status == 0)
        let list = try run(["oauth-client", "list"])
        #expect(list.stdout.contains("Celonis app") && list.stdout.contains("By name, Inline"), "the inline client reused the stored one: \(list)")
        let tested = try run(["test", "By name", "--sandbox"])
        #expect(tested.status == 0 && tested.stdout.contains("Test succeeded"), "\(tested)")
        let show = try run(["show", "By name"])
        #expect(show.stdout.contains("“Celonis app” (stored client sbx-celonis-client)"))
        // Pushed to an integrator.io account, the client goes first, as an iClient.
        _ = try run(["new", "celigo-integrator-io", "--name", "IO EU", "--set", "region=europe", "--secret", "token=env:T", "--yes"],
                    environment: ["T": "sbx-io-eu-token"])
        let pushed = try run(["push", "By name", "--account", "IO EU", "--sandbox"])
        #expect(pushed.status == 0, "\(pushed)")
        let again = try run(["push", "By name", "--account", "IO EU", "--sandbox"])
        #expect(again.status == 0 && again.stdout.contains("Updated"), "\(again)")
        let first = try run(["log", "By name", "--attempt", "2"]).stdout
        #expect(first.contains("POST https://api.eu.integrator.io/v1/iclients") && first.contains("\"_iClientId\""), "\(first)")
        #expect(first.contains("\"clientSecret\" : \"sha256:"), "the iClient's secret is a fingerprint in the log")
        let second = try run(["log", "By name", "--attempt", "3"]).stdout
        #expect(second.contains("PUT https://api.eu.integrator.io/v1/iclients/"), "\(second)")

        let refused = try run(["oauth-client", "delete", "Celonis app"])
        #expect(refused.status == 1 && refused.stderr.contains("is used by “By name”, “Inline”"), "\(refused)")
        // A new secret reaches every connection using the client.
        #expect(try run(["oauth-client", "edit", "Celonis app", "--secret", "env:S"], environment: ["S": "wrong-secret-0000"]).status == 0)
        #expect(try run(["test", "Inline", "--sandbox"]).status == 1)
        // Issue 19 item 20: a secret given alone to edit changes the stored client, and says
        // which other connection follows (item 15).
        let fixed = try run(["edit", "By name", "--secret", "oauth2Client.clientSecret=env:S", "--yes"], environment: ["S": secret])
        #expect(fixed.status == 0 && fixed.stdout.contains("The stored client “Celonis app” changed for “Inline” too: it uses it."), "\(fixed)")
        #expect(try run(["test", "Inline", "--sandbox"]).status == 0, "the other connection uses the new secret")
        // The line prompts take a stored client's name at the client ID prompt.
        let plain = try runner.run(["new", "celonis", "--plain"], input: "Plain pick\n1\nacme.eu-1\n3\ncelonis app\nacme.eu-1.celonis.cloud\n1\nn\ns\n")
        outputs.append(plain.output)
        #expect(plain.status == 0 && plain.stdout.contains("Stored clients: Celonis app (sbx-celonis-client)"), "\(plain)")
        #expect(try run(["show", "Plain pick"]).stdout.contains("“Celonis app” (stored client sbx-celonis-client)"))
        // (Its first 12 characters are those of the client ID, which is no secret.)
        for form in [secret, String(secret.suffix(12)), Data(secret.utf8).base64EncodedString()] {
            #expect(!outputs.contains { $0.contains(form) })
            #expect(home.filesContaining(form).isEmpty)
        }
    }
}
