import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The sandbox on a loopback port, served by Hummingbird. Every request goes to
/// `SandboxService`, with the host taken from the `Host` header.
public final class SandboxServer: Sendable {
    public let service: SandboxService
    /// `http://127.0.0.1:PORT`.
    public let url: String
    public let port: Int
    private let task: Task<Void, Error>

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
        let (ready, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "connwiz.sandbox")
        logger.logLevel = .critical
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            try await Self.respond(to: request, service: service)
        }
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(address, port: port), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? port)
                continuation.finish()
            },
            logger: logger)
        let task = Task {
            // A server that cannot bind ends here; finishing the stream ends the wait below.
            defer { continuation.finish() }
            try await app.run()
        }
        for await bound in ready {
            return SandboxServer(service: service, port: bound, task: task)
        }
        if Task.isCancelled {
            // Cancelled while starting: stop the server rather than wait for it to end.
            task.cancel()
            _ = await task.result
            throw CancellationError()
        }
        switch await task.result {
        case .success: throw StartError.cannotListen(port, "the server stopped at once")
        case .failure(let error): throw StartError.cannotListen(port, Self.describe(error))
        }
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

    static func respond(to request: Request, service: SandboxService) async throws -> Response {
        let body = try await request.body.collect(upTo: 8 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = headers[field.name.canonicalName].map { $0 + ", " + field.value } ?? field.value }
        let host = request.head.authority ?? headers["host"] ?? "127.0.0.1"
        let sandboxRequest = SandboxRequest(method: request.method.rawValue, hostHeader: host, target: request.uri.description,
                                            headers: headers, body: Data(buffer: body))
        // How many requests each host (and each Salesforce org) has in hand at once, for tests
        // of concurrency budgets.
        var groups = [sandboxRequest.host]
        if let org = SalesforceSandbox.org(of: sandboxRequest.host) { groups.append(org.rawValue) }
        for group in groups { service.journal.began(group) }
        defer { for group in groups { service.journal.ended(group) } }
        if service.settings.latency > 0 { try await Task.sleep(for: .milliseconds(service.settings.latency)) }
        let answer = service.handle(sandboxRequest)
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        let status = HTTPResponse.Status(code: answer.status)
        switch answer.body {
        case .data(let data):
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        case .stream(let count, let binary):
            return Response(status: status, headers: fields, body: ResponseBody(contentLength: count) { writer in
                let chunk = binary ? ByteBuffer(bytes: (0..<(64 * 1024)).map { UInt8(truncatingIfNeeded: $0) })
                                   : ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
                var left = count
                while left > 0 {
                    let size = min(left, chunk.readableBytes)
                    try await writer.write(chunk.getSlice(at: 0, length: size)!)
                    left -= size
                }
                try await writer.finish(nil)
            })
        case .hang:
            try await Task.sleep(for: .seconds(3600))
            return Response(status: status)
        case .drip(let count, let interval):
            return Response(status: status, headers: fields, body: ResponseBody(contentLength: count) { writer in
                for _ in 0..<count {
                    try await Task.sleep(for: interval)
                    try await writer.write(ByteBuffer(repeating: UInt8(ascii: "x"), count: 1))
                }
                try await writer.finish(nil)
            })
        case .reset(let sent, let promised):
            return Response(status: status, headers: fields, body: ResponseBody(contentLength: promised) { writer in
                try await writer.write(ByteBuffer(repeating: UInt8(ascii: "x"), count: sent))
                // Ending the body early makes the server close the connection mid-body.
                throw CancellationError()
            })
        }
    }
}
