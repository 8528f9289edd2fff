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
    }

    static func accounts(_ connwiz: BinaryRunner) throws -> [Entry] {
        let run = try connwiz.run(["sandbox", "accounts", "--json"])
        struct Listing: Decodable { var version: Int; var accounts: [Entry] }
        let listing = try JSONDecoder().decode(Listing.self, from: Data(run.stdout.utf8))
        #expect(listing.version == 1)
        return listing.accounts
    }

    @Test func everyListedAccountSucceedsUnderTheSandbox() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path)
        let entries = try Self.accounts(connwiz)
        #expect(Set(entries.map(\.connector)).isSuperset(of: ["celigo-integrator-io", "celonis", "certinia", "netsuite", "mailchimp"]))
        var outputs: [String] = []
        var secrets: [String] = []
        for entry in entries {
            #expect(!entry.answers.isEmpty && entry.answers["name"] != nil, "\(entry.connector)")
            secrets += entry.secretFields.compactMap { entry.answers[$0] }
            let file = home.write("\(entry.connector).json", String(decoding: try JSONSerialization.data(withJSONObject: entry.answers), as: UTF8.self))
            if entry.needsSignIn {
                let saved = try connwiz.run(["new", entry.connector, "--answers", file, "--yes", "--sandbox"])
                #expect(saved.status == 0, "\(entry.connector): \(saved)")
                outputs.append(saved.output)
                continue
            }
            let run = try connwiz.run(["new", entry.connector, "--answers", file, "--yes", "--test", "--sandbox"])
            outputs.append(run.output)
            #expect(run.status == 0 && run.stdout.contains("Test succeeded"), "\(entry.connector): \(run)")
            for command in [["show", entry.name, "--http"], ["export", entry.name], ["log", entry.name], ["log", entry.name, "--har", "-"]] {
                let shown = try connwiz.run(command)
                #expect(shown.status == 0, "\(command): \(shown)")
                outputs.append(shown.output)
            }
        }
        let leaks = SecretForms.leaks(of: secrets.filter { $0.count >= 8 }, in: outputs, home: home)
            .filter { !$0.contains(".json") }   // the answers files written above hold them on purpose
        #expect(leaks.isEmpty, "\(leaks.prefix(5).joined(separator: "\n"))")
    }

    /// Each failure a built-in file declares is quoted from its body, with the file's hint.
    @Test func eachDeclaredFailureIsQuotedWithItsHint() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path, extra: ["BAD": "00000000000000000000000000000000-us6", "OTHER": "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f-us9",
                                                             "OFF": "9f8e7d6c5b4a39281706f5e4d3c2b1a0-us6", "BUSY": "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a-us6"])
        let cases = [("BAD", "401", "Your API key may be invalid", "Copy it again from Profile"),
                     ("OTHER", "401", "the wrong datacenter", "belongs to another data centre"),
                     ("OFF", "403", "This account has been disabled.", "Mailchimp refused the account itself"),
                     ("BUSY", "429", "You have exceeded the limit of 10 simultaneous connections.", "lower the concurrency level")]
        for (variable, status, quoted, hint) in cases {
            let run = try connwiz.run(["new", "mailchimp", "--name", "MC \(variable)", "--secret", "apiKey=env:\(variable)", "--yes", "--test", "--sandbox"])
            #expect(run.status == 1, "\(variable): \(run)")
            #expect(run.stdout.contains(status) && run.stdout.contains(quoted) && run.stdout.contains(hint), "\(variable): \(run.stdout)")
        }
        let busy = try connwiz.run(["new", "mailchimp", "--name", "MC busy json", "--secret", "apiKey=env:BUSY", "--yes", "--test", "--sandbox", "--json"])
        #expect(busy.stdout.contains("\"retryAfter\" : 10"), "\(busy.stdout)")
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
