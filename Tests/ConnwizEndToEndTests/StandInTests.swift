import Foundation
import Testing
import TestSupport

/// Issue 22: stand-ins declared in connector files. Every application the sandbox stands in
/// for succeeds with the answers `connwiz sandbox accounts --json` gives, through `--answers`
/// and `--sandbox`; each declared failure is quoted with its hint; a user's own connector file
/// with a stand-in works with no code change. Every secret is searched for in every output
/// and file (the accounts listing itself prints the sandbox's own secrets on purpose).
@Suite("Declared stand-ins", .serialized, .oneAtATime)
struct StandInTests {
    struct Entry: Decodable {
        var connector: String
        var name: String
        var answers: [String: String]
        var secretFields: [String]
        var needsSignIn: Bool
        var failures: [Failure]
        var signIn: SignIn?
        var alternatives: [Alternative]

        struct SignIn: Decodable {
            var username: String
            var password: String
        }

        struct Alternative: Decodable {
            var name: String
            var answers: [String: String]
            var needsSignIn: Bool
            var signIn: SignIn?
        }

        /// The account listed first and every other that succeeds.
        var succeeding: [Alternative] {
            [Alternative(name: name, answers: answers, needsSignIn: needsSignIn, signIn: signIn)] + alternatives
        }

        struct Failure: Decodable {
            var name: String
            var answers: [String: String]
            var respond: String
            var status: Int
            var needsSignIn: Bool
            var signIn: SignIn?
        }
    }

    /// A secret changed in its last character only, to one of the same kind, so it still
    /// passes the field's pattern and is simply wrong.
    static func altered(_ secret: String) -> String {
        var characters = Array(secret)
        guard let index = characters.lastIndex(where: { $0.isLetter || $0.isNumber }) else { return secret }
        let last = characters[index]
        characters[index] = last.isNumber ? (last == "7" ? "3" : "7") : last.isUppercase ? (last == "Q" ? "R" : "Q") : (last == "a" ? "b" : "a")
        return String(characters)
    }

