@testable import ConnectionCore
import ConnectorSchema
import Foundation
import Testing
import TestSupport

/// A connector written from the reference alone, tested against a real server on loopback
/// that stands in for its service through the sandbox route (`--sandbox-url`): a 200 that
/// fails a success rule quotes the service, explains itself, and headers are the connector's.
@Suite("Test requests judged over loopback", .serialized)
struct TestRequestRuleTests {
    static func connector(errorPath: String? = "error.message", headers: String = "{accept: application/vnd.payments+json}",
                          success: String = "json: [{path: id, exists: true}]",
                          explain: String = "{401: Copy the key again., rule: 'The key works, but the account is not open.'}",
                          body: String? = nil) -> ConnectorSchema {
        let text = """
        version: 1
        id: payments
        title: Payments
        fields:
          - {id: name, label: Name, kind: text, required: true}
          - {id: key, label: Key, kind: secret, required: true}
        http:
          baseURI: https://api.payments.example/v1
          auth: {type: bearer, token: "{{key}}"}
          tests:
            - path: /account?expand=owner
              headers: \(headers)
        \(errorPath.map { "      errorPath: \($0)" } ?? "")
              success: {\(success)}
              explain: \(explain)
        \(body.map { "      method: POST\n      body: '\($0)'" } ?? "")
        """
        let result = SchemaLoader.load(text: text, file: "payments.yaml")
        precondition(result.schema != nil, "\(result.diagnostics)")
        return result.schema!
    }

    /// The response as raw HTTP, with a JSON body.
    static func answer(_ status: String, _ body: String) -> String {
        "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
    }

    /// Tests the connector against a server answering `answer`, which stands in for
    /// api.payments.example through the sandbox route.
    func test(_ schema: ConnectorSchema, answering answer: String) async throws -> (TestAttempt, [String]) {
        let server = try RawServer(answer: Array(answer.utf8))
        defer { server.stop() }
        let home = TemporaryFolder()
        let client = try ExchangeClient(options: TransportOptions(connectTimeout: 2, totalTimeout: 5, route: .sandbox("http://127.0.0.1:\(server.port)")))
        let tester = ConnectionTester(client: client, log: ExchangeLog(home: HomeFolder(path: home.path)))
        let values: [String: FieldValue] = ["name": .string("Pay"), "key": .string("sk_test_secret_4242")]
        let attempt = try await tester.run(ConnectionTester.Subject(name: "Pay", logKey: "pay", schema: schema, values: values)).attempt
        await client.shutdown()
        #expect(home.filesContaining("sk_test_secret_4242").isEmpty)
        return (attempt, server.heads.get())
    }

    @Test func aRuleFailureOnA200QuotesTheMessageAtErrorPath() async throws {
        let body = #"{"ok": false, "id": null, "error": {"code": "account_closed", "message": "This account was closed on 2026-11-02."}, "message": "not this one"}"#
        let (attempt, _) = try await test(Self.connector(), answering: Self.answer("200 OK", body))
        #expect(attempt.outcome.kind == .ruleFailed)
        #expect(attempt.outcome.line == "Test failed: 200 OK, but “id” is null — “This account was closed on 2026-11-02.”")
        #expect(attempt.outcome.serviceMessage == "This account was closed on 2026-11-02.")
        #expect(attempt.outcome.hint == "The key works, but the account is not open.")
    }

