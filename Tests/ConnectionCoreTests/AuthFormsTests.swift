import ConnectionCore
import ConnectorSchema
import Foundation
import Sandbox
import Testing
import TestSupport

/// Basic and query-parameter auth, from a user connector file: what arrives at the server and
/// what the log keeps.
@Suite("Basic and query auth")
struct AuthFormsTests {
    static let yaml = """
    version: 1
    id: basic-and-query
    title: Basic and query
    fields:
      - {id: name, label: Name, kind: text, required: true}
      - {id: how, label: How, kind: choice, required: true, options: [{value: basic, label: Basic}, {value: query, label: Query}]}
      - {id: base, label: Base, kind: url, required: true}
      - {id: user, label: User, kind: text, required: true, when: {field: how, equals: basic}}
      - {id: password, label: Password, kind: secret, required: true, when: {field: how, equals: basic}}
      - {id: key, label: Key, kind: secret, required: true, when: {field: how, equals: query}}
    http:
      baseURI: "{{base}}"
      auth:
        - {when: {field: how, equals: basic}, type: basic, username: "{{user}}", password: "{{password}}"}
        - {when: {field: how, equals: query}, type: query, paramName: api_key, value: "{{key}}"}
      tests:
        - {path: /_faults/ok}
    """

    @Test func basicAndQueryAuthArriveAndStayHidden() async throws {
        let loaded = SchemaLoader.load(text: Self.yaml, file: "basic-and-query.yaml")
        let schema = try #require(loaded.schema, "\(loaded.diagnostics)")
        let rig = try await LoopbackRig.start(route: false)
        defer { Task { await rig.stop() } }

        let basic = try await rig.tester.run(.init(name: "B", logKey: "b", schema: schema, values: [
            "name": .string("B"), "how": .string("basic"), "base": .string(rig.server.url), "user": .string("ops"),
            "password": .string("pass-WORD-7788")])).attempt
        #expect(basic.outcome.kind == .succeeded)
        let encoded = Data("ops:pass-WORD-7788".utf8).base64EncodedString()
        #expect(rig.received.last?.headers["authorization"] == "Basic \(encoded)")
        #expect(basic.exchanges[0].requestHeaders.contains(HeaderField("Authorization", "Basic " + Redactor.fingerprint(encoded))))

        let query = try await rig.tester.run(.init(name: "Q", logKey: "q", schema: schema, values: [
            "name": .string("Q"), "how": .string("query"), "base": .string(rig.server.url), "key": .string("query-KEY-9911")])).attempt
        #expect(query.outcome.kind == .succeeded)
        #expect(rig.received.last?.query["api_key"] == "query-KEY-9911")
        #expect(query.exchanges[0].url.hasSuffix("/_faults/ok?api_key=" + Redactor.fingerprint("query-KEY-9911")))

        for secret in ["pass-WORD-7788", encoded, "query-KEY-9911"] { #expect(rig.home.filesContaining(secret).isEmpty) }
    }
}
