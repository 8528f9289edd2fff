import Foundation

/// Which proxy, if any, a request goes through: read from the variables curl reads, by
/// curl's rules (7.88, checked against curl itself by `ProxyCurlParityTests`), or given with
/// `--proxy URL`, or none at all with `--no-proxy`.
///
/// - `http_proxy` in lower case only (curl ignores `HTTP_PROXY`, which a CGI program would
///   take from a request's `Proxy:` header); `https_proxy` before `HTTPS_PROXY`; then
///   `all_proxy`, `ALL_PROXY`. A variable set but empty counts as unset.
/// - `no_proxy`, else `NO_PROXY`: `*` alone exempts everything; otherwise entries separated
///   by commas or blanks, each a host name that also matches its subdomains (one leading and
///   one trailing dot ignored, in the entry and in the host), or an address with an optional
///   CIDR length. As in curl, an entry with a port or a `*.` prefix matches nothing.
///
/// One deliberate difference: loopback hosts always go direct. The sandbox, the sign-in
/// listener and a test server on this machine are never handed to a proxy, whatever the
/// variables say (curl 7.88 would send them to it).
public struct ProxyPolicy: Sendable, Hashable {
    /// A proxy server: `http://[user:password@]host:port` or `socks5://host:port`.
    public struct Server: Sendable, Hashable, CustomStringConvertible {
        public enum Kind: String, Sendable, Hashable {
            case http
            case socks5
        }

        public var kind: Kind
        public var host: String
        public var port: Int
        public var user: String?
        /// Never shown: `description` leaves it out, and the log keeps only a fingerprint of
        /// the `Proxy-Authorization` header it becomes.
        public var password: String?

        /// Where the proxy is, without its credentials: `http://proxy.example:3128`, with
        /// “(with credentials)” when it has some.
        public var description: String {
            "\(kind.rawValue)://\(address)" + (user != nil ? " (with credentials)" : "")
        }

        /// `host:port`, an IPv6 host in brackets.
        public var address: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }

        /// Reads a proxy URL; a bare `host:port` is taken as http, as curl does.
        /// - Throws: `ProxyPolicy.Problem` naming what is wrong, never echoing a password.
        public init(parsing text: String, source: String) throws {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed
            guard let components = URLComponents(string: withScheme), let host = components.host, !host.isEmpty else {
                throw Problem("\(source) is not a proxy URL such as http://proxy.example:3128")
            }
            switch components.scheme?.lowercased() {
            case "http": kind = .http
            case "socks5", "socks5h": kind = .socks5
            case "https":
                throw Problem("\(source) names an https:// proxy; connwiz speaks to proxies in plain http (CONNECT still encrypts https requests end to end): use http://\(host)…")
            case let other:
                throw Problem("\(source) uses the scheme “\(other ?? "")”; connwiz reaches proxies over http:// or socks5://")
            }
            self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
            if let port = components.port {
                guard (1...65_535).contains(port) else { throw Problem("\(source) has port \(port), which is out of range") }
                self.port = port
            } else {
                port = 1080 // curl's default proxy port, for every scheme
            }
            user = components.percentEncodedUser.map { $0.removingPercentEncoding ?? $0 }
            password = components.percentEncodedPassword.map { $0.removingPercentEncoding ?? $0 }
            if kind == .socks5, user != nil {
                throw Problem("\(source): connwiz's SOCKS5 client has no user and password support; use an http:// proxy for that")
            }
        }

