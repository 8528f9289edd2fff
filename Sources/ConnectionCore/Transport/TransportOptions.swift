import Foundation

/// How the HTTP core reaches services: timeouts, extra trusted CAs, and whether the sandbox
/// stands in for every service.
public struct TransportOptions: Sendable, Hashable {
    /// Seconds allowed to open the connection (DNS, TCP and TLS).
    public var connectTimeout: Double
    /// Seconds allowed for one request from start to last byte.
    public var totalTimeout: Double
    /// A PEM file of CA certificates to trust in addition to the system's.
    public var caFile: String?
    public var route: RequestRoute
    public var maximumRedirects: Int
    /// Follow redirects from a public host into loopback or a private network (see
    /// `RedirectPolicy`); link-local and metadata addresses are refused regardless.
    public var allowPrivateRedirects: Bool
    /// The most bytes of one response body the log keeps (8 MB by default); the rest is
    /// read, counted and judged no further, and the log says where it was cut.
    public var maximumKeptBody: Int
    /// The proxy each request goes through, if any (loopback is always direct).
    public var proxy: ProxyPolicy = .direct

    public init(connectTimeout: Double = 10, totalTimeout: Double = 30, caFile: String? = nil,
                route: RequestRoute = .direct, maximumRedirects: Int = 10, allowPrivateRedirects: Bool = false,
                maximumKeptBody: Int = 8 << 20) {
        self.allowPrivateRedirects = allowPrivateRedirects
        self.maximumKeptBody = maximumKeptBody
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.caFile = caFile
        self.route = route
        self.maximumRedirects = maximumRedirects
    }
}

/// Where requests go.
public enum RequestRoute: Sendable, Hashable {
    /// To the host the URL names.
    case direct
    /// To a connwiz sandbox at this base URL (`http://127.0.0.1:7411`), with the real host in
    /// the `Host` header. Loopback URLs still go straight to their own port.
    case sandbox(String)

    /// Where a request for `url` is really sent, or nil when it goes straight there.
    public func destination(for url: URL) -> (url: String, host: String)? {
        guard case .sandbox(let base) = self, let host = url.host, !Self.isLoopback(host) else { return nil }
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        components?.scheme = nil
        components?.host = nil
        components?.port = nil
        components?.user = nil
        components?.password = nil
        let pathAndQuery = components?.string ?? url.path
        var trimmedBase = base
        while trimmedBase.hasSuffix("/") { trimmedBase.removeLast() }
        let hostHeader = url.port.map { "\(host):\($0)" } ?? host
        return (trimmedBase + (pathAndQuery.hasPrefix("/") ? pathAndQuery : "/" + pathAndQuery), hostHeader)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }
}
