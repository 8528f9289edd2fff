import ConnectionCore
import ConnectorSchema
import Foundation
import FormEngine
import Testing
import TestSupport

/// What a token endpoint answers is untrusted (issue 19, items 5 and 6): a token with a
/// control character is neither used nor stored, and an `instance_url` decides where the
/// access token goes only when it is https and within the connector's domains.
@Suite("Token responses that are not to be trusted")
struct TokenResponseTests {
    /// A client-credentials connector whose token endpoint is `tokenURL` and whose base URI
    /// comes from the token response's `instance_url`.
    static func connector(tokenURL: String, allowedHosts: String?) throws -> ConnectorSchema {
        let text = """
        version: 1
        id: instance-demo
        title: Instance demo
        fields:
          - id: name
            label: Name
            kind: text
            required: true
          - id: clientSecret
            label: Client secret
            kind: secret
            required: true
        http:
          baseURI: https://login.example.com
          auth:
            type: oauth2
            grant: clientCredentials
            tokenURL: \(tokenURL)
            clientId: demo-client
            clientSecret: "{{clientSecret}}"
            clientAuth: body
            tokenBaseURI: instance_url
        \(allowedHosts.map { "    allowedHosts: \($0)" } ?? "")
          tests:
            - name: Who am I
              path: /me
        """
        let result = SchemaLoader.load(text: text, file: "instance-demo.yaml")
        return try #require(result.schema, "\(result.diagnostics)")
    }

    static func tokenAnswer(_ object: [String: Any]) throws -> [UInt8] {
        let body = try JSONSerialization.data(withJSONObject: object)
        return Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + [UInt8](body)
    }

    func run(answer object: [String: Any], allowedHosts: String? = nil, route: RequestRoute = .direct) async throws -> (TestAttempt, TemporaryFolder, RawServer) {
        let server = try RawServer(answer: try Self.tokenAnswer(object))
        let schema = try Self.connector(tokenURL: "http://127.0.0.1:\(server.port)/token", allowedHosts: allowedHosts)
        let home = TemporaryFolder()
        let client = try ExchangeClient(options: TransportOptions(connectTimeout: 2, totalTimeout: 5, route: route))
        let tester = ConnectionTester(client: client, log: ExchangeLog(home: HomeFolder(path: home.path)))
        let values: [String: FieldValue] = ["name": .string("Demo"), "clientSecret": .string("demo-client-secret-3344")]
        let attempt = try await tester.run(ConnectionTester.Subject(name: "Demo", logKey: "demo", schema: schema, values: values)).attempt
        await client.shutdown()
        return (attempt, home, server)
    }

    @Test(arguments: ["Leak-Me-\u{7f}Tok-998877", "tok-line\r\nX-Injected: 1", "tok-esc-\u{1b}]0;pwned\u{07}-55", "tok-c1-\u{9b}31m-66"])
    func aTokenWithAControlCharacterIsNeitherUsedNorStored(token: String) async throws {
        let (attempt, home, server) = try await run(answer: ["access_token": token, "token_type": "Bearer",
                                                             "instance_url": "https://api.example.com"])
        defer { server.stop() }
        #expect(attempt.outcome.kind == .unreadableResponse)
        #expect(attempt.outcome.line.contains("access_token with a control character"), "\(attempt.outcome.line)")
        #expect(attempt.exchanges.count == 1, "no request carried it")
        for part in token.components(separatedBy: .controlCharacters) where part.count >= 4 {
            #expect(home.filesContaining(part).isEmpty, "“\(part)” was written")
        }
    }

    @Test(arguments: [
        ("http://api.example.com", "which is not https"),
        ("http://127.0.0.1:9", "which is not https"),
        ("https://collector.evil.test", "outside the valid domain names"),
        ("javascript:alert(1)", "which is not an address"),
    ])
    func anInstanceURLThatIsNotHttpsOrNotTheServicesIsRefused(instance: String, why: String) async throws {
        let (attempt, home, server) = try await run(answer: ["access_token": "instance-token-77665544", "token_type": "Bearer",
                                                             "instance_url": instance], allowedHosts: "example.com")
        defer { server.stop() }
        #expect(attempt.outcome.kind == .notSent, "\(attempt.outcome.line)")
        #expect(attempt.outcome.line.contains(why), "\(attempt.outcome.line)")
        #expect(attempt.exchanges.count == 1, "the token went to \(instance)")
        #expect(home.filesContaining("instance-token-77665544").isEmpty)
    }

    @Test func loopbackOverHttpIsAllowedOnlyWhileASandboxStandsIn() async throws {
        let api = try RawServer(answer: Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}".utf8))
        defer { api.stop() }
        let answer: [String: Any] = ["access_token": "loop-token-11223344", "instance_url": "http://127.0.0.1:\(api.port)"]
        let (sandboxed, _, first) = try await run(answer: answer, route: .sandbox("http://127.0.0.1:1"))
        first.stop()
        #expect(sandboxed.passed, "\(sandboxed.outcome.line)")
        let (direct, _, second) = try await run(answer: answer)
        second.stop()
        #expect(direct.outcome.line.contains("which is not https"), "\(direct.outcome.line)")
        #expect(api.heads.get().count == 1)
    }
}
