import Foundation
import ConnectorSchema
import Testing

/// A minimal valid connector; tests break one thing at a time.
let minimal = """
version: 1
id: demo
title: Demo
fields:
  - id: name
    label: Name
    kind: text
    required: true
  - id: mode
    label: Mode
    kind: choice
    options: [a, b]
  - id: key
    label: Key
    kind: secret
    when: {field: mode, equals: a}
http:
  baseURI: https://api.example.com
  auth: {type: bearer, token: "{{key}}"}
  tests:
    - path: /me
"""

func load(_ text: String) -> SchemaLoader.Result { SchemaLoader.load(text: text, file: "demo.yaml") }

func onlyError(_ result: SchemaLoader.Result, sourceLocation: SourceLocation = #_sourceLocation) -> SchemaDiagnostic? {
    let errors = result.diagnostics.filter { $0.severity == .error }
    #expect(result.schema == nil, sourceLocation: sourceLocation)
    #expect(errors.count >= 1, "\(result.diagnostics)", sourceLocation: sourceLocation)
    return errors.first
}

@Suite("Loading connector files")
struct SchemaLoaderTests {
    @Test func minimalFileLoads() throws {
        let result = load(minimal)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let schema = try #require(result.schema)
        #expect(schema.fields.map(\.id) == ["name", "mode", "key"])
        #expect(schema.field("mode")?.options.map(\.label) == ["a", "b"])
        #expect(schema.http?.tests.first?.method.source == "GET")
    }

    @Test func yamlSyntaxErrorHasLineAndColumn() throws {
        let broken = minimal.replacingOccurrences(of: "    label: Mode", with: "    label: [Mode")
        let error = try #require(onlyError(load(broken)))
        #expect(error.file == "demo.yaml")
        #expect(error.line != nil && error.column != nil)
        #expect(error.description.hasPrefix("demo.yaml:"))
        #expect(error.message.contains("YAML syntax"))
    }

    @Test func unknownKeyIsReportedAtItsLineWithASuggestion() throws {
        let typo = minimal.replacingOccurrences(of: "    required: true", with: "    requried: true")
        let error = try #require(onlyError(load(typo)))
        #expect(error.line == 8)
        #expect(error.column == 5)
        #expect(error.message.contains("unknown key “requried”"))
        #expect(error.message.contains("did you mean “required”"))
        #expect(error.description == "demo.yaml:8:5: error: \(error.message)")
    }

    @Test func wrongTypeIsReportedAtTheValue() throws {
        let wrong = minimal.replacingOccurrences(of: "    required: true", with: "    required: maybe")
        let error = try #require(onlyError(load(wrong)))
        #expect(error.line == 8)
        #expect(error.message.contains("true or false"))
    }

    @Test func missingKeyPointsAtItsMapping() throws {
        let missing = minimal.replacingOccurrences(of: "    label: Mode\n", with: "")
        let error = try #require(onlyError(load(missing)))
        #expect(error.message.contains("missing required key “label”"))
        #expect(error.line == 9)
    }

    @Test func unknownKindSuggestsTheNearest() throws {
        let wrong = minimal.replacingOccurrences(of: "kind: secret", with: "kind: secert")
        let error = try #require(onlyError(load(wrong)))
        #expect(error.message.contains("did you mean “secret”"))
        #expect(error.line == 15)
    }

    @Test func newerFormatVersionIsRefused() throws {
        let error = try #require(onlyError(load(minimal.replacingOccurrences(of: "version: 1", with: "version: 2"))))
        #expect(error.line == 1)
        #expect(error.message.contains("version 2 is not supported"))
    }

    @Test func emptyFileIsReported() throws {
        let error = try #require(onlyError(load("")))
        #expect(error.message.contains("empty"))
    }

    @Test func unclosedTemplateIsReported() throws {
        let error = try #require(onlyError(load(minimal.replacingOccurrences(of: "\"{{key}}\"", with: "\"{{key\""))))
        #expect(error.message.contains("no closing"))
    }

    @Test func authTypeNeedsItsKeys() throws {
        let error = try #require(onlyError(load(minimal.replacingOccurrences(of: "{type: bearer, token: \"{{key}}\"}", with: "{type: basic, username: u}"))))
        #expect(error.message.contains("needs “password”"))
    }

