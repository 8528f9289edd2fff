import Foundation
import Sandbox
import Testing
import TestSupport

/// Issue 24: the integrator.io account as the team's shared store. One operator pushes; a
/// second pulls into another home (secrets entered again), tests, edits, compares and pushes
/// back into the same `_id`; a third imports an exported file. Every command goes to one
/// sandbox process, and every output and file is searched for every secret.
@Suite("remote pull, remote diff and import, against the sandbox's integrator.io", .serialized, .oneAtATime)
struct RemoteAccountTests {
    let ordersToken = "orders-token-3b8e1f0a7c5d9e2f"
    let ioToken = "sbx-io-eu-token"
    var netsuiteSecrets: [String: String] {
        ["consumerKey": SandboxAccounts.netsuiteConsumerKey, "consumerSecret": SandboxAccounts.netsuiteConsumerSecret,
         "tokenId": SandboxAccounts.netsuiteTokenID, "tokenSecret": SandboxAccounts.netsuiteTokenSecret]
    }
    var secrets: [String] { [ordersToken, ioToken] + netsuiteSecrets.values.sorted() }

    /// Every form of `secret` a leak could take: itself, base64, hex and a 12-character prefix.
    func forms(_ secret: String) -> [String] {
        [secret, String(secret.prefix(12)), Data(secret.utf8).base64EncodedString(),
         secret.utf8.map { String(format: "%02x", $0) }.joined()]
    }

    /// A home with the account's connection, its runner reaching the sandbox at `base`.
    final class Operator {
        let home = TemporaryFolder()
        let runner: BinaryRunner
        let base: String
        var outputs: [String] = []

        init(base: String, secrets: [String: String]) throws {
            self.base = base
            runner = BinaryRunner(home: home.path, extra: secrets)
            let account = try run(["new", "celigo-integrator-io", "--name", "IO EU", "--set", "region=europe", "--secret", "token=env:IO"])
            #expect(account.status == 0, "\(account)")
        }

        @discardableResult
        func run(_ arguments: [String], yes: Bool = true) throws -> BinaryRunner.Run {
            let result = try runner.run(arguments + (yes ? ["--yes"] : []) + ["--sandbox-url", base])
            outputs.append(result.output)
            return result
        }

        @discardableResult
        func plain(_ arguments: [String]) throws -> BinaryRunner.Run {
            let result = try runner.run(arguments)
            outputs.append(result.output)
            return result
        }
    }