    /// The status line and the hint under it.
    static func expectQuotedWithHint(_ run: BinaryRunner.Run, status: Int, or others: Set<Int> = [], _ what: String,
                                     sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(run.status == 1, "\(what): \(run)", sourceLocation: sourceLocation)
        #expect(([status] + others).contains { lines.first?.contains("\($0)") == true } && lines.first?.contains("“") == true,
                "\(what): the status line quotes the service: \(run.stdout)", sourceLocation: sourceLocation)
        #expect(lines.count > 1 && lines[1].hasPrefix("  ") && !lines[1].hasPrefix("  1 "),
                "\(what): a hint follows the status line: \(run.stdout)", sourceLocation: sourceLocation)
    }

    static func shell(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    static func accounts(_ connwiz: BinaryRunner) throws -> [Entry] {
        let run = try connwiz.run(["sandbox", "accounts", "--json"])
        struct Listing: Decodable { var version: Int; var accounts: [Entry] }
        let listing = try JSONDecoder().decode(Listing.self, from: Data(run.stdout.utf8))
        #expect(listing.version == 1)
        return listing.accounts
    }

    /// Signs in for a saved connection through `connwiz authorize --sandbox`, a real HTTP
    /// client playing the browser on the stand-in's sign-in page; returns what it printed.
    static func authorize(_ name: String, home: String, as user: Entry.SignIn) async throws -> (status: Int32?, printed: String, code: String?) {
        let run = try LiveRun(BinaryRunner.locate(), ["authorize", name, "--sandbox", "--auth-timeout", "60"],
                              environment: ["CONNWIZ_HOME": home, "SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22", "BROWSER": "/bin/false"])
        guard let shown = run.waitFor("press Enter."), let url = address(on: shown, after: "open this address in a browser") else {
            _ = run.finish(seconds: 5)
            return (nil, run.printed, nil)
        }
        let browser = BrowserPlayer()
        let location = try await browser.signIn(url, user: user.username, password: user.password)
        await browser.shutdown()
        run.send(location)
        let status = run.finish()
        return (status, run.printed, URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
    }

    /// The listing names an account for every built-in application (and for the user's own
    /// files with stand-ins, below); each case of `EveryApplicationTests` runs one of them.
    @Test func theSandboxListsAnAccountForEveryBuiltinApplication() throws {
        let entries = try Self.accounts(BinaryRunner(home: TemporaryFolder().path))
        #expect(Set(entries.map(\.connector)) == Set(EveryApplicationTests.connectors))
        for entry in entries {
            #expect(!entry.answers.isEmpty && entry.answers["name"] != nil, "\(entry.connector)")
            // The Swift emulators (integrator.io, Celonis, Salesforce, Certinia, NetSuite) list no failures; a wrong secret shows theirs.
            let swift: Set = ["celigo-integrator-io", "celonis", "certinia", "salesforce", "netsuite"]
            #expect(entry.failures.count >= 3 || swift.contains(entry.connector), "\(entry.connector): \(entry.failures.count) failures")
        }
    }

    /// `connwiz new CONNECTOR --yes --sandbox` with `answers` as flags; the secrets come from
    /// the environment, since altered ones are not the sandbox's own and only those may be
    /// written in answers.
    static func flags(creating connector: String, _ answers: [String: String], secretFields: [String]) -> (arguments: [String], environment: [String: String]) {
        var arguments = ["new", connector, "--name", answers["name"] ?? connector, "--yes", "--sandbox"]
        var environment: [String: String] = [:]
        for (key, value) in answers.sorted(by: { $0.key < $1.key }) where key != "name" {
            guard secretFields.contains(key) else {
                arguments += ["--set", "\(key)=\(value)"]
                continue
            }
            let variable = "S_" + key.replacingOccurrences(of: ".", with: "_")
            environment[variable] = value
            arguments += ["--secret", "\(key)=env:\(variable)"]
        }
        return (arguments, environment)
    }

    /// Each failure a built-in file declares, and a wrong secret for each, is quoted from the
    /// service's body (or header) with the file's hint.
    static func eachFailureAndAWrongSecret(_ entry: Entry, connwiz: BinaryRunner, home: TemporaryFolder, _ record: EveryApplicationTests.Record) async throws {
        var tried = 0
        for (index, failure) in entry.failures.enumerated() {
            var answers = failure.answers
            answers["name"] = "\(entry.connector) failure \(index)"
            let file = home.write("f-\(entry.connector)-\(index).json", String(decoding: try JSONSerialization.data(withJSONObject: answers), as: UTF8.self))
            guard failure.needsSignIn, let user = failure.signIn else {
                let run = try connwiz.run(["new", entry.connector, "--answers", file, "--yes", "--test", "--sandbox"])
                record.outputs.append(run.output)
                Self.expectQuotedWithHint(run, status: failure.status, "\(entry.connector) \(failure.respond)")
                tried += 1
                continue
            }
            // Signed in, the test after the sign-in fails; testing again says the same.
            let saved = try connwiz.run(["new", entry.connector, "--answers", file, "--yes", "--sandbox"])
            #expect(saved.status == 0, "\(entry.connector): \(saved)")
            let signIn = try await Self.authorize(answers["name"]!, home: home.path, as: user)
            #expect(signIn.status == 1 && signIn.printed.contains("“"), "\(entry.connector) \(failure.respond): \(signIn.printed)")
            record.outputs.append(signIn.printed)
            let run = try connwiz.run(["test", answers["name"]!, "--sandbox"])
            record.outputs.append(run.output)
            Self.expectQuotedWithHint(run, status: failure.status, "\(entry.connector) \(failure.respond) after signing in")
            tried += 1
        }
        var wrong = entry.answers
        wrong["name"] = "\(entry.connector) wrong secret"
        for field in entry.secretFields where wrong[field] != nil { wrong[field] = Self.altered(wrong[field]!) }
        if !entry.secretFields.contains(where: { wrong[$0] != nil }) {
            // The secret is a private key in a file: another key, freshly made, is the wrong one.
            for (field, value) in wrong where value.hasPrefix("/") && FileManager.default.fileExists(atPath: value) {
                let other = home.path + "/other-key-\(entry.connector).pem"
                let made = try Self.shell("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out '\(other)' 2>/dev/null")
                #expect(made == 0)
                wrong[field] = other
            }
        }
        let (arguments, environment) = Self.flags(creating: entry.connector, wrong, secretFields: entry.secretFields)
        if entry.needsSignIn, let user = entry.signIn {
            // A wrong client secret lets the sign-in page through, and the token endpoint refuses it.
            let saved = try connwiz.run(arguments, environment: environment)
            #expect(saved.status == 0, "\(entry.connector): \(saved)")
            let signIn = try await Self.authorize(wrong["name"]!, home: home.path, as: user)
            record.outputs.append(signIn.printed)
            #expect(signIn.status == 1 && signIn.printed.contains("invalid_client"), "\(entry.connector) with a wrong secret: \(signIn.printed)")
            tried += 1
        } else {
            let run = try connwiz.run(arguments + ["--test"], environment: environment)
            record.outputs.append(run.output)
            // A wrong secret is refused at the token endpoint (400 or 401, or Zoho's error in a 200) or by the API (401, 403).
            Self.expectQuotedWithHint(run, status: 401, or: [400, 403, 200], "\(entry.connector) with a wrong secret")
            tried += 1
        }
        record.secrets += entry.secretFields.compactMap { wrong[$0] }
        #expect(tried == entry.failures.count + 1)
    }

    /// Mailchimp's 429 carries its Retry-After into --json; a key for another data centre is
    /// refused there, with the hint that says so.
    @Test func aBusyAccountAndAnotherDataCentre() throws {
        let connwiz = BinaryRunner(home: TemporaryFolder().path)
        let busy = try connwiz.run(["new", "mailchimp", "--name", "MC busy json", "--secret", "apiKey=env:BUSY", "--yes", "--test", "--sandbox", "--json"],
                                   environment: ["BUSY": "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a-us6"])
        #expect(busy.stdout.contains("\"retryAfter\" : 10"), "\(busy.stdout)")
        let elsewhere = try connwiz.run(["new", "mailchimp", "--name", "MC us9", "--secret", "apiKey=env:K", "--yes", "--test", "--sandbox"],
                                        environment: ["K": "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f-us9"])
        #expect(elsewhere.stdout.contains("the wrong datacenter"), "a key for another data centre: \(elsewhere)")
    }

    /// `connwiz connectors --category` lists one category, in any case, and names the
    /// categories there are when none matches.
    @Test func connectorsListsOneCategory() throws {
        let connwiz = BinaryRunner(home: TemporaryFolder().path)
        let erp = try connwiz.run(["connectors", "--category", "erp"])
        #expect(erp.status == 0)
        let ids = erp.stdout.split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(Set(ids) == ["certinia", "business-central", "netsuite"], "\(erp.stdout)")
        let json = try connwiz.run(["connectors", "--category", "E-commerce", "--json"])
        #expect(json.stdout.contains("\"shopify\"") && !json.stdout.contains("\"netsuite\""), "\(json.stdout)")
        let none = try connwiz.run(["connectors", "--category", "Astrology"])
        #expect(none.status == 2 && none.stderr.contains("no application has the category “Astrology”; categories: ") && none.stderr.contains("E-commerce"), "\(none)")
    }

    /// A third party's file, placed in <home>/connectors, stands in with no code change.
    @Test func aUsersOwnFileWithAStandInWorksUnderTheSandbox() throws {
        let home = TemporaryFolder()
        home.write("connectors/acme-helpdesk.yaml", """
        version: 1
        id: acme-helpdesk
        title: Acme Helpdesk
        category: Customer service
        fields:
          - {id: name, label: Name, kind: text, required: true}
          - {id: subdomain, label: Subdomain, kind: text, required: true, normalize: [{extract: '^(?:https?://)?([a-z0-9-]+)\\.acmedesk\\.example'}]}
          - {id: apiKey, label: API key, kind: secret, required: true}
        http:
          baseURI: "https://{{subdomain}}.acmedesk.example/api/v2"
          auth: {type: header, headerName: X-Acme-Key, scheme: none, value: "{{apiKey}}"}
          tests:
            - path: /me
              errorPath: error.message
              explain:
                401: Copy the key again from Admin › API.
                404: No Acme desk has this subdomain.
        standIn:
          accounts:
            - {name: Support desk, answers: {subdomain: support, apiKey: acme-sbx-key-11aa22bb}}
          responses:
            ok: {status: 200, body: {id: 7, email: agent@support.example}}
            unauthorized: {status: 401, body: {error: {code: invalid_key, message: The API key is not valid for this desk.}}}
            notFound: {status: 404, body: {error: {code: no_desk, message: There is no desk at this address.}}}
        """)
        let connwiz = BinaryRunner(home: home.path, extra: ["KEY": "acme-sbx-key-11aa22bb", "WRONG": "acme-wrong-key-99"])
        let lint = try connwiz.run(["schema", "lint", home.file("connectors/acme-helpdesk.yaml")])
        #expect(lint.status == 0, "\(lint)")
        let listed = try Self.accounts(connwiz)
        #expect(listed.contains { $0.connector == "acme-helpdesk" && $0.answers["subdomain"] == "support" })
        let good = try connwiz.run(["new", "acme-helpdesk", "--name", "Desk", "--set", "subdomain=https://support.acmedesk.example/agent",
                                    "--secret", "apiKey=env:KEY", "--yes", "--test", "--sandbox"])
        #expect(good.status == 0 && good.stdout.contains("Test succeeded: 200"), "\(good)")
        let wrong = try connwiz.run(["new", "acme-helpdesk", "--name", "Desk 2", "--set", "subdomain=support", "--secret", "apiKey=env:WRONG",
                                     "--yes", "--test", "--sandbox"])
        #expect(wrong.stdout.contains("401") && wrong.stdout.contains("The API key is not valid for this desk.")
                && wrong.stdout.contains("Copy the key again from Admin › API."), "\(wrong)")
        let elsewhere = try connwiz.run(["new", "acme-helpdesk", "--name", "Desk 3", "--set", "subdomain=sales", "--secret", "apiKey=env:KEY",
                                         "--yes", "--test", "--sandbox"])
        #expect(elsewhere.stdout.contains("404") && elsewhere.stdout.contains("There is no desk at this address.")
                && elsewhere.stdout.contains("No Acme desk has this subdomain."), "\(elsewhere)")
        let leaks = SecretForms.leaks(of: ["acme-wrong-key-99"], in: [good.output, wrong.output, elsewhere.output], home: home)
        #expect(leaks.isEmpty, "\(leaks)")
        #expect(home.filesContaining("acme-sbx-key-11aa22bb").allSatisfy { $0.hasSuffix("acme-helpdesk.yaml") })
    }
}