    @Test func clientAuthIsOneOfTheNamedWays() throws {
        let oauth = "{type: oauth2, grant: clientCredentials, tokenURL: \"https://t.example.com/token\", clientId: c, clientAuth: header}"
        let error = try #require(onlyError(load(minimal.replacingOccurrences(of: "{type: bearer, token: \"{{key}}\"}", with: oauth))))
        #expect(error.message.contains("clientAuth is basic, body, privateKeyJWT, not “header”"))
        let body = try #require(load(minimal.replacingOccurrences(of: "{type: bearer, token: \"{{key}}\"}", with: oauth.replacingOccurrences(of: "header", with: "body"))).schema)
        #expect(body.http?.auth.first?.clientAuth == .body)
    }

    @Test func oneOrManyForms() throws {
        let list = minimal.replacingOccurrences(of: "when: {field: mode, equals: a}", with: "when:\n      - {field: mode, oneOf: [a, b]}\n      - {field: mode, not: b}")
        let schema = try #require(load(list).schema)
        #expect(schema.field("key")?.when.all.count == 2)
        #expect(schema.http?.baseURI.count == 1)
        #expect(schema.http?.auth.count == 1)
    }
}

/// Connector files written to break the loader (issue: hardening): every message is one line
/// that starts with `file:line:column: error:`.
@Suite("Hostile connector files")
struct HostileConnectorFileTests {
    func diagnostics(_ data: Data) throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("connwiz-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bad.yaml").path
        _ = FileManager.default.createFile(atPath: path, contents: data)
        let result = SchemaLoader.load(path: path)
        #expect(result.schema == nil)
        return result.diagnostics.map { $0.description.replacingOccurrences(of: path, with: "bad.yaml") }
    }

    @Test func notUTF8AControlCharacterAndADuplicateKeyAreLocated() throws {
        let notUTF8 = try diagnostics(Data("version: 1\nid: caf".utf8) + Data([0xE9, 0x0A]))
        #expect(notUTF8 == ["bad.yaml:2:8: error: the file is not UTF-8 text (a byte here is not UTF-8; save the file as UTF-8)"])
        let control = try diagnostics(Data("version: 1\nid: a\u{7}b\n".utf8))
        #expect(control.count == 1 && control[0].hasPrefix("bad.yaml:2:6: error: the control character U+0007"), "\(control)")
        let duplicate = try diagnostics(Data("version: 1\nid: a\nid: b\ntitle: T\n".utf8))
        #expect(duplicate.count == 1 && duplicate[0].hasPrefix("bad.yaml:") && duplicate[0].contains(": error: the key “id” appears more than once"),
                "\(duplicate)")
        for message in notUTF8 + control + duplicate { #expect(!message.contains("\n")) }
    }

    @Test func anAliasBombIsRefusedBeforeItIsExpanded() throws {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...8 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]") }
        let started = Date()
        let bomb = try diagnostics(Data(("version: 1\nid: bomb\ntitle: B\nfields: *a8\n" + lines.joined(separator: "\n") + "\n").utf8))
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(bomb.count == 1 && bomb[0].contains("error: ") && (bomb[0].contains("aliases are expanded") || bomb[0].contains("YAML syntax")), "\(bomb)")
    }

    @Test func aFileOverOneMegabyteIsRefused() throws {
        let big = try diagnostics(Data(("# " + String(repeating: "x", count: 1 << 20) + "\n").utf8))
        #expect(big.count == 1 && big[0].hasPrefix("bad.yaml: error: a connector file is at most 1 MB"), "\(big)")
    }
}

extension HostileConnectorFileTests {
    /// Found by the fuzzer (seed 9283432971037873434): a broken pattern quoted with the lines
    /// after it made a lint message of many lines.
    @Test func aMessageQuotingSeveralLinesIsStillOneLine() {
        let diagnostic = SchemaDiagnostic(file: "bad.yaml", line: 78, column: 7, message: "pattern is not valid: “^[a\nb”")
        #expect(diagnostic.description == "bad.yaml:78:7: error: pattern is not valid: “^[a\\nb”")
    }
}
