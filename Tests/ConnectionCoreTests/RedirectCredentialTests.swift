@testable import ConnectionCore
import ConnectorSchema
import Foundation
import Testing
import TestSupport

/// Credentials and redirects (issue 19, items 1 to 3): a credential goes only to the origin
/// it was meant for, whatever header carries it, and a body that holds one is never re-sent
/// to another origin. Each case runs over real sockets: a server that redirects and a
/// collector that records what reached it.
@Suite("Credentials across redirects")
struct RedirectCredentialTests {
    /// Where the redirect leads, relative to the server that answers it.
    enum Elsewhere: String, CaseIterable, Sendable {
        /// The same host on another port.
        case otherPort
        /// Another host (127.0.0.2 is loopback too, but another origin).
        case otherHost
    }

    static let ok = Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}".utf8)

    static func redirect(_ status: Int, to location: String) -> [UInt8] {
        Array("HTTP/1.1 \(status) Moved\r\nLocation: \(location)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
    }

    /// The collector for `elsewhere`, and the address that leads to it.
    static func collector(_ elsewhere: Elsewhere) throws -> (RawServer, String) {
        let host = elsewhere == .otherHost ? "127.0.0.2" : "127.0.0.1"
        let server = try RawServer(answer: ok, host: host)
        return (server, "http://\(host):\(server.port)/collected")
    }

    @Test(arguments: [301, 302, 303, 307, 308], [("Authorization", "Bearer"), ("Private-Token", ""), ("X-Api-Key", ""), ("X-Custom-Auth", "Token")])
    func aCredentialHeaderOfAnyNameIsDroppedWhenTheRedirectLeavesTheOrigin(status: Int, header: (String, String)) async throws {
        for elsewhere in Elsewhere.allCases {
            let (collector, target) = try Self.collector(elsewhere)
            defer { collector.stop() }
            let origin = try RawServer(answer: Self.redirect(status, to: target))
            defer { origin.stop() }
            let home = TemporaryFolder()
            let client = try ExchangeClient(options: TransportOptions(connectTimeout: 2, totalTimeout: 5))
            let tester = ConnectionTester(client: client, log: ExchangeLog(home: HomeFolder(path: home.path)))
            let schema = try #require(ConnectorCatalog.builtin().connector("http-token"))
            let token = "redirect-cred-\(status)-\(header.0.count)-7788"
            var answers = ["name": "R", "baseUri": "http://127.0.0.1:\(origin.port)", "token": token, "pingPath": "/ping",
                           "headerName": header.0]
            answers["scheme"] = header.1.isEmpty ? "None" : header.1
            let values = try LoopbackRig.values("http-token", answers)
            let attempt = try await tester.run(ConnectionTester.Subject(name: "R", logKey: "r", schema: schema, values: values)).attempt
            await client.shutdown()
            #expect(origin.heads.get().count == 1)
            #expect(origin.heads.get().first?.contains(token) == true, "the first request carried the credential")
            let reached = collector.heads.get()
            #expect(reached.count == 1, "\(status) to \(elsewhere) was followed: \(attempt.outcome.line)")
            for head in reached {
                #expect(!head.contains(token), "\(status) to \(elsewhere) carried \(header.0): \(head)")
                #expect(!head.lowercased().contains(header.0.lowercased() + ":"), "\(status) to \(elsewhere) kept the header \(header.0)")
            }
            #expect(home.filesContaining(token).isEmpty)
        }
    }

    @Test func aCredentialIsKeptOnARedirectWithinTheOrigin() async throws {
        // The same scheme, host and port, another path: the credential goes on.
        let collector = try RawServer(answer: Self.ok)
        defer { collector.stop() }
        let redactor = Redactor(secrets: ["kept-token-445566"], credentialHeaders: ["Private-Token"])
        let request = OutgoingRequest(purpose: "t", method: "GET", url: "http://127.0.0.1:\(collector.port)/a",
                                      headers: [HeaderField("Private-Token", "kept-token-445566")])
        let next = ExchangeClient.redirected(request, to: "http://127.0.0.1:\(collector.port)/b", status: 302,
                                             keepCredentials: ExchangeClient.Origin(request.url) == ExchangeClient.Origin("http://127.0.0.1:\(collector.port)/b"),
                                             redactor: redactor)
        #expect(next.headers.contains { $0.name == "Private-Token" })
    }

    /// The origin is scheme, host and port (curl, CVE-2022-27776): a change of any one drops
    /// the credential, a downgrade to http included.
    @Test(arguments: [
        ("https://api.example.com/a", "https://api.example.com/b", true),
        ("https://api.example.com/a", "https://API.example.com./b", true),
        ("https://api.example.com/a", "https://api.example.com:443/b", true),
        ("http://api.example.com/a", "http://api.example.com:80/b", true),
        ("https://api.example.com/a", "http://api.example.com/b", false),
        ("https://api.example.com/a", "http://api.example.com:443/b", false),
        ("https://api.example.com/a", "https://api.example.com:8443/b", false),
        ("http://api.example.com/a", "https://api.example.com/b", false),
        ("https://api.example.com/a", "https://evil.example.com/b", false),
        ("http://[::1]:8080/a", "http://[::1]:8081/a", false),
    ])
    func theOriginIsSchemeHostAndPort(from: String, to: String, same: Bool) {
        #expect((ExchangeClient.Origin(from) == ExchangeClient.Origin(to)) == same, "\(from) → \(to)")
        let redactor = Redactor(secrets: ["origin-secret-123456"], credentialHeaders: ["Private-Token"])
        let request = OutgoingRequest(purpose: "t", method: "GET", url: from, headers: [
            HeaderField("Authorization", "Bearer origin-secret-123456"), HeaderField("Private-Token", "origin-secret-123456"),
            HeaderField("X-Templated", "key=origin-secret-123456"), HeaderField("Accept", "application/json")])
        let next = ExchangeClient.redirected(request, to: to, status: 302, keepCredentials: ExchangeClient.Origin(from) == ExchangeClient.Origin(to),
                                             redactor: redactor)
        #expect(next.headers.count == (same ? 4 : 1), "\(from) → \(to): \(next.headers.map(\.name))")
    }

    @Test(arguments: [307, 308], Elsewhere.allCases)
    func aBodyHoldingACredentialIsNotResentToAnotherOrigin(status: Int, elsewhere: Elsewhere) async throws {
        let (collector, target) = try Self.collector(elsewhere)
        defer { collector.stop() }
        let origin = try RawServer(answer: Self.redirect(status, to: target))
        defer { origin.stop() }
        let home = TemporaryFolder()
        let client = try ExchangeClient(options: TransportOptions(connectTimeout: 2, totalTimeout: 5))
        let secret = "body-secret-\(status)-99887766"
        // An OAuth token request, and a push's connection document whose token the redactor knows.
        let tokenRequest = OutgoingRequest.form(purpose: "Token request", url: "http://127.0.0.1:\(origin.port)/token",
                                                fields: [("grant_type", "client_credentials"), ("client_id", "cid"), ("client_secret", secret)])
        let document = OutgoingRequest(purpose: "Create in IO", method: "POST", url: "http://127.0.0.1:\(origin.port)/v1/connections",
                                       body: Data("{\"http\":{\"auth\":{\"token\":{\"token\":\"\(secret)\"}}}}".utf8), contentType: "application/json")
        for request in [tokenRequest, document] {
            let results = await client.perform(request, firstIndex: 1, redactor: Redactor(secrets: [secret]), folder: URL(fileURLWithPath: home.path))
            #expect(results.count == 1)
            let failure = try #require(results.last?.failure)
            #expect(failure.message.hasPrefix("the \(status) redirect to "), "\(failure.message)")
            #expect(failure.message.contains("holds a credential"))
        }
        await client.shutdown()
        #expect(collector.heads.get().isEmpty, "the body reached \(elsewhere)")
        #expect(home.filesContaining(secret).isEmpty)
    }

    @Test func aBodyWithoutACredentialFollowsA307AndOneWithinTheOriginToo() async throws {
        let (collector, target) = try Self.collector(.otherPort)
        defer { collector.stop() }
        let origin = try RawServer(answer: Self.redirect(307, to: target))
        defer { origin.stop() }
        let home = TemporaryFolder()
        let client = try ExchangeClient(options: TransportOptions(connectTimeout: 2, totalTimeout: 5))
        let plain = OutgoingRequest(purpose: "Search", method: "POST", url: "http://127.0.0.1:\(origin.port)/search",
                                    body: Data("{\"q\":\"open orders\"}".utf8), contentType: "application/json")
        let results = await client.perform(plain, firstIndex: 1, redactor: Redactor(secrets: ["unrelated-secret-1234"]), folder: URL(fileURLWithPath: home.path))
        await client.shutdown()
        #expect(results.count == 2 && results.last?.status == 200)
        #expect(collector.heads.get().first?.hasPrefix("POST /collected") == true)
    }
}
