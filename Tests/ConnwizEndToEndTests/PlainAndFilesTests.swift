import Foundation
import Testing
import TestSupport

@Suite("Plain prompts, files and failures of the real binary", .serialized, .oneAtATime)
struct PlainAndFilesTests {
    @Test func plainPromptsOverAPipeThenEditWithTheSecretAgain() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path)
        let create = try connwiz.run(["new", "celonis"], input: [
            "Celonis push", "2", "https://acme.eu-1.celonis.cloud/home", "1",
            "https://acme.eu-1.celonis.cloud/integration/data-pool/pool-abc123", "celonis-APPKEY-0002", "s",
        ].joined(separator: "\n") + "\n")
        #expect(create.status == 0, "\(create)")
        #expect(create.stdout.contains("[1 of at least 4] Name your connection *"))
        #expect(create.stdout.contains("2) Data push API"))
        #expect(create.stdout.contains("App key (typing is hidden)"))
        #expect(create.stdout.contains("   5. Pool ID"))
        #expect(create.stdout.contains("pool-abc123"))
        #expect(create.stdout.contains("Saved connection “Celonis push” (Celonis)."))

        // Edit: every answer is offered in brackets; the secret must be typed again.
        let edit = try connwiz.run(["edit", "Celonis push"], input: ["", "", "", "", "", "", "", "celonis-APPKEY-0007", "s"].joined(separator: "\n") + "\n")
        #expect(edit.status == 0, "\(edit)")
        #expect(edit.stdout.contains("Edit connection: Celonis"))
        #expect(edit.stdout.contains("Domain [acme.eu-1]"))
        #expect(edit.stdout.contains("✗ App key must be entered again"))
        #expect(edit.stdout.contains("Updated connection “Celonis push”"))
        expectNoSecrets(in: [create.output, edit.output], home: home)
    }

    @Test func inputEndingEarlySavesNothing() throws {
        let home = TemporaryFolder()
        let run = try BinaryRunner(home: home.path).run(["new", "celigo-integrator-io"], input: "Half done\n")
        #expect(run.status == 1)
        #expect(run.stderr.contains("input ended before the form was finished; nothing was saved"))
        #expect(!FileManager.default.fileExists(atPath: home.file("connections.json")))
    }

    @Test func applicationChosenFromTheListWhenLeftOut() throws {
        let home = TemporaryFolder()
        let run = try BinaryRunner(home: home.path).run(["new"], input: "celo\nC\n1\nacme.eu-1\n2\ncelonis-APIKEY-0003\ns\n")
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("Application list:"))
        #expect(run.stdout.contains("Create connection: Celonis"))
        expectNoSecrets(in: [run.output], home: home)
    }

    @Test func tamperedSecretIsReportedAndTheStoreUntouched() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path, extra: ["IO_TOKEN": "io-TOKEN-0001"])
        _ = try connwiz.run(["new", "celigo-integrator-io", "--name", "IO", "--set", "region=europe", "--secret", "token=env:IO_TOKEN", "--yes"])
        let path = home.file("connections.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let sealed = try #require(((json["connections"] as? [[String: Any]])?.first?["secrets"] as? [String: String])?["token"])
        var bytes = try #require(Data(base64Encoded: sealed))
        bytes[0] ^= 0xFF
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: sealed, with: bytes.base64EncodedString())
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let show = try connwiz.run(["show", "IO"])
        #expect(show.status == 1)
        #expect(show.stdout.contains("CANNOT BE DECRYPTED"))
        #expect(show.stderr.contains("the secret “token” of connection “IO” cannot be decrypted"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func corruptStoreIsReportedAndLeftAlone() throws {
        let home = TemporaryFolder()
        let path = home.write("connections.json", "{ this is not json")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let connwiz = BinaryRunner(home: home.path, extra: ["IO_TOKEN": "io-TOKEN-0001"])
        let list = try connwiz.run(["list"])
        #expect(list.status == 1)
        #expect(list.stderr.contains("connections.json cannot be read: it is not valid JSON. It was left exactly as it is"))
        let new = try connwiz.run(["new", "celigo-integrator-io", "--name", "IO", "--set", "region=europe", "--secret", "token=env:IO_TOKEN", "--yes"])
        #expect(new.status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func schemaLintReportsLineAndColumn() throws {
        let home = TemporaryFolder()
        let files = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path)
        let good = try connwiz.run(["schema", "lint", Fixtures.connectorFile("celonis.yaml"), Fixtures.connectorFile("certinia.yaml")])
        #expect(good.status == 0, "\(good)")
        #expect(good.stdout.contains("celonis.yaml: ok (celonis, 10 fields)"))
        let broken = files.write("broken.yaml", """
            version: 1
            id: broken
            title: Broken
            fields:
              - id: name
                label: Name
                kind: text
                required: true
                placeholdr: x
            """)
        let bad = try connwiz.run(["schema", "lint", broken])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("\(broken):9:5: error: unknown key “placeholdr” (did you mean “placeholder”?)"), "\(bad)")
        let json = try connwiz.run(["schema", "lint", broken, "--json"])
        #expect(json.stdout.contains("\"line\" : 9"))
    }

    @Test func userConnectorFilesJoinAndBadOnesAreSkipped() throws {
        let home = TemporaryFolder()
        home.write("connectors/weather.yaml", """
            version: 1
            id: weather
            title: Weather API
            category: Data
            fields:
              - {id: name, label: Name, kind: text, required: true}
              - {id: apiKey, label: API key, kind: secret, required: true}
            http:
              baseURI: https://weather.example.com
              auth: {type: query, paramName: key, value: "{{apiKey}}"}
              tests: [{path: /now}]
            """)
        home.write("connectors/bad.yaml", "version: 1\nid: bad\ntitle: Bad\nfields:\n  - {id: name, label: Name, kind: txt}\n")
        let run = try BinaryRunner(home: home.path).run(["connectors"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("weather"))
        #expect(!run.stdout.contains("bad "))
        #expect(run.stderr.contains("skipped connector file: \(home.file("connectors/bad.yaml")):5:"))
        #expect(run.stderr.contains("unknown field kind “txt”"))
        let json = try BinaryRunner(home: home.path).run(["connectors", "--json"])
        #expect(json.stdout.contains("\"id\" : \"weather\""))
    }

    @Test func theBinaryCopiedAloneKeepsEveryBuiltinConnector() throws {
        let home = TemporaryFolder()
        let elsewhere = TemporaryFolder("connwiz-copy")
        let copy = elsewhere.file("connwiz")
        try FileManager.default.copyItem(atPath: BinaryRunner.locate(), toPath: copy)
        var runner = BinaryRunner(home: home.path)
        runner = BinaryRunner(home: home.path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: copy)
        process.arguments = ["connectors"]
        process.currentDirectoryURL = URL(fileURLWithPath: elsewhere.path)
        process.environment = runner.environment
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        for id in ["celigo-integrator-io", "celonis", "certinia", "http-token"] { #expect(output.contains(id)) }
    }
}
