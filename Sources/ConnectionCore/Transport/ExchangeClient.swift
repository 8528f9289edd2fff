import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Sends requests over real sockets and records each one as an `Exchange`.
///
/// Built on async-http-client with decompression off, so the log shows exactly the headers
/// that went out; redirects are followed here, one logged exchange per hop, so a loop or a
/// credential dropped on the way is visible. TLS is always verified; `caFile` adds trust.
public final class ExchangeClient: Sendable {
    /// Bodies up to this size are kept in memory so success rules can read them.
    public static let judgeLimit = 4 << 20

    public let options: TransportOptions
    private let client: HTTPClient
    /// The TLS settings every request starts from (system trust plus `caFile`).
    public let tls: TLSConfiguration
    /// One client per proxy server in `options.proxy` (async-http-client takes its proxy per
    /// client), so a request to a `NO_PROXY` host still goes out on `client`.
    private let proxied: [ProxyPolicy.Server: HTTPClient]

    /// What to do about a 407, for the status line's hint.
    public static let proxyCredentialsHint =
        "Give the proxy's user and password in its URL, http://USER:PASSWORD@host:port (with --proxy or $HTTPS_PROXY); connwiz sends them only to the proxy and never logs them."

    /// - Throws: `TransportFailure` (kind `.tls`) when the CA file cannot be read.
    public init(options: TransportOptions) throws {
        self.options = options
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile = options.caFile {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
                guard !certificates.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
                tls.additionalTrustRoots = [.certificates(certificates)]
            } catch {
                throw TransportFailure(.notSent, "the CA file \(caFile) holds no readable PEM certificate (\(error))")
            }
        }
        self.tls = tls
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: .milliseconds(Int64(options.connectTimeout * 1000)),
                           read: .milliseconds(Int64(options.totalTimeout * 1000))),
            decompression: .disabled)
        configuration.httpVersion = .http1Only
        // A tester reports the first failure at once: retrying until the connect timeout turns
        // a DNS failure or a refused port into a 10-second wait that says nothing more.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        var proxied: [ProxyPolicy.Server: HTTPClient] = [:]
        for server in Set([options.proxy.http, options.proxy.https].compactMap { $0 }) {
            var through = configuration
            switch server.kind {
            case .http:
                let authorization = server.user.map { HTTPClient.Authorization.basic(username: $0, password: server.password ?? "") }
                through.proxy = .server(host: server.host, port: server.port, authorization: authorization)
            case .socks5:
                through.proxy = .socksServer(host: server.host, port: server.port)
            }
            proxied[server] = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: through)
        }
        self.proxied = proxied
    }

    public func shutdown() async {
        try? await client.shutdown()
        for other in proxied.values { try? await other.shutdown() }
    }

    /// Sends `request`, following redirects; returns every exchange, the last one deciding.
    public func perform(_ request: OutgoingRequest, firstIndex: Int, redactor: Redactor, folder: URL) async -> [ExchangeResult] {
        var results: [ExchangeResult] = []
        var current = request
        var seen: Set<String> = [request.url]
        while true {
            current.signer?.sign(&current)
            var result = await send(current, index: firstIndex + results.count, redactor: redactor, folder: folder)
            guard let status = result.status, [301, 302, 303, 307, 308].contains(status),
                  let location = result.location,
                  let next = URL(string: location, relativeTo: URL(string: current.url))?.absoluteURL else {
                results.append(result)
                return results
            }
            let nextURL = next.absoluteString
            if seen.contains(nextURL) || results.count + 1 > options.maximumRedirects {
                let why = seen.contains(nextURL) ? "it leads back to \(redactor.url(nextURL))" : "more than \(options.maximumRedirects) redirects"
                result.failure = TransportFailure(.redirectLoop, "redirect loop: \(why)")
                results.append(result)
                return results
            }
            if let refusal = RedirectPolicy.refusal(from: URL(string: request.url), to: next, allowPrivate: options.allowPrivateRedirects) {
                result.failure = TransportFailure(.notSent, refusal)
                results.append(result)
                return results
            }
            let sameOrigin = Origin(current.url) == Origin(nextURL)
            if !sameOrigin, status == 307 || status == 308, let body = current.body,
               current.bodyCarriesCredential || redactor.holdsSecret(String(decoding: body, as: UTF8.self)) {
                result.failure = TransportFailure(.notSent, "the \(status) redirect to \(redactor.url(Origin(nextURL)?.text ?? nextURL)) was not followed: it would re-send a request body that holds a credential to another origin")
                results.append(result)
                return results
            }
            seen.insert(nextURL)
            results.append(result)
            current = Self.redirected(current, to: nextURL, status: status, keepCredentials: sameOrigin, redactor: redactor)
        }
    }

    /// The request a redirect asks for: 303 (and 301/302 after a POST) becomes a GET without
    /// body. Credentials go only to the origin they were meant for, as curl does since
    /// CVE-2022-27776: a change of scheme, host or port drops every header that carries one,
    /// whatever its name (the fixed list, the auth scheme's own header, and any header whose
    /// value holds a known secret).
    static func redirected(_ request: OutgoingRequest, to url: String, status: Int, keepCredentials: Bool, redactor: Redactor) -> OutgoingRequest {
        var next = request
        next.url = url
        if status == 303 || ((status == 301 || status == 302) && request.method == "POST") {
            next.method = "GET"
            next.body = nil
            next.contentType = nil
            next.bodyCarriesCredential = false
        }
        if !keepCredentials {
            next.headers.removeAll { redactor.isCredentialHeader($0.name) || redactor.holdsSecret($0.value) }
            next.signer = nil
        }
        return next
    }

    /// Scheme, host and port: what a credential is bound to (RFC 6454, as curl compares it).
    struct Origin: Equatable {
        var scheme: String
        var host: String
        var port: Int

        init?(_ url: String) {
            guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host else { return nil }
            self.scheme = scheme
            self.host = RedirectPolicy.bare(host).lowercased()
            var trimmed = self.host
            while trimmed.hasSuffix(".") { trimmed.removeLast() }
            self.host = trimmed
            port = parsed.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : -1)
        }

        var text: String {
            let shownHost = host.contains(":") ? "[\(host)]" : host
            return "\(scheme)://\(shownHost):\(port)"
        }
    }

    /// One request, one exchange.
    public func send(_ request: OutgoingRequest, index: Int, redactor: Redactor, folder: URL) async -> ExchangeResult {
        let startedAt = Date()
        let start = DispatchTime.now().uptimeNanoseconds
        let bodyFile = String(format: "%03d-response.body", index)
        var exchange = Exchange(
            index: index, purpose: request.purpose, startedAt: startedAt, method: request.method,
            url: redactor.url(request.url), sandboxURL: nil, requestHeaders: [],
            requestBody: request.body.map { BodyRecord(size: $0.count, mimeType: request.contentType,
                                                       text: redactor.body($0, mimeType: request.contentType)) })
        func finished(_ failure: TransportFailure) -> ExchangeResult {
            exchange.error = failure.message
            exchange.timings.total = Self.milliseconds(since: start)
            if exchange.requestHeaders.isEmpty { exchange.requestHeaders = Self.plannedHeaders(request, redactor: redactor) }
            return ExchangeResult(exchange: exchange, failure: failure, body: nil, bodySize: 0, requestURL: request.url)
        }

        guard let url = URL(string: request.url), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            return finished(TransportFailure(.notSent, "“\(redactor.url(request.url))” is not an http or https URL"))
        }
        var target = request.url
        var headers = HTTPHeaders(request.headers.map { ($0.name, $0.value) })
        if let contentType = request.contentType, !headers.contains(name: "Content-Type") { headers.add(name: "Content-Type", value: contentType) }
        if !headers.contains(name: "User-Agent") { headers.add(name: "User-Agent", value: "connwiz/\(ConnwizVersion.current)") }
        if let destination = options.route.destination(for: url) {
            target = destination.url
            headers.replaceOrAdd(name: "Host", value: destination.host)
            exchange.sandboxURL = destination.url
        }

        let httpRequest: HTTPClient.Request
        do {
            httpRequest = try HTTPClient.Request(url: target, method: HTTPMethod(rawValue: request.method), headers: headers,
                                                 body: request.body.map { .bytes($0) }, tlsConfiguration: request.tls)
        } catch {
            return finished(TransportFailure(.notSent, "cannot send to \(redactor.url(request.url)): \(error)"))
        }
        let proxy = URL(string: target).flatMap { options.proxy.server(for: $0) }
        exchange.proxy = proxy?.description
        let recorder = ExchangeRecorder(redactor: redactor, fileURL: folder.appendingPathComponent(bodyFile), judgeLimit: Self.judgeLimit,
                                        keepLimit: options.maximumKeptBody)
        let deadline = NIODeadline.now() + .milliseconds(Int64(options.totalTimeout * 1000))
        let task = (proxy.flatMap { proxied[$0] } ?? client).execute(request: httpRequest, delegate: recorder, deadline: deadline)
        var failure: TransportFailure?
        do {
            try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch {
            // A failure to reach the sandbox is about the sandbox, not the service it stands for.
            let reached = exchange.sandboxURL.flatMap(URL.init(string:)) ?? url
            failure = Self.classify(error, url: reached, options: options, cancelled: Task.isCancelled)
            if let proxy, var failed = failure {
                failed = await Self.throughProxy(failed, error: error, proxy: proxy, url: url, options: options,
                                                 requestSent: recorder.snapshot.sentHead != nil)
                failure = failed
            }
            if exchange.sandboxURL != nil, var failed = failure, [.refused, .connectTimeout, .network].contains(failed.kind) {
                failed.message = "the sandbox is not answering: " + failed.message + " (is `connwiz sandbox` running there?)"
                failure = failed
            }
        }

        let seen = recorder.snapshot
        var location: String?
        var challenges: [String] = []
        var setCookies: [String] = []
        let end = seen.finishedAt ?? DispatchTime.now().uptimeNanoseconds
        exchange.timings.total = Self.milliseconds(from: start, to: end)
        if let sent = seen.headSentAt {
            exchange.timings.send = Self.milliseconds(from: start, to: seen.requestSentAt ?? sent)
        }
        if let first = seen.firstByteAt {
            exchange.timings.firstByte = Self.milliseconds(from: start, to: first)
            exchange.timings.wait = Self.milliseconds(from: seen.requestSentAt ?? seen.headSentAt ?? start, to: first)
            exchange.timings.receive = Self.milliseconds(from: first, to: end)
        }
        if let head = seen.sentHead {
            exchange.httpVersion = Self.versionText(head.version)
            exchange.requestHeaders = head.headers.map { redactor.headerField(name: $0.name, value: $0.value) }
        } else {
            exchange.requestHeaders = Self.plannedHeaders(request, redactor: redactor, extra: headers)
        }
        if let head = seen.responseHead {
            let mime = head.headers.first(name: "Content-Type")
            var body = BodyRecord(size: seen.size, mimeType: mime, incomplete: failure != nil)
            if seen.spilled {
                body.file = bodyFile
                if seen.cut { body.keptBytes = seen.kept }
            } else if seen.size > 0 {
                let redacted = redactor.body(seen.memory, mimeType: mime)
                if redacted.utf8.count <= 16_384 {
                    body.text = redacted
                } else {
                    do {
                        try LogFile.create(folder.appendingPathComponent(bodyFile).path, contents: Data(redacted.utf8))
                        body.file = bodyFile
                    } catch {
                        body.text = String(redacted.prefix(16_384))
                    }
                }
            }
            location = head.headers.first(name: "Location")
            challenges = head.headers["WWW-Authenticate"]
            setCookies = head.headers["Set-Cookie"]
            exchange.response = ResponseRecord(
                status: Int(head.status.code), statusText: ServiceText.printable(head.status.reasonPhrase), httpVersion: Self.versionText(head.version),
                headers: head.headers.map { redactor.headerField(name: $0.name, value: $0.value) }, body: body)
        }
        if let writeError = seen.writeError, failure == nil { failure = TransportFailure(.network, writeError) }
        if let failure { exchange.error = failure.message }
        return ExchangeResult(exchange: exchange, failure: failure,
                              body: seen.size <= Self.judgeLimit ? seen.memory : nil, bodySize: seen.size, location: location,
                              challenges: challenges, requestURL: request.url, setCookies: setCookies)
    }

    /// The headers as planned, for a request that failed before its head went out.
    private static func plannedHeaders(_ request: OutgoingRequest, redactor: Redactor, extra: HTTPHeaders? = nil) -> [HeaderField] {
        let pairs = extra.map { $0.map { ($0.name, $0.value) } } ?? request.headers.map { ($0.name, $0.value) }
        return pairs.map { redactor.headerField(name: $0.0, value: $0.1) }
    }

    private static func milliseconds(since start: UInt64) -> Double {
        milliseconds(from: start, to: DispatchTime.now().uptimeNanoseconds)
    }

    private static func versionText(_ version: HTTPVersion) -> String {
        "HTTP/\(version.major).\(version.minor)"
    }
}