    @Test func withoutErrorPathTheUsualShapesAreTried() async throws {
        let schema = Self.connector(errorPath: nil, success: "json: [{path: ok, equals: true}]")
        let (attempt, _) = try await test(schema, answering: Self.answer("200 OK", #"{"ok": false, "error": "account_inactive"}"#))
        #expect(attempt.outcome.line == "Test failed: 200 OK, but “ok” is “false”, not “true” — “account_inactive”")
        #expect(attempt.outcome.serviceMessage == "account_inactive")

        // An errorPath that finds nothing falls back to the usual shapes too.
        let elsewhere = Self.connector(errorPath: "fault.text", success: "noArray: errors")
        let (errors, _) = try await test(elsewhere, answering: Self.answer("200 OK", #"{"errors": [{"code": "x", "message": "Ping failed: bad key"}]}"#))
        #expect(errors.outcome.line == "Test failed: 200 OK, but the response carries an “errors” entry — “Ping failed: bad key”")
    }

    @Test func errorPathAlsoFindsTheMessageOfAFailingStatus() async throws {
        let body = #"{"error": {"message": "Key revoked sk_test_secret_4242"}, "detail": "generic"}"#
        let (attempt, _) = try await test(Self.connector(), answering: Self.answer("401 Unauthorized", body))
        #expect(attempt.outcome.kind == .rejected)
        #expect(attempt.outcome.line == "The credentials were rejected: 401 Unauthorized — “Key revoked \(Redactor.fingerprint("sk_test_secret_4242"))”")
        #expect(attempt.outcome.hint == "Copy the key again.")
    }

    @Test func explainByStatusCoversA200ThatFailsARule() async throws {
        let schema = Self.connector(explain: "{200: The account exists but is not verified., rule: Any rule.}")
        let (attempt, _) = try await test(schema, answering: Self.answer("200 OK", #"{"name": "no id"}"#))
        #expect(attempt.outcome.line == "Test failed: 200 OK, but the response has no “id”")
        #expect(attempt.outcome.hint == "The account exists but is not verified.")

        // A 201 that fails has no status key: rule covers it.
        let (created, _) = try await test(schema, answering: Self.answer("201 Created", #"{"id": null}"#))
        #expect(created.outcome.hint == "Any rule.")
        // A body that cannot be read for the rule is a rule failure too.
        let (garbled, _) = try await test(schema, answering: Self.answer("201 Created", #"{"id": "#))
        #expect(garbled.outcome.kind == .unreadableResponse)
        #expect(garbled.outcome.hint == "Any rule.")
    }

    @Test func aConnectorHeaderReplacesTheDefaultWhateverItsCase() async throws {
        let (attempt, heads) = try await test(Self.connector(), answering: Self.answer("200 OK", #"{"id": "acct_1"}"#))
        #expect(attempt.outcome.kind == .succeeded)
        let head = try #require(heads.first)
        let accepts = head.components(separatedBy: "\r\n").filter { $0.lowercased().hasPrefix("accept:") }
        #expect(accepts == ["accept: application/vnd.payments+json"], "\(head)")
        #expect(attempt.exchanges.first?.requestHeaders.filter { $0.name.lowercased() == "accept" }.map(\.value) == ["application/vnd.payments+json"])

        // The sandbox route keeps the path, the query and the Host; only scheme, host and port change.
        let lines = head.components(separatedBy: "\r\n")
        #expect(lines.first == "GET /v1/account?expand=owner HTTP/1.1")
        #expect(lines.contains { $0.lowercased() == "host: api.payments.example" })
        #expect(attempt.exchanges.first?.url == "https://api.payments.example/v1/account?expand=owner")

        // Without a header of its own, the request accepts JSON.
        let (plain, plainHeads) = try await test(Self.connector(headers: "{X-Api-Version: '2026-01'}"), answering: Self.answer("200 OK", #"{"id": "acct_1"}"#))
        #expect(plain.outcome.kind == .succeeded)
        let plainLines = try #require(plainHeads.first).components(separatedBy: "\r\n")
        #expect(plainLines.filter { $0.lowercased().hasPrefix("accept:") } == ["Accept: application/json"])
        #expect(plainLines.contains("X-Api-Version: 2026-01"))

        // A body's default Content-Type yields to the connector's, whatever its case.
        let form = Self.connector(headers: "{content-type: application/x-www-form-urlencoded}", body: "a=1")
        let (posted, postedHeads) = try await test(form, answering: Self.answer("200 OK", #"{"id": "acct_1"}"#))
        #expect(posted.outcome.kind == .succeeded)
        let postedLines = try #require(postedHeads.first).components(separatedBy: "\r\n")
        #expect(postedLines.first == "POST /v1/account?expand=owner HTTP/1.1")
        #expect(postedLines.filter { $0.lowercased().hasPrefix("content-type:") } == ["content-type: application/x-www-form-urlencoded"])
    }

    @Test func aBasicCredentialsFingerprintIsThatOfItsEncodedText() async throws {
        let text = """
        version: 1
        id: basic-demo
        title: Basic demo
        fields:
          - {id: name, label: Name, kind: text, required: true}
          - {id: user, label: User, kind: text, required: true}
          - {id: password, label: Password, kind: secret, required: true}
        http:
          baseURI: https://api.basic.example
          auth: {type: basic, username: "{{user}}", password: "{{password}}"}
          tests: {path: /me}
        """
        let schema = try #require(SchemaLoader.load(text: text, file: "basic.yaml").schema)
        let server = try RawServer(answer: Array(Self.answer("200 OK", "{}").utf8))
        defer { server.stop() }
        let home = TemporaryFolder()
        let client = try ExchangeClient(options: TransportOptions(connectTimeout: 2, totalTimeout: 5, route: .sandbox("http://127.0.0.1:\(server.port)")))
        let tester = ConnectionTester(client: client, log: ExchangeLog(home: HomeFolder(path: home.path)))
        let values: [String: FieldValue] = ["name": .string("B"), "user": .string("op"), "password": .string("pa ss-secret")]
        let attempt = try await tester.run(ConnectionTester.Subject(name: "B", logKey: "b", schema: schema, values: values)).attempt
        await client.shutdown()
        let encoded = Data("op:pa ss-secret".utf8).base64EncodedString()
        #expect(try #require(server.heads.get().first).contains("Authorization: Basic \(encoded)"))
        let shown = try #require(attempt.exchanges.first?.requestHeaders.first { $0.name == "Authorization" }?.value)
        // What the reference tells the operator to run gives the same digits.
        let command = try Subprocess.run(["sh", "-c", "printf %s 'op:pa ss-secret' | base64 -w0 | sha256sum | cut -c1-8"])
        #expect(command.status == 0)
        #expect(shown == "Basic sha256:\(command.output.trimmingCharacters(in: .whitespacesAndNewlines))…")
        #expect(home.filesContaining(encoded).isEmpty)
    }

    @Test func existsSaysWhenAValueIsNull() throws {
        let rule = SuccessRule(json: [JSONCheck(path: "user.id", exists: true)])
        func verdict(_ body: String) -> SuccessJudge.Verdict {
            SuccessJudge.judge(status: 200, body: Data(body.utf8), bodySize: body.utf8.count, rule: rule)
        }
        #expect(verdict(#"{"user": {"id": null}}"#) == .ruleFailed("“user.id” is null"))
        #expect(verdict(#"{"user": {}}"#) == .ruleFailed("the response has no “user.id”"))
        #expect(verdict(#"{"user": null}"#) == .ruleFailed("the response has no “user.id”"))
        #expect(verdict(#"{"user": {"id": 0}}"#) == .pass)
        let absent = SuccessRule(json: [JSONCheck(path: "deleted", exists: false)])
        #expect(SuccessJudge.judge(status: 200, body: Data(#"{"deleted": null}"#.utf8), bodySize: 17, rule: absent) == .pass)
        let equals = SuccessRule(json: [JSONCheck(path: "state", equals: "open")])
        #expect(SuccessJudge.judge(status: 200, body: Data(#"{"state": null}"#.utf8), bodySize: 15, rule: equals) == .ruleFailed("“state” is null, not “open”"))
    }
}
