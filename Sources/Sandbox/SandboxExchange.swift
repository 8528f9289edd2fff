import Foundation

/// A request as the sandbox sees it, whatever server delivered it.
public struct SandboxRequest: Sendable {
    public var method: String
    /// Lowercased host without port: the service the caller meant (`api.eu.integrator.io`).
    public var host: String
    public var path: String
    public var query: [String: String]
    /// Lowercased names.
    public var headers: [String: String]
    public var body: Data

    public init(method: String, host: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: Data = Data()) {
        self.method = method.uppercased()
        self.host = host.lowercased()
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    /// Splits `path?query` and a `Host` header value.
    public init(method: String, hostHeader: String, target: String, headers: [String: String], body: Data) {
        var host = hostHeader
        if host.hasPrefix("["), let end = host.firstIndex(of: "]") {
            host = String(host[host.index(after: host.startIndex)..<end])
        } else if let colon = host.lastIndex(of: ":") {
            host = String(host[..<colon])
        }
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query: [String: String] = [:]
        if parts.count == 2 { query = Self.form(String(parts[1])) }
        self.init(method: method, host: host, path: String(parts[0]), query: query, headers: headers, body: body)
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body read as `a=1&b=2`.
    public var formFields: [String: String] { Self.form(String(decoding: body, as: UTF8.self)) }

    /// The body read as a JSON object.
    public var jsonObject: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }

    /// The token of `Authorization: Bearer …`.
    public var bearerToken: String? {
        guard let value = header("authorization"), value.lowercased().hasPrefix("bearer ") else { return nil }
        return String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    /// The user and password of `Authorization: Basic …`.
    public var basicCredentials: (String, String)? {
        guard let value = header("authorization"), value.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(value.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        return (Self.formDecoded(text[..<colon]), Self.formDecoded(text[text.index(after: colon)...]))
    }

    /// A form-encoded component as text (`+` is a space).
    static func formDecoded(_ part: Substring) -> String {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
    }

    public static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = formDecoded(kv[0])
            if fields[key] == nil { fields[key] = kv.count == 2 ? formDecoded(kv[1]) : "" }
        }
        return fields
    }
}

/// A response the sandbox gives.
public struct SandboxResponse: Sendable {
    public enum Body: Sendable {
        case data(Data)
        /// `count` bytes of filler (`x`, or every byte value when `binary`), streamed so the
        /// sandbox holds none of it.
        case stream(count: Int, binary: Bool)
        /// Never answers (until the client gives up or the sandbox stops).
        case hang
        /// `count` bytes of filler, one every `interval`: a server that drips.
        case drip(count: Int, interval: Duration)
        /// Promises `promised` bytes, sends `sent`, then drops the connection.
        case reset(sent: Int, promised: Int)
    }

    public var status: Int
    public var headers: [(String, String)]
    public var body: Body

    public init(status: Int, headers: [(String, String)] = [], body: Body = .data(Data())) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json(_ status: Int, _ object: Any, headers: [(String, String)] = []) -> SandboxResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return SandboxResponse(status: status, headers: [("Content-Type", "application/json;charset=UTF-8")] + headers, body: .data(data))
    }

    public static func text(_ status: Int, _ text: String, type: String = "text/plain; charset=utf-8") -> SandboxResponse {
        SandboxResponse(status: status, headers: [("Content-Type", type)], body: .data(Data(text.utf8)))
    }

    public static func empty(_ status: Int) -> SandboxResponse { SandboxResponse(status: status) }

    /// The body as data (streams and hangs read as empty).
    public var data: Data {
        if case .data(let data) = body { return data }
        return Data()
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}
