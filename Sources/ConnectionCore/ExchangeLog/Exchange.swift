import Foundation

/// One HTTP request and its response (or the error that ended it), as the View log shows it.
///
/// Everything here is already redacted: header values of credentials, sensitive query and
/// body fields, and any value equal to a secret of the connection read `sha256:1a2b3c4d…`.
/// Response bodies live in a file beside the attempt, so a 100 MB answer is never in memory.
public struct Exchange: Codable, Hashable, Sendable {
    /// Position in the attempt, from 1.
    public var index: Int
    /// Why it was sent: "Token request", or the connector's name for the test request.
    public var purpose: String
    public var startedAt: Date
    public var method: String
    /// The URL the connection names (redacted), even when the sandbox answered it.
    public var url: String
    /// Where it really went when the sandbox stood in for the service (`http://127.0.0.1:…`).
    public var sandboxURL: String?
    /// The proxy the request went through, without its credentials
    /// (`http://proxy.example:3128`); nil when it went direct.
    public var proxy: String?
    public var httpVersion: String
    public var requestHeaders: [HeaderField]
    public var requestBody: BodyRecord?
    public var response: ResponseRecord?
    public var timings: Timings
    /// What ended the exchange without a response, in words (timeout, refused, TLS …).
    public var error: String?

    public var sandboxed: Bool { sandboxURL != nil }

    public init(index: Int, purpose: String, startedAt: Date, method: String, url: String, sandboxURL: String?,
                httpVersion: String = "HTTP/1.1", requestHeaders: [HeaderField], requestBody: BodyRecord?,
                response: ResponseRecord? = nil, timings: Timings = Timings(), error: String? = nil) {
        self.index = index
        self.purpose = purpose
        self.startedAt = startedAt
        self.method = method
        self.url = url
        self.sandboxURL = sandboxURL
        self.httpVersion = httpVersion
        self.requestHeaders = requestHeaders
        self.requestBody = requestBody
        self.response = response
        self.timings = timings
        self.error = error
    }

    /// The path and query of `url`, for one-line lists.
    public var path: String {
        guard let components = URLComponents(string: url) else { return url }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        return components.percentEncodedQuery.map { path + "?" + $0 } ?? path
    }
}

/// A header as it went over the wire (value redacted where it carries a credential).
public struct HeaderField: Codable, Hashable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A response: status line, headers and where its (redacted) body is.
public struct ResponseRecord: Codable, Hashable, Sendable {
    public var status: Int
    public var statusText: String
    public var httpVersion: String
    public var headers: [HeaderField]
    public var body: BodyRecord

    public init(status: Int, statusText: String, httpVersion: String, headers: [HeaderField], body: BodyRecord) {
        self.status = status
        self.statusText = statusText
        self.httpVersion = httpVersion
        self.headers = headers
        self.body = body
    }

    /// The value of the first header named `name`, ignoring case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A body: its size on the wire and its redacted text, inline when small or in a file.
public struct BodyRecord: Codable, Hashable, Sendable {
    /// Bytes on the wire, before redaction.
    public var size: Int
    public var mimeType: String?
    /// Redacted text of a small body (requests are always inline).
    public var text: String?
    /// File name, in the attempt's folder, holding the redacted body.
    public var file: String?
    /// True when the body did not arrive whole (the exchange failed part way).
    public var incomplete: Bool
    /// How many bytes of a body larger than the log keeps were kept: the rest arrived and was
    /// counted in `size`, but not written. Nil when the body was kept whole.
    public var keptBytes: Int?

    public init(size: Int, mimeType: String?, text: String? = nil, file: String? = nil, incomplete: Bool = false, keptBytes: Int? = nil) {
        self.size = size
        self.mimeType = mimeType
        self.text = text
        self.file = file
        self.incomplete = incomplete
        self.keptBytes = keptBytes
    }

    public var isEmpty: Bool { size == 0 }
}

/// Milliseconds spent in each phase, measured from the moment the request was handed over.
public struct Timings: Codable, Hashable, Sendable {
    /// Until the request had gone out (connecting, TLS and sending).
    public var send: Double?
    /// From the request sent to the first byte of the response.
    public var wait: Double?
    /// From the first byte to the last.
    public var receive: Double?
    /// From start to end, whatever ended it.
    public var total: Double
    /// From start to the first byte of the response.
    public var firstByte: Double?

    public init(send: Double? = nil, wait: Double? = nil, receive: Double? = nil, total: Double = 0, firstByte: Double? = nil) {
        self.send = send
        self.wait = wait
        self.receive = receive
        self.total = total
        self.firstByte = firstByte
    }
}
