import ConnectionCore
import ConnectorSchema
import Foundation
import Testing
import TestSupport

/// Answers that break HTTP itself (issue: hardening): each ends in a named failure within
/// the timeout, logged, and nothing grows without bound.
@Suite("Broken HTTP answers")
struct RawServerFaultTests {
    func test(_ answer: String, path: String = "/ping") async throws -> TestAttempt {
        let server = try RawServer(answer: Array(answer.utf8))
        defer { server.stop() }
        let home = TemporaryFolder()
        let client = try ExchangeClient(options: TransportOptions(connectTimeout: 2, totalTimeout: 5))
        let tester = ConnectionTester(client: client, log: ExchangeLog(home: HomeFolder(path: home.path)))
        let schema = try #require(ConnectorCatalog.builtin().connector("http-token"))
        let values = try LoopbackRig.values("http-token", ["name": "Raw", "baseUri": "http://127.0.0.1:\(server.port)", "token": "raw-token-1234",
                                                           "pingPath": path])
        let attempt = try await tester.run(ConnectionTester.Subject(name: "Raw", logKey: "raw", schema: schema, values: values)).attempt
        await client.shutdown()
        #expect(home.filesContaining("raw-token-1234").isEmpty)
        return attempt
    }

    @Test func aTwoGigabyteContentLengthThatNeverComesIsAFailureNotAWait() async throws {
        let started = Date()
        let attempt = try await test("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2147483648\r\n\r\nonly this")
        #expect(!attempt.passed && attempt.exchanges.count == 1)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(attempt.outcome.line == "Network failure: request to 127.0.0.1 failed: stream ended at an unexpected time")
        #expect(attempt.exchanges.first?.response?.body.incomplete == true)
    }

    @Test func badChunkingIsANamedNetworkFailure() async throws {
        let attempt = try await test("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nnot a chunk\r\n")
        #expect(!attempt.passed)
        #expect(attempt.outcome.line == "Network failure: request to 127.0.0.1 failed: invalid character in chunk size header")
    }

    @Test func a100kHeaderAnswerIsRefusedWithoutHoldingIt() async throws {
        let headers = (0..<100_000).map { "X-H\($0): v" }.joined(separator: "\r\n")
        let attempt = try await test("HTTP/1.1 200 OK\r\n" + headers + "\r\nContent-Length: 0\r\n\r\n")
        #expect(attempt.exchanges.count == 1)
        #expect(attempt.outcome.line == "Network failure: request to 127.0.0.1 failed: too many header bytes seen; overflow detected")
    }

    @Test func aRedirectToAFileIsNotFollowed() async throws {
        let attempt = try await test("HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\n\r\n")
        #expect(attempt.outcome.line == "Not sent: “file:///etc/passwd” is not an http or https URL")
        #expect(!attempt.exchanges.contains { $0.url.hasPrefix("file:") && $0.response != nil })
    }
}
