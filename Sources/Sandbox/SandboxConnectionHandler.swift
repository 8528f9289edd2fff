import Foundation
import NIOCore
import NIOHTTP1

/// One connection to the sandbox: reads each request whole, asks `SandboxService`, and writes
/// the answer, all on the connection's event loop (D51). swift-nio's pipelining handler holds a
/// second request back until the first answer has ended, so one answer is in hand at a time.
final class SandboxConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let service: SandboxService
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var tooLarge = false
    /// The journal groups of the answer in hand; they end once it is written or the connection goes.
    private var inHand: [String] = []
    /// What is left of a streamed body while the socket is full.
    private var streaming: (left: Int, chunk: ByteBuffer, keepAlive: Bool)?

    init(service: SandboxService) {
        self.service = service
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let next):
            head = next
            body.clear()
            tooLarge = false
        case .body(var chunk):
            if body.readableBytes + chunk.readableBytes > SandboxServer.maximumBody { tooLarge = true } else { body.writeBuffer(&chunk) }
        case .end:
            guard let request = head else { return }
            head = nil
            if tooLarge {
                body = ByteBuffer()
                write(SandboxResponse.text(413, "The request body is larger than the sandbox reads (8 MB)."),
                      version: request.version, keepAlive: false, context: context)
                return
            }
            respond(to: request, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        streaming = nil
        answered()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { pump(context: context) }
        context.fireChannelWritabilityChanged()
    }

    /// Answers one request, after the sandbox's latency when one is set.
    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers: [String: String] = [:]
        for (name, value) in head.headers {
            let key = name.lowercased()
            headers[key] = headers[key].map { $0 + ", " + value } ?? value
        }
        let request = SandboxRequest(method: head.method.rawValue, hostHeader: headers["host"] ?? "127.0.0.1", target: head.uri,
                                     headers: headers, body: Data(body.readableBytesView))
        // How many requests each host (and each Salesforce org) has in hand at once, for tests
        // of concurrency budgets.
        var groups = [request.host]
        if let org = SalesforceSandbox.org(of: request.host) { groups.append(org.rawValue) }
        for group in groups { service.journal.began(group) }
        inHand = groups
        let answer = {
            guard context.channel.isActive else { return }
            self.write(self.service.handle(request), version: head.version, keepAlive: head.isKeepAlive, context: context)
        }
        let latency = service.settings.latency
        if latency > 0 {
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(latency)), answer)
        } else {
            answer()
        }
    }

    /// Ends the journal's record of the answer in hand.
    private func answered() {
        for group in inHand { service.journal.ended(group) }
        inHand = []
    }

    /// Writes `answer`'s head and body. A `.reset` body closes the connection after its bytes,
    /// short of the length it promised; a `.hang` writes nothing until the sandbox stops.
    private func write(_ answer: SandboxResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        let length: Int
        switch answer.body {
        case .data(let data): length = data.count
        case .stream(let count, _), .drip(let count, _): length = count
        case .reset(_, let promised): length = promised
        case .hang: return
        }
        var fields = HTTPHeaders()
        for (name, value) in answer.headers where SandboxServer.isToken(name) && name.lowercased() != "content-length" {
            fields.add(name: name, value: value)
        }
        fields.replaceOrAdd(name: "Content-Length", value: String(length))
        if !fields.contains(name: "Date") { fields.add(name: "Date", value: SandboxServer.httpDate()) }
        if !keepAlive { fields.replaceOrAdd(name: "Connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: answer.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: fields))), promise: nil)
        switch answer.body {
        case .data(let data):
            if !data.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: data)))), promise: nil) }
            finish(keepAlive: keepAlive, context: context)
        case .stream(let count, let binary):
            let chunk = binary ? ByteBuffer(bytes: (0..<(64 * 1024)).map { UInt8(truncatingIfNeeded: $0) })
                               : ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
            streaming = (count, chunk, keepAlive)
            pump(context: context)
        case .drip(let count, let interval):
            context.flush()
            drip(left: count, every: .nanoseconds(Int64(interval / .nanoseconds(1))), keepAlive: keepAlive, context: context)
        case .reset(let sent, _):
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(repeating: UInt8(ascii: "x"), count: sent)))))
                .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        case .hang:
            return
        }
    }

    /// Writes a streamed body while the socket takes it; the rest waits for it to drain.
    private func pump(context: ChannelHandlerContext) {
        guard var stream = streaming else { return }
        while stream.left > 0 && context.channel.isWritable {
            let size = min(stream.left, stream.chunk.readableBytes)
            context.write(wrapOutboundOut(.body(.byteBuffer(stream.chunk.getSlice(at: 0, length: size)!))), promise: nil)
            stream.left -= size
        }
        if stream.left == 0 {
            streaming = nil
            finish(keepAlive: stream.keepAlive, context: context)
        } else {
            streaming = stream
            context.flush()
        }
    }

    /// One byte every `interval`, `left` times, then the end.
    private func drip(left: Int, every interval: TimeAmount, keepAlive: Bool, context: ChannelHandlerContext) {
        guard left > 0 else { return finish(keepAlive: keepAlive, context: context) }
        context.eventLoop.assumeIsolated().scheduleTask(in: interval) {
            guard context.channel.isActive else { return }
            context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(repeating: UInt8(ascii: "x"), count: 1)))), promise: nil)
            self.drip(left: left - 1, every: interval, keepAlive: keepAlive, context: context)
        }
    }

    /// Ends the answer; closes the connection when it may not be kept.
    private func finish(keepAlive: Bool, context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            self.answered()
            if !keepAlive { context.close(promise: nil) }
        }
    }
}