        public init(kind: Kind = .http, host: String, port: Int, user: String? = nil, password: String? = nil) {
            self.kind = kind
            self.host = host
            self.port = port
            self.user = user
            self.password = password
        }
    }

    /// A proxy setting that cannot be used, in words that name the variable or flag.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// One entry of `NO_PROXY`: a host (and its subdomains), an address or a CIDR block; or
    /// `*`, when it is the whole setting.
    public enum Exemption: Sendable, Hashable {
        case everything
        /// A host name suffix; `example.com` and `.example.com` both match `api.example.com`.
        case domain(String)
        /// An IPv4 block: `10.0.0.0/8`, or one address as /32.
        case ipv4(UInt32, prefix: Int)
        /// An IPv6 block: `fd00::/8`, or one address as /128.
        case ipv6([UInt8], prefix: Int)
    }

    /// The proxy for http URLs.
    public var http: Server?
    /// The proxy for https URLs (reached with CONNECT, so the request stays encrypted).
    public var https: Server?
    public var exemptions: [Exemption]

    public init(http: Server? = nil, https: Server? = nil, exemptions: [Exemption] = []) {
        self.http = http
        self.https = https
        self.exemptions = exemptions
    }

    /// No proxy at all (`--no-proxy`).
    public static let direct = ProxyPolicy()

    /// One proxy for every scheme (`--proxy URL`); `NO_PROXY` still applies, as with curl.
    public static func single(_ url: String, environment: [String: String]) throws -> ProxyPolicy {
        let server = try Server(parsing: url, source: "--proxy")
        return ProxyPolicy(http: server, https: server, exemptions: exemptions(from: environment))
    }

    /// The policy curl would follow in `environment`. The lower-case name wins over the
    /// upper-case one; `all_proxy` covers a scheme with no variable of its own.
    public static func from(environment: [String: String]) throws -> ProxyPolicy {
        func variable(_ names: String...) -> (name: String, value: String)? {
            for name in names {
                if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return (name, value) }
            }
            return nil
        }
        func server(_ found: (name: String, value: String)?) throws -> Server? {
            guard let found = found ?? variable("all_proxy", "ALL_PROXY") else { return nil }
            return try Server(parsing: found.value, source: "$\(found.name)")
        }
        return ProxyPolicy(http: try server(variable("http_proxy")), https: try server(variable("https_proxy", "HTTPS_PROXY")),
                           exemptions: exemptions(from: environment))
    }

    /// The entries of `no_proxy`, else `NO_PROXY` (one set but empty counts as unset):
    /// separated by commas or blanks; `*` as the whole setting exempts everything.
    static func exemptions(from environment: [String: String]) -> [Exemption] {
        let text = [environment["no_proxy"], environment["NO_PROXY"]].lazy.compactMap { $0 }.first { !$0.isEmpty } ?? ""
        if text == "*" { return [.everything] }
        return text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).compactMap { exemption(String($0)) }
    }

    static func exemption(_ entry: String) -> Exemption? {
        let text = entry.lowercased()
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        // curl's CIDR length: a missing or zero length means the whole address.
        func length(_ maximum: Int) -> Int? {
            guard parts.count == 2 else { return maximum }
            let digits = parts[1].prefix { $0.isASCII && $0.isNumber }
            let value = Int(digits) ?? 0
            return value == 0 ? maximum : value <= maximum ? value : nil
        }
        if let address = ipv4(String(parts[0])) {
            return length(32).map { .ipv4(address, prefix: $0) }
        }
        if let address = ipv6(String(parts[0])) {
            return length(128).map { .ipv6(address, prefix: $0) }
        }
        var name = Substring(text)
        if name.hasSuffix(".") { name.removeLast() }
        if name.hasPrefix(".") { name.removeFirst() }
        return name.isEmpty ? nil : .domain(String(name))
    }

    static func ipv6(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: address) { Array($0) }
    }

    static func ipv4(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    /// The proxy a request for `url` goes through, or nil to go direct.
    public func server(for url: URL) -> Server? {
        guard let host = url.host?.lowercased(), let scheme = url.scheme?.lowercased() else { return nil }
        let chosen: Server?
        switch scheme {
        case "https": chosen = https
        case "http": chosen = http
        default: chosen = nil
        }
        guard let chosen, !Self.isLoopback(host) else { return nil }
        return exempts(host: host) ? nil : chosen
    }

    func exempts(host: String) -> Bool {
        var bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let v4 = Self.ipv4(bare), v6 = Self.ipv6(bare)
        if v4 == nil && v6 == nil && bare.hasSuffix(".") { bare.removeLast() }
        for exemption in exemptions {
            switch exemption {
            case .everything:
                return true
            case .domain(let suffix):
                if v4 == nil && v6 == nil && (bare == suffix || bare.hasSuffix("." + suffix)) { return true }
            case .ipv4(let block, let prefix):
                guard let v4 else { continue }
                let mask: UInt32 = ~UInt32(0) << (32 - prefix)
                if v4 & mask == block & mask { return true }
            case .ipv6(let block, let prefix):
                guard let v6 else { continue }
                var left = prefix, index = 0, same = true
                while left > 0 && same {
                    let bits = min(8, left)
                    let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
                    same = v6[index] & mask == block[index] & mask
                    left -= bits
                    index += 1
                }
                if same { return true }
            }
        }
        return false
    }

    /// `localhost`, `*.localhost`, 127.0.0.0/8 and ::1: always reached directly.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        if bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" { return true }
        if let address = ipv4(bare) { return address >> 24 == 127 }
        return false
    }
}
