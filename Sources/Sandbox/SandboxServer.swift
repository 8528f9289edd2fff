import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The sandbox on a loopback port, served by swift-nio's HTTP/1 pipeline (decision D32). Every
/// request goes to `SandboxService`, with the host taken from the `Host` header.
public final class SandboxServer: Sendable {
    public let service: SandboxService
    /// `http://127.0.0.1:PORT`.
    public let url: String
    public let port: Int
    private let task: Task<Void, Error>

    /// The largest request body the sandbox reads; a larger one gets 413 and the connection closes.
    static let maximumBody = 8 << 20

    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private init(service: SandboxService, port: Int, task: Task<Void, Error>) {
        self.service = service
        self.port = port
        self.url = "http://127.0.0.1:\(port)"
        self.task = task
    }

    public enum StartError: Error, CustomStringConvertible {
        case cannotListen(Int, String)

        public var description: String {
            switch self {
            case .cannotListen(let port, let reason): return "cannot listen on 127.0.0.1:\(port): \(reason)"
            }
        }
    }

    /// Starts listening on 127.0.0.1 (`port` 0 picks a free one) and returns once it is ready.
    /// `address` 0.0.0.0 serves every interface, for tests that reach it by a name that is not
    /// loopback (through a proxy).
    public static func start(service: SandboxService, port: Int = 0, address: String = "127.0.0.1") async throws -> SandboxServer {
        let listener: NIOAsyncChannel<Connection, Never>
        do {
            listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: address, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw StartError.cannotListen(port, describe(error))
        }
        let bound = listener.channel.localAddress?.port ?? port
        let task = Task {
            try await withThrowingDiscardingTaskGroup { group in
                try await listener.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await serve(connection, service: service) }
                    }
                }
            }
        }
        return SandboxServer(service: service, port: bound, task: task)
    }

    /// Serves until the surrounding task is cancelled.
    public func wait() async throws {
        try await withTaskCancellationHandler {
            _ = try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    /// "address already in use" rather than a type dump.
    static func describe(_ error: Error) -> String {
        if let error = error as? IOError {
            return error.errnoCode == EADDRINUSE ? "the port is already in use (is another sandbox running?)" : String(cString: strerror(error.errnoCode))
        }
        return String(describing: error)
    }

    /// One connection: requests one after another (keep-alive), until the client closes, a
    /// response ends it, or the sandbox stops.
    private static func serve(_ connection: Connection, service: SandboxService) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            var tooLarge = false
            for try await part in inbound {
                switch part {
                case .head(let next):
                    head = next
                    body.clear()
                    tooLarge = false
                case .body(var chunk):
                    if body.readableBytes + chunk.readableBytes > maximumBody { tooLarge = true } else { body.writeBuffer(&chunk) }
                case .end:
                    guard let request = head else { continue }
                    head = nil
                    if tooLarge {
                        try await write(SandboxResponse.text(413, "The request body is larger than the sandbox reads (8 MB)."),
                                        version: request.version, keepAlive: false, to: outbound)
                        return
                    }
                    let keepAlive = try await respond(to: request, body: body, service: service, outbound: outbound)
                    if !keepAlive { return }
                }
            }
        }
    }

    /// Answers one request; false when the connection must close after it.
    private static func respond(to head: HTTPRequestHead, body: ByteBuffer, service: SandboxService,
                                outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws -> Bool {
        var headers: [String: String] = [:]
        for (name, value) in head.headers {
            let key = name.lowercased()
            headers[key] = headers[key].map { $0 + ", " + value } ?? value
        }
        let sandboxRequest = SandboxRequest(method: head.method.rawValue, hostHeader: headers["host"] ?? "127.0.0.1", target: head.uri,
                                            headers: headers, body: Data(body.readableBytesView))
        // How many requests each host (and each Salesforce org) has in hand at once, for tests
        // of concurrency budgets.
        var groups = [sandboxRequest.host]
        if let org = SalesforceSandbox.org(of: sandboxRequest.host) { groups.append(org.rawValue) }
        for group in groups { service.journal.began(group) }
        defer { for group in groups { service.journal.ended(group) } }
        if service.settings.latency > 0 { try await Task.sleep(for: .milliseconds(service.settings.latency)) }
        let answer = service.handle(sandboxRequest)
        try await write(answer, version: head.version, keepAlive: head.isKeepAlive, to: outbound)
        return head.isKeepAlive
    }

    /// Writes `answer`'s head and body. A `.reset` body throws after its bytes, which closes the
    /// connection mid-body; a `.hang` never returns until the sandbox stops.
    private static func write(_ answer: SandboxResponse, version: HTTPVersion, keepAlive: Bool,
                              to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        let length: Int
        switch answer.body {
        case .data(let data): length = data.count
        case .stream(let count, _), .drip(let count, _): length = count
        case .reset(_, let promised): length = promised
        case .hang:
            try await Task.sleep(for: .seconds(3600))
            return
        }
        var fields = HTTPHeaders()
        for (name, value) in answer.headers where isToken(name) && name.lowercased() != "content-length" {
            fields.add(name: name, value: value)
        }
        fields.replaceOrAdd(name: "Content-Length", value: String(length))
        if !fields.contains(name: "Date") { fields.add(name: "Date", value: httpDate()) }
        if !keepAlive { fields.replaceOrAdd(name: "Connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: answer.status)
        try await outbound.write(.head(HTTPResponseHead(version: version, status: status, headers: fields)))
        switch answer.body {
        case .data(let data):
            if !data.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: data)))) }
        case .stream(let count, let binary):
            let chunk = binary ? ByteBuffer(bytes: (0..<(64 * 1024)).map { UInt8(truncatingIfNeeded: $0) })
                               : ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
            var left = count
            while left > 0 {
                let size = min(left, chunk.readableBytes)
                try await outbound.write(.body(.byteBuffer(chunk.getSlice(at: 0, length: size)!)))
                left -= size
            }
        case .drip(let count, let interval):
            for _ in 0..<count {
                try await Task.sleep(for: interval)
                try await outbound.write(.body(.byteBuffer(ByteBuffer(repeating: UInt8(ascii: "x"), count: 1))))
            }
        case .reset(let sent, _):
            try await outbound.write(.body(.byteBuffer(ByteBuffer(repeating: UInt8(ascii: "x"), count: sent))))
            // Ending here, short of the promised length, closes the connection mid-body.
            throw CancellationError()
        case .hang:
            return
        }
        try await outbound.write(.end(nil))
    }

    /// Now as an HTTP date (`Tue, 01 Dec 2026 19:04:00 GMT`), as a real service's `Date`
    /// header has it; spelt out here because the C library's names follow the locale.
    static func httpDate(_ seconds: time_t = time(nil)) -> String {
        var parts = tm()
        var now = seconds
        gmtime_r(&now, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }

    /// Whether `name` may be a header name (RFC 9110 token); the fault that echoes a credential
    /// into a header name can make one that is not, and such a header is left out.
    static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }
}
