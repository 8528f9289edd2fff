import AsyncHTTPClient
import Foundation
import NIOCore

/// Plays the operator's browser with a real HTTP client: opens a sign-in page, fills its form
/// (username and password), answers Allow or Deny, and reads where the service redirects,
/// without following it, so a test can visit the callback or paste the address instead.
public final class BrowserPlayer: Sendable {
    let client = HTTPClient(eventLoopGroupProvider: .singleton,
                            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(10))))

    public init() {}

    public func shutdown() async { try? await client.shutdown() }

    public struct Page: Sendable {
        public var status: Int
        public var location: String?
        public var body: String
    }

    public func get(_ url: String) async throws -> Page {
        try await send(HTTPClientRequest(url: url))
    }

    public func post(_ url: String, form: [(String, String)]) async throws -> Page {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: Self.encode(form)))
        return try await send(request)
    }

    func send(_ request: HTTPClientRequest) async throws -> Page {
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Page(status: Int(response.status.code), location: response.headers.first(name: "Location"), body: String(buffer: body))
    }

    public struct PlayError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Signs in at `url` and returns the address the service sends the browser back to.
    public func signIn(_ url: String, user: String, password: String, allow: Bool = true) async throws -> String {
        let login = try await get(url)
        guard login.status == 200, let action = Self.action(in: login.body, base: url) else {
            throw PlayError(description: "no sign-in form at \(url): \(login.status) \(login.body.prefix(300))")
        }
        let consent = try await post(action, form: Self.hiddenFields(in: login.body) + [("username", user), ("password", password)])
        guard let ticket = Self.hiddenFields(in: consent.body).first(where: { $0.0 == "ticket" })?.1,
              let next = Self.action(in: consent.body, base: url) else {
            throw PlayError(description: "no consent page: \(consent.status) \(consent.body.prefix(300))")
        }
        let answer = try await post(next, form: [("step", "consent"), ("ticket", ticket), ("decision", allow ? "allow" : "deny")])
        guard answer.status == 302, let location = answer.location else {
            throw PlayError(description: "no redirect after consent: \(answer.status) \(answer.body.prefix(300))")
        }
        return location
    }

    /// Enters a device's user code on the verification page.
    public func connectDevice(_ page: String, userCode: String, user: String, password: String, allow: Bool = true) async throws -> Page {
        let form = try await get(page)
        guard let action = Self.action(in: form.body, base: page) else { throw PlayError(description: "no verification form at \(page)") }
        return try await post(action, form: [("user_code", userCode), ("username", user), ("password", password), ("decision", allow ? "allow" : "deny")])
    }

    static func action(in html: String, base: String) -> String? {
        guard let range = html.range(of: #"<form method="post" action="([^"]*)""#, options: .regularExpression) else { return nil }
        let match = String(html[range])
        let action = unescape(String(match.dropFirst(#"<form method="post" action=""#.count).dropLast()))
        guard let baseURL = URL(string: base), let resolved = URL(string: action, relativeTo: baseURL) else { return nil }
        return resolved.absoluteString
    }

    static func hiddenFields(in html: String) -> [(String, String)] {
        let pattern = try! NSRegularExpression(pattern: #"<input type="hidden" name="([^"]*)" value="([^"]*)">"#)
        let text = html as NSString
        return pattern.matches(in: html, range: NSRange(location: 0, length: text.length)).map {
            (unescape(text.substring(with: $0.range(at: 1))), unescape(text.substring(with: $0.range(at: 2))))
        }
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    static func encode(_ form: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return form.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }
}
