import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// The one-shot listener a browser is redirected to after signing in (RFC 8252 §7.3): on
/// 127.0.0.1, on a port the system picks, at a path no one can guess. The first request to
/// that path is the answer; the listener then closes, so a second one finds nobody. Requests
/// to other paths (a favicon, a port scan) get 404 and change nothing.
public final class LoopbackCallback: Sendable {
    /// `http://127.0.0.1:PORT/connwiz/<random>`.
    public let redirectURI: String
    let channel: any Channel
    let arrivals: AsyncStream<String>
    let state: State

    final class State: Sendable {
        let continuation: AsyncStream<String>.Continuation
        let answered = NIOLockedValueBox(false)
        let page: NIOLockedValueBox<@Sendable (String) -> String>

        init(continuation: AsyncStream<String>.Continuation) {
            self.continuation = continuation
            page = NIOLockedValueBox({ _ in LoopbackCallback.defaultPage })
        }
    }

    public static let defaultPage = "Signed in. You can close this tab and go back to the terminal."

    private init(redirectURI: String, channel: any Channel, arrivals: AsyncStream<String>, state: State) {
        self.redirectURI = redirectURI
        self.channel = channel
        self.arrivals = arrivals
        self.state = state
    }

    /// Starts listening. `page` says what the browser shows for an answer (given its address).
    public static func start(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                             page: @escaping @Sendable (String) -> String = { _ in defaultPage }) async throws -> LoopbackCallback {
        let path = "/connwiz/" + PKCE.randomToken(bytes: 18)
        let (arrivals, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(1))
        let state = State(continuation: continuation)
        state.page.withLockedValue { $0 = page }
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 8)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(CallbackHandler(path: path, state: state))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw TransportFailure(.notSent, "could not listen on 127.0.0.1")
        }
        let callback = LoopbackCallback(redirectURI: "http://127.0.0.1:\(port)\(path)", channel: channel, arrivals: arrivals, state: state)
        return callback
    }

    /// Sets what the browser is shown for the answer at `address`: plain text, escaped here.
    public func setPage(_ page: @escaping @Sendable (String) -> String) {
        state.page.withLockedValue { $0 = page }
    }

    /// The page for an answer `request` judged: "Signed in" only when it holds a code for
    /// this sign-in; otherwise what went wrong, as the terminal says it.
    public static func page(for answer: Result<String, AuthorizationRequest.Failure>) -> String {
        switch answer {
        case .success: return defaultPage
        case .failure(let failure): return "Not signed in. \(failure.description). You can close this tab; the terminal says what to do next."
        }
    }

    /// The address the browser came back to (`http://127.0.0.1:PORT/connwiz/…?code=…`); nil
    /// when the listener closed first.
    public func next() async -> String? {
        for await address in arrivals { return address }
        return nil
    }

    /// Stops listening; a browser arriving later finds the port closed.
    public func close() async {
        state.continuation.finish()
        try? await channel.close()
    }

    /// Text as HTML: a page quotes the service's own words, which may hold markup.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    final class CallbackHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let path: String
        let state: State
        var head: HTTPRequestHead?

        init(path: String, state: State) {
            self.path = path
            self.state = state
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): self.head = head
            case .body: break
            case .end:
                guard let head else { return }
                self.head = nil
                respond(to: head, context: context)
            }
        }

        func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
            let target = head.uri
            let requestPath = String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            var status = HTTPResponseStatus.notFound
            var text = "Not found."
            if head.method == .GET, requestPath == path {
                let first = state.answered.withLockedValue { answered -> Bool in
                    defer { answered = true }
                    return !answered
                }
                if first {
                    let address = "http://127.0.0.1:\(context.channel.localAddress?.port ?? 0)" + target
                    status = .ok
                    text = state.page.withLockedValue { $0 }(address)
                    state.continuation.yield(address)
                    state.continuation.finish()
                } else {
                    status = .gone
                    text = "This sign-in was already answered; nothing more is accepted here."
                }
            }
            let html = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>connwiz</title></head><body><p>\(LoopbackCallback.escaped(text))</p></body></html>\n"
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/html; charset=utf-8")
            headers.add(name: "Content-Length", value: String(html.utf8.count))
            headers.add(name: "Cache-Control", value: "no-store")
            headers.add(name: "Connection", value: "close")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: html)))), promise: nil)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