    func startSandbox(home: TemporaryFolder) throws -> (Subprocess.Background, String) {
        let (sandbox, url) = try BinaryRunner.startSandbox(home: home.path)
        return (sandbox, try #require(url, "the sandbox did not say where it listens: \(sandbox.output)"))
    }

    @Test func aConnectionGoesRoundTheTeamThroughTheAccount() throws {
        let sandboxHome = TemporaryFolder()
        let (sandbox, base) = try startSandbox(home: sandboxHome)
        defer { sandbox.stop() }
        var environment = ["IO": ioToken, "OT": ordersToken]
        for (field, value) in netsuiteSecrets { environment[field.uppercased()] = value }
        let netsuiteFlags = netsuiteSecrets.keys.sorted().flatMap { ["--secret", "\($0)=env:\($0.uppercased())"] }

        // The first operator makes two connections and pushes them.
        let first = try Operator(base: base, secrets: environment)
        #expect(try first.run(["new", "http-token", "--name", "Orders API", "--set", "baseUri=\(base)/_faults", "--set", "pingPath=/bytes/16",
                               "--secret", "token=env:OT"]).status == 0)
        #expect(try first.run(["new", "netsuite", "--name", "NetSuite SB", "--set", "accountId=\(SandboxAccounts.netsuiteAccount)"] + netsuiteFlags).status == 0)
        for name in ["Orders API", "NetSuite SB"] {
            let pushed = try first.run(["push", name, "--account", "IO EU"], yes: false)
            #expect(pushed.status == 0 && pushed.stdout.contains("Created “\(name)”"), "\(pushed)")
        }

        // The second sees them in the account, linked to nothing here.
        let second = try Operator(base: base, secrets: environment)
        let listed = try second.run(["remote", "list", "--account", "IO EU"], yes: false)
        #expect(listed.status == 0, "\(listed)")
        #expect(listed.stdout.split(separator: "\n").filter { $0.contains("NetSuite SB") || $0.contains("Orders API") }
            .allSatisfy { $0.hasSuffix("–") }, "\(listed.stdout)")

        // Pulled with nothing more, only the secrets are missing.
        let bare = try second.run(["remote", "pull", "NetSuite SB", "--account", "IO EU"])
        #expect(bare.status == 2, "\(bare)")
        for field in netsuiteSecrets.keys { #expect(bare.stderr.contains("  \(field):"), "\(field) should be asked: \(bare)") }
        #expect(!bare.stderr.contains("accountId:") && !bare.stderr.contains("  name:"), "\(bare)")
        #expect(try second.plain(["list"]).stdout.contains("NetSuite SB") == false, "a refused pull saved nothing")

        let pulled = try second.run(["remote", "pull", "NetSuite SB", "--account", "IO EU"] + netsuiteFlags)
        #expect(pulled.status == 0 && pulled.stdout.contains("Saved connection “NetSuite SB”"), "\(pulled)")
        let remoteID = try #require(listed.stdout.split(separator: "\n").first { $0.contains("NetSuite SB") }?
            .split(separator: " ").first { $0.count == 24 }.map(String.init), "\(listed.stdout)")
        #expect(try second.plain(["show", "NetSuite SB"]).stdout.contains("IO EU as \(remoteID)"))
        #expect(try second.run(["remote", "list", "--account", "IO EU"], yes: false).stdout.contains("NetSuite SB (same)"))

        // It works here, is edited, differs, and the push updates the same _id.
        let tested = try second.run(["test", "NetSuite SB"], yes: false)
        #expect(tested.status == 0 && tested.stdout.contains("Test succeeded"), "\(tested)")
        #expect(try second.run(["edit", "NetSuite SB", "--name", "NetSuite Sandbox"] + netsuiteFlags).status == 0)
        let differs = try second.run(["remote", "diff", "NetSuite Sandbox", "--account", "IO EU"], yes: false)
        #expect(differs.status == 1, "\(differs)")
        #expect(differs.stdout.contains("\"NetSuite Sandbox\"") && differs.stdout.contains("\"NetSuite SB\""), "\(differs)")
        #expect(try second.run(["remote", "list", "--account", "IO EU"], yes: false).stdout.contains("NetSuite Sandbox (differs)"))
        let pushed = try second.run(["push", "NetSuite Sandbox", "--account", "IO EU"], yes: false)
        #expect(pushed.status == 0 && pushed.stdout.contains("Updated “NetSuite Sandbox” in IO EU as \(remoteID)"), "\(pushed)")
        let same = try second.run(["remote", "diff", "NetSuite Sandbox", "--account", "IO EU", "--json"], yes: false)
        #expect(same.status == 0 && same.stdout.contains("\"same\" : true"), "\(same)")
        let after = try second.run(["remote", "list", "--account", "IO EU", "--json"], yes: false)
        #expect(after.stdout.components(separatedBy: remoteID).count - 1 == 1 && after.stdout.contains("\"NetSuite Sandbox\""),
                "one connection under that _id, renamed: \(after.stdout)")
        #expect(!after.stdout.contains("NetSuite SB\""), "renamed in the account: \(after.stdout)")

        // The first operator's copy now differs; diff names the field, never a secret.
        let theirs = try first.run(["remote", "diff", "NetSuite SB", "--account", "IO EU"], yes: false)
        #expect(theirs.status == 1 && theirs.stdout.contains("name"), "\(theirs)")

        // A linked connection whose secret cannot be opened here is listed, but not compared.
        let storePath = first.home.file("connections.json")
        let original = try Data(contentsOf: URL(fileURLWithPath: storePath))
        var stored = try #require(try JSONSerialization.jsonObject(with: original) as? [String: Any])
        var connections = try #require(stored["connections"] as? [[String: Any]])
        let orders = try #require(connections.firstIndex { $0["name"] as? String == "Orders API" })
        var sealed = try #require(connections[orders]["secrets"] as? [String: String])
        sealed["token"] = String(sealed["token"]!.reversed())
        connections[orders]["secrets"] = sealed
        stored["connections"] = connections
        try JSONSerialization.data(withJSONObject: stored).write(to: URL(fileURLWithPath: storePath))
        let uncompared = try first.run(["remote", "list", "--account", "IO EU"], yes: false)
        #expect(uncompared.stdout.contains("Orders API (not compared)"), "\(uncompared)")
        try original.write(to: URL(fileURLWithPath: storePath))
        #expect(try first.run(["remote", "list", "--account", "IO EU"], yes: false).stdout.contains("Orders API (same)"))

        // A third imports the first's export, enters the token, and the test passes.
        let exported = first.home.path + "/orders.json"
        #expect(try first.plain(["export", "Orders API", "-o", exported]).status == 0)
        let third = try Operator(base: base, secrets: environment)
        let imported = try third.run(["import", exported, "--secret", "token=env:OT", "--test"])
        #expect(imported.status == 0 && imported.stdout.contains("Saved connection “Orders API”"), "\(imported)")
        #expect(imported.stdout.contains("Test succeeded"), "\(imported)")

        for secret in secrets {
            for form in forms(secret) {
                for (who, person) in [("first", first), ("second", second), ("third", third)] {
                    #expect(!person.outputs.contains { $0.contains(form) }, "\(who)'s output holds a form of a secret")
                    #expect(person.home.filesContaining(form).isEmpty, "\(who)'s files: \(person.home.filesContaining(form))")
                }
            }
        }
        let document = try String(contentsOfFile: exported, encoding: .utf8)
        #expect(document.contains("******") && !document.contains(ordersToken))
    }

    /// The full-screen panel opens on the pulled connection at its secret, every other answer
    /// filled in, and goes to the review once the secret is typed.
    @Test func thePanelAsksOnlyForThePulledConnectionsSecrets() throws {
        let sandboxHome = TemporaryFolder()
        let (sandbox, base) = try startSandbox(home: sandboxHome)
        defer { sandbox.stop() }
        let first = try Operator(base: base, secrets: ["IO": ioToken, "OT": ordersToken])
        #expect(try first.run(["new", "http-token", "--name", "Orders API", "--set", "baseUri=\(base)/_faults", "--set", "pingPath=/bytes/16",
                               "--secret", "token=env:OT"]).status == 0)
        #expect(try first.run(["push", "Orders API", "--account", "IO EU"], yes: false).status == 0)

        let desk = try FullScreenTests.Desk()
        let account = try BinaryRunner(home: desk.home.path, extra: ["IO": ioToken])
            .run(["new", "celigo-integrator-io", "--name", "IO EU", "--set", "region=europe", "--secret", "token=env:IO", "--yes"])
        #expect(account.status == 0, "\(account)")
        try desk.start("remote pull 'Orders API' --account 'IO EU' --sandbox-url \(base)")
        let asked = try desk.wait("Token")
        // The outline ticks every answer but the token, which is the field open.
        for done in ["✓ Name your connection", "✓ Base URI", "✓ Test path", "› Token"] {
            #expect(asked.contains(done), "\(done):\n\(asked)")
        }
        try desk.type(ordersToken)
        try desk.press("Enter")
        let review = try desk.wait("/bytes/16")
        #expect(review.contains("••••••") && review.contains("\(base)/_faults") && review.contains("Orders API"), "\(review)")
        try desk.press("s")
        #expect(try desk.exitStatus() == 0)
        let shown = try BinaryRunner(home: desk.home.path).run(["show", "Orders API"])
        #expect(shown.stdout.contains("In account") && shown.stdout.contains("IO EU as "), "\(shown)")
        for form in forms(ordersToken) { try desk.expectNowhere(form) }
    }

    /// A file that is not a connection document gets its position or its fault, and nothing is saved.
    @Test func importRefusesWhatIsNotADocument() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path)
        let cases: [(String, String, String)] = [
            ("bad.json", "{\n  \"name\": \"A\",\n  \"http\": x\n}", "bad.json:3:11: not JSON"),
            ("list.json", "[1, 2]", "list.json:1:1: not a connection document"),
            ("web.json", #"{"name": "Made on the web", "type": "http"}"#, "was not made by connwiz"),
            ("odd.json", #"{"name": "A", "_connwiz": {"connector": "no-such-app", "answers": {}}}"#, "no-such-app"),
            ("big.json", String(repeating: " ", count: 1_100_000) + "{}", "larger than 1 MB"),
        ]
        for (name, text, expected) in cases {
            let path = home.write(name, text)
            let run = try connwiz.run(["import", path, "--yes"])
            #expect(run.status != 0 && run.stderr.contains(expected), "\(name): \(run)")
        }
        let missing = try connwiz.run(["import", home.path + "/nowhere.json"])
        #expect(missing.status == 1 && missing.stderr.contains("cannot be read"), "\(missing)")
        let listed = try connwiz.run(["list", "--json"])
        #expect(!listed.stdout.contains("\"name\""), "nothing was saved: \(listed)")
    }
}
