import Foundation

/// The cookies a login set, each sent back only where RFC 6265 §5.4 says: to its domain (the
/// host that set it, or that host's parent domain it named, and its subdomains), under its
/// path, and over https when it is `Secure`. Hand-written because Foundation's
/// `HTTPCookieStorage` is a process-wide store on Linux; see docs/architecture.md.
struct CookieJar: Sendable, Hashable {
    struct Cookie: Sendable, Hashable {
        var name: String
        var value: String
        var domain: String
        /// Set without a Domain attribute: sent to that host alone.
        var hostOnly: Bool
        var path: String
        var secure: Bool
    }

    private(set) var cookies: [Cookie] = []

    /// Takes the `Set-Cookie` values of a response to `url`; a cookie for a domain the host
    /// does not belong to is ignored, as a browser ignores it.
    mutating func take(_ headers: [String], from url: String) {
        guard let parsed = URL(string: url), let host = parsed.host?.lowercased() else { return }
        for header in headers {
            let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(pair[pair.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { continue }
            var cookie = Cookie(name: name, value: value, domain: host, hostOnly: true, path: Self.defaultPath(parsed.path), secure: false)
            var expired = false
            for attribute in parts.dropFirst() {
                let split = attribute.split(separator: "=", maxSplits: 1).map(String.init)
                let key = split[0].lowercased().trimmingCharacters(in: .whitespaces)
                let argument = split.count > 1 ? split[1].trimmingCharacters(in: .whitespaces) : ""
                switch key {
                case "domain":
                    var domain = argument.lowercased()
                    while domain.hasPrefix(".") { domain.removeFirst() }
                    guard !domain.isEmpty else { continue }
                    guard host == domain || host.hasSuffix("." + domain) else { expired = true; continue }
                    cookie.domain = domain
                    cookie.hostOnly = false
                case "path": if argument.hasPrefix("/") { cookie.path = argument }
                case "secure": cookie.secure = true
                case "max-age": if let seconds = Int(argument), seconds <= 0 { expired = true }
                default: break
                }
            }
            // A new value takes the old one's place, keeping its creation order (§5.3, step 11).
            if let old = cookies.firstIndex(where: { $0.name == cookie.name && $0.domain == cookie.domain && $0.path == cookie.path }) {
                if expired { cookies.remove(at: old) } else { cookies[old] = cookie }
            } else if !expired {
                cookies.append(cookie)
            }
        }
    }

    /// The `Cookie` header for a request to `url`, or nil when no cookie goes there.
    func header(for url: String) -> String? {
        guard let parsed = URL(string: url), let host = parsed.host?.lowercased() else { return nil }
        let path = parsed.path.isEmpty ? "/" : parsed.path
        let https = parsed.scheme?.lowercased() == "https"
        let matching = cookies.filter { cookie in
            let domainMatches = cookie.hostOnly ? host == cookie.domain : (host == cookie.domain || host.hasSuffix("." + cookie.domain))
            let pathMatches = path == cookie.path || (path.hasPrefix(cookie.path) && (cookie.path.hasSuffix("/") || path.dropFirst(cookie.path.count).hasPrefix("/")))
            return domainMatches && pathMatches && (https || !cookie.secure)
        }
        guard !matching.isEmpty else { return nil }
        // Longer paths first, then in the order the cookies were set (§5.4, step 2).
        let ordered = matching.enumerated().sorted { ($0.element.path.count, $1.offset) > ($1.element.path.count, $0.offset) }
        return ordered.map { "\($0.element.name)=\($0.element.value)" }.joined(separator: "; ")
    }

    /// RFC 6265 §5.1.4: the request path up to its last slash.
    static func defaultPath(_ path: String) -> String {
        guard path.hasPrefix("/"), let last = path.lastIndex(of: "/"), last != path.startIndex else { return "/" }
        return String(path[..<last])
    }
}
