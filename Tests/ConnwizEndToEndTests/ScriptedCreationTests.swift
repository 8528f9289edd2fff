import Foundation
import Testing
import TestSupport

/// Secrets used below; every output and every file under the home folder is searched for them.
let secrets = ["io-TOKEN-0001", "celonis-APPKEY-0002", "celonis-APIKEY-0003", "celonis-CLIENTSECRET-0004",
               "sf-CONSUMERSECRET-0005", "http-TOKEN-0006", "celonis-APPKEY-0007", "celonis-APIKEY-0008"]

func expectNoSecrets(in outputs: [String], home: TemporaryFolder, sourceLocation: SourceLocation = #_sourceLocation) {
    for secret in secrets {
        for output in outputs where output.contains(secret) {
            Issue.record("secret \(secret) appeared in output:\n\(output)", sourceLocation: sourceLocation)
        }
        let files = home.filesContaining(secret)
        #expect(files.isEmpty, "secret \(secret) found in \(files)", sourceLocation: sourceLocation)
    }
}

@Suite("Scripted runs of the real binary", .serialized, .oneAtATime)
struct ScriptedCreationTests {
    @Test func everyBuiltinConnectorAndCelonisCombination() throws {
        let home = TemporaryFolder()
        let keyFolder = TemporaryFolder()
        keyFolder.write("apikey", "celonis-APIKEY-0003\n")
        let connwiz = BinaryRunner(home: home.path, extra: [
            "IO_TOKEN": "io-TOKEN-0001", "CELONIS_APPKEY": "celonis-APPKEY-0002", "SF_SECRET": "sf-CONSUMERSECRET-0005",
            "HTTP_TOKEN": "http-TOKEN-0006", "PUSH_APPKEY": "celonis-APPKEY-0007", "PUSH_APIKEY": "celonis-APIKEY-0008",
        ])
        var outputs: [String] = []
        func create(_ arguments: [String], input: String = "") throws {
            let run = try connwiz.run(["new"] + arguments + ["--yes"], input: input)
            outputs.append(run.output)
            #expect(run.status == 0, "\(arguments)\n\(run)")
            #expect(run.stdout.contains("Saved connection"), "\(run)")
        }
        try create(["celigo-integrator-io", "--name", "IO EU", "--set", "region=europe", "--secret", "token=env:IO_TOKEN"])
        try create(["celonis", "--name", "Celonis app key", "--set", "apiType=intelligence", "--set", "domain=https://acme.eu-1.celonis.cloud/home",
                    "--set", "authType=custom", "--secret", "appKey=env:CELONIS_APPKEY"])
        try create(["celonis", "--name", "Celonis user key", "--set", "apiType=intelligence", "--set", "domain=acme.eu-1",
                    "--set", "authType=token", "--secret", "apiKey=file:\(keyFolder.file("apikey"))"])
        try create(["celonis", "--name", "Celonis OAuth", "--set", "apiType=intelligence", "--set", "domain=acme.eu-1",
                    "--set", "authType=oauth2", "--set", "oauth2Client.clientId=sbx-celonis-client",
                    "--secret", "oauth2Client.clientSecret=stdin", "--set", "validDomains=acme.eu-1.celonis.cloud",
                    "--set", "scopes=studio,integration.data-pools"], input: "celonis-CLIENTSECRET-0004\n")
        try create(["celonis", "--name", "Celonis push app key", "--set", "apiType=data-push", "--set", "domain=acme.eu-1",
                    "--set", "authType=custom", "--set", "poolId=https://acme.eu-1.celonis.cloud/data-pool/pool-abc123",
                    "--secret", "appKey=env:PUSH_APPKEY"])
        try create(["celonis", "--name", "Celonis push user key", "--set", "apiType=data-push", "--set", "domain=acme.eu-1",
                    "--set", "authType=token", "--set", "poolId=pool-abc123", "--secret", "apiKey=env:PUSH_APIKEY"])
        try create(["certinia", "--name", "Certinia prod", "--set", "accountType=production", "--set", "consumerKey=sbx-sf-client",
                    "--secret", "consumerSecret=env:SF_SECRET"])
        // The key file is checked when it is given: it must hold an RSA key.
        let keyFile = home.file("sf.pem")
        #expect(try Subprocess.run(["openssl", "genrsa", "-out", keyFile, "2048"]).status == 0)
        try create(["certinia", "--name", "Certinia JWT", "--set", "accountType=production", "--set", "oauthFlow=jwt-bearer",
                    "--set", "consumerKey=sbx-sf-client", "--set", "username=operator@example.com",
                    "--set", "privateKeyFile=\(keyFile)", "--set", "borrowConcurrencyFrom=Certinia prod", "--set", "concurrencyLevel=20"])
        try create(["http-token", "--name", "Billing API", "--set", "baseUri=https://api.example.com/v1", "--secret", "token=env:HTTP_TOKEN",
                    "--set", "pingPath=/me", "--set", "scheme=None", "--set", "headerName=X-Api-Key"])

        let list = try connwiz.run(["list", "--json"])
        outputs.append(list.output)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])
        #expect(document["version"] as? Int == 1)
        let rows = try #require(document["connections"] as? [[String: Any]])
        #expect(rows.count == 9)
        #expect(Set(rows.compactMap { $0["connector"] as? String }) == ["celigo-integrator-io", "celonis", "certinia", "http-token"])

        let table = try connwiz.run(["list"])
        outputs.append(table.output)
        #expect(table.stdout.contains("Celonis push app key"))
        #expect(table.stdout.contains("not tested"))

        for row in rows {
            let name = try #require(row["name"] as? String)
            let show = try connwiz.run(["show", name])
            let showJSON = try connwiz.run(["show", name, "--json"])
            let export = try connwiz.run(["export", name])
            outputs += [show.output, showJSON.output, export.output]
            #expect(show.status == 0, "\(show)")
            #expect(showJSON.status == 0, "\(showJSON)")
            #expect(export.status == 0, "\(export)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
            #expect(document["type"] as? String == "http")
            #expect(document["name"] as? String == name)
        }

        let push = try connwiz.run(["show", "celonis push app key"])
        #expect(push.stdout.contains("Pool ID"))
        #expect(push.stdout.contains("pool-abc123"))
        #expect(push.stdout.contains("App key"))
        #expect(push.stdout.contains("•••••• (encrypted)"))
        let oauth = try connwiz.run(["export", "Celonis OAuth"])
        #expect(oauth.stdout.contains("\"clientSecret\" : \"******\""))
        #expect(oauth.stdout.contains("https://acme.eu-1.celonis.cloud/oauth2/token"))
        let sandbox = try connwiz.run(["show", "Certinia JWT"])
        #expect(sandbox.stdout.contains("Borrow concurrency from"))
        #expect(sandbox.stdout.contains("Certinia prod"))
        let appKeyExport = try connwiz.run(["export", "Celonis app key"])
        #expect(appKeyExport.stdout.contains("\"scheme\" : \"AppKey\""))
        #expect(appKeyExport.stdout.contains("https://acme.eu-1.celonis.cloud"))
        outputs += [push.output, oauth.output, sandbox.output, appKeyExport.output]

        expectNoSecrets(in: outputs, home: home)

        for row in rows {
            let delete = try connwiz.run(["delete", row["name"] as! String, "--yes"])
            outputs.append(delete.output)
            #expect(delete.status == 0, "\(delete)")
        }
        let empty = try connwiz.run(["list"])
        #expect(empty.stdout.contains("No connections yet"))
        expectNoSecrets(in: outputs, home: home)
    }

    @Test func missingAndInvalidAnswersListEveryProblemAndExit2() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path)
        let run = try connwiz.run(["new", "celonis", "--set", "apiType=data-push", "--set", "domain=acme", "--set", "authType=oauth2", "--yes"])
        #expect(run.status == 2, "\(run)")
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("nothing was saved") == true)
        #expect(lines.contains { $0.hasPrefix("  domain: ") && $0.contains("team and realm") })
        #expect(lines.contains { $0.hasPrefix("  authType: ") && $0.contains("custom, token") })
        #expect(lines.contains { $0.hasPrefix("  name: ") })
        #expect(lines.contains { $0.hasPrefix("  poolId: ") })
        #expect(!FileManager.default.fileExists(atPath: home.file("connections.json")))
    }

    @Test func secretsAreRefusedOnTheCommandLine() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path)
        let set = try connwiz.run(["new", "celigo-integrator-io", "--name", "X", "--set", "region=europe", "--set", "token=io-TOKEN-0001", "--yes"])
        #expect(set.status == 2)
        #expect(set.stderr.contains("--secret token=env:VAR"))
        let literal = try connwiz.run(["new", "celigo-integrator-io", "--name", "X", "--set", "region=europe", "--secret", "token=io-TOKEN-0001", "--yes"])
        #expect(literal.status == 2)
        #expect(literal.stderr.contains("env:VAR, file:PATH or stdin"))
        let unset = try connwiz.run(["new", "celigo-integrator-io", "--name", "X", "--set", "region=europe", "--secret", "token=env:NOPE", "--yes"])
        #expect(unset.status == 2)
        #expect(unset.stderr.contains("NOPE is not set"))
        expectNoSecrets(in: [set.output, literal.output, unset.output], home: home)
    }

    @Test func usageErrorsExit2() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path)
        let unknown = try connwiz.run(["new", "oracle-fusion", "--yes"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown connector “oracle-fusion”; choose one of: " + Fixtures.builtinConnectorIDs.joined(separator: ", ")))
        let badField = try connwiz.run(["new", "celonis", "--set", "pool=x", "--yes"])
        #expect(badField.status == 2)
        #expect(badField.stderr.contains("celonis has no field “pool”"))
        let typoWithPrompts = try connwiz.run(["new", "celonis", "--set", "Domain=acme.eu-1"], input: "")
        #expect(typoWithPrompts.status == 2)
        #expect(typoWithPrompts.stderr.contains("did you mean domain"))
        let noName = try connwiz.run(["show", "nothing"])
        #expect(noName.status == 2)
        #expect(noName.stderr.contains("no connection is named “nothing”"))
        let badFlag = try connwiz.run(["list", "--bogus"])
        #expect(badFlag.status == 2)
        let noTTY = try connwiz.run(["new", "--name", "x", "--yes"])
        #expect(noTTY.status == 2)
        #expect(noTTY.stderr.contains("name the connector"))
    }

    @Test func editRequiresSecretsAgainAndCanRename() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path, extra: ["IO_TOKEN": "io-TOKEN-0001"])
        _ = try connwiz.run(["new", "celigo-integrator-io", "--name", "IO", "--set", "region=europe", "--secret", "token=env:IO_TOKEN", "--yes"])
        let before = try connwiz.run(["show", "IO", "--json"])
        let missing = try connwiz.run(["edit", "IO", "--name", "IO Europe", "--yes"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("token: Token must be entered again"))
        let ok = try connwiz.run(["edit", "IO", "--name", "IO Europe", "--secret", "token=env:IO_TOKEN", "--yes"])
        #expect(ok.status == 0, "\(ok)")
        #expect(ok.stdout.contains("Updated connection “IO Europe”"))
        let after = try connwiz.run(["show", "io europe", "--json"])
        let a = try #require(try JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as? [String: Any])
        let b = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])
        #expect(a["id"] as? String == b["id"] as? String)
        #expect((b["values"] as? [String: Any])?["region"] as? String == "europe")
        #expect((b["secretsReadable"] as? [String: Bool]) == ["token": true])
        expectNoSecrets(in: [before.output, missing.output, ok.output, after.output], home: home)
    }

    @Test func answersFile() throws {
        let home = TemporaryFolder()
        let files = TemporaryFolder()
        let path = files.write("answers.yaml", """
            name: From file
            apiType: intelligence
            domain: acme.eu-1
            authType: oauth2
            oauth2Client:
              clientId: sbx-celonis-client
              clientSecret: env:CLIENT_SECRET
            validDomains: acme.eu-1.celonis.cloud
            scopes: [studio, integration.data-pools]
            """)
        let connwiz = BinaryRunner(home: home.path, extra: ["CLIENT_SECRET": "celonis-CLIENTSECRET-0004"])
        let run = try connwiz.run(["new", "celonis", "--answers", path, "--yes"])
        #expect(run.status == 0, "\(run)")
        let literal = files.write("literal.yaml", "name: L\nregion: europe\ntoken: io-TOKEN-0001\n")
        let refused = try connwiz.run(["new", "celigo-integrator-io", "--answers", literal, "--yes"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("token"))
        expectNoSecrets(in: [run.output, refused.output], home: home)
    }

    @Test func bareConnwizListsAndNamesTheCommands() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path, extra: ["IO_TOKEN": "io-TOKEN-0001"])
        let empty = try connwiz.run([])
        #expect(empty.status == 0, "\(empty)")
        #expect(empty.stdout.contains("No connections yet. Create one with: connwiz new"))
        #expect(empty.stdout.contains("Commands: connwiz new"))
        _ = try connwiz.run(["new", "celigo-integrator-io", "--name", "IO", "--set", "region=europe", "--secret", "token=env:IO_TOKEN", "--yes"])
        let one = try connwiz.run(["--home", home.path])
        #expect(one.status == 0, "\(one)")
        #expect(one.stdout.contains("IO    Celigo integrator.io  not tested"))
    }

    @Test func deleteAsksOrNeedsYes() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path, extra: ["IO_TOKEN": "io-TOKEN-0001"])
        _ = try connwiz.run(["new", "celigo-integrator-io", "--name", "IO", "--set", "region=europe", "--secret", "token=env:IO_TOKEN", "--yes"])
        let refused = try connwiz.run(["delete", "IO"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("without --yes"))
        #expect(try connwiz.run(["list", "--json"]).stdout.contains("\"IO\""))
        let deleted = try connwiz.run(["delete", "io", "--yes"])
        #expect(deleted.status == 0)
        #expect(deleted.stdout.contains("Deleted connection “IO”"))
    }
}
