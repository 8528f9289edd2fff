import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// The sandbox on a loopback port, served by swift-nio's HTTP/1 pipeline (decisions D32, D51).
/// Every request goes to `SandboxService`, with the host taken from the `Host` header.
///
/// It answers from a channel handler on swift-nio's own event loop, never from Swift's
/// cooperative thread pool: a caller that blocks the pool's threads (a test waiting on a
/// subprocess, a front end busy drawing) cannot keep the sandbox from answering in time.
public final class SandboxServer: Sendable {
    public let service: SandboxService
    /// `http://127.0.0.1:PORT`.
    public let url: String
    public let port: Int
    private let listener: any Channel
    private let connections: OpenConnections

    /// The largest request body the sandbox reads; a larger one gets 413 and the connection closes.
    static let maximumBody = 8 << 20

    private init(service: SandboxService, port: Int, listener: any Channel, connections: OpenConnections) {
        self.service = service
        self.port = port
        self.url = "http://127.0.0.1:\(port)"
        self.listener = listener
        self.connections = connections
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
        let connections = OpenConnections()
        let listener: any Channel
        do {
            listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        connections.add(channel)
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(SandboxConnectionHandler(service: service))
                    }
                }
                .bind(host: address, port: port).get()
        } catch {
            throw StartError.cannotListen(port, describe(error))
        }
        let bound = listener.localAddress?.port ?? port
        return SandboxServer(service: service, port: bound, listener: listener, connections: connections)
    }

    /// Serves until the surrounding task is cancelled (or `stop()` is called).
    public func wait() async throws {
        try await withTaskCancellationHandler {
            try await listener.closeFuture.get()
        } onCancel: {
            listener.close(promise: nil)
        }
        connections.closeAll()
    }

    /// Stops listening and closes every open connection, a hanging answer's among them.
    public func stop() async {
        try? await listener.close()
        connections.closeAll()
    }

    /// The connections open now, so that stopping closes them too.
    final class OpenConnections: Sendable {
        private let open = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])

        func add(_ channel: any Channel) {
            let key = ObjectIdentifier(channel)
            open.withLockedValue { $0[key] = channel }
            channel.closeFuture.whenComplete { [open] _ in _ = open.withLockedValue { $0.removeValue(forKey: key) } }
        }

        func closeAll() {
            for channel in open.withLockedValue({ Array($0.values) }) { channel.close(promise: nil) }
        }
    }

    /// "address already in use" rather than a type dump.
    static func describe(_ error: Error) -> String {
        if let error = error as? IOError {
            return error.errnoCode == EADDRINUSE ? "the port is already in use (is another sandbox running?)" : String(cString: strerror(error.errnoCode))
        }
        return String(describing: error)
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
