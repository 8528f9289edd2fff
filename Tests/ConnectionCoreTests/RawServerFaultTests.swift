import ConnectionCore
import ConnectorSchema
import Foundation
import Testing
import TestSupport

/// A server on loopback that answers every connection with the same raw bytes and closes:
/// for answers no well-behaved server library would send.
final class RawServer: @unchecked Sendable {
    let port: Int
    /// The head of every request that arrived, as sent (header lines in order, duplicates kept).
    let heads: Locked<[String]>
    private let socket: Int32
    private let thread: Thread

    init(answer: [UInt8], host: String = "127.0.0.1") throws {
        let fd = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        socket = fd
        let heads = Locked<[String]>([])
        self.heads = heads
        thread = Thread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                var buffer = [UInt8](repeating: 0, count: 65536)
                let count = recv(client, &buffer, buffer.count, 0)
                let head = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self).components(separatedBy: "\r\n\r\n").first ?? ""
                heads.mutate { $0.append(head) }
                var sent = 0
                while sent < answer.count {
                    let n = answer[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if n <= 0 { break }
                    sent += n
                }
                close(client)
            }
        }
        thread.start()
    }

    func stop() {
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
    }
}

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
