import Foundation
import NIOSSL

/// A request the core is about to send, with its secrets still in it (it never leaves memory
/// unredacted).
public struct OutgoingRequest: Sendable {
    public var purpose: String
    public var method: String
    public var url: String
    public var headers: [HeaderField]
    public var body: Data?
    public var contentType: String?
    /// The body holds a credential (a client secret, a code, a connection document with its
    /// token): a 307 or 308 to another origin is then refused instead of re-sending it.
    public var bodyCarriesCredential: Bool
    /// Signs the request as it goes out, and each same-origin redirect hop again (OAuth 1.0a,
    /// AWS SigV4, WSSE, Digest); nil for schemes whose headers are fixed.
    public var signer: (any RequestSigner)?
    /// The TLS settings of this request when they differ from the client's (a client
    /// certificate, a connection's own CA file).
    public var tls: TLSConfiguration?

    public init(purpose: String, method: String, url: String, headers: [HeaderField] = [], body: Data? = nil, contentType: String? = nil,
                bodyCarriesCredential: Bool = false) {
        self.purpose = purpose
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.contentType = contentType
        self.bodyCarriesCredential = bodyCarriesCredential
    }

    /// A form-encoded POST (OAuth token requests).
    public static func form(purpose: String, url: String, fields: [(String, String)], headers: [HeaderField] = []) -> OutgoingRequest {
        let body = fields.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
        return OutgoingRequest(purpose: purpose, method: "POST", url: url,
                               headers: headers + [HeaderField("Accept", "application/json")],
                               body: Data(body.utf8), contentType: "application/x-www-form-urlencoded",
                               bodyCarriesCredential: fields.contains { Redactor.secretNames.contains($0.0.lowercased()) })
    }

    static func formEncode(_ text: String) -> String {
        (text.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? text).replacingOccurrences(of: "%20", with: "+")
    }
}

/// What one exchange produced: the log record and, for judging, the raw body when it is small.
public struct ExchangeResult: Sendable {
    public var exchange: Exchange
    /// Why no response came, when none did.
    public var failure: TransportFailure?
    /// The raw body when it fits in `ExchangeClient.judgeLimit`; nil when larger or absent.
    public var body: Data?
    public var bodySize: Int
    /// The Location header as received, for following a redirect (the log keeps it redacted).
    var location: String?
    /// The `WWW-Authenticate` challenges as received, for a scheme that answers them (Digest).
    public var challenges: [String] = []
    /// The URL the request went to, unredacted (the exchange keeps it redacted).
    public var requestURL: String = ""
    /// The `Set-Cookie` values as received, for a login that starts a session.
    public var setCookies: [String] = []

    public var status: Int? { exchange.response?.status }
}

/// A request that ended without a response, classified.
public struct TransportFailure: Error, Sendable, Hashable {
    public var kind: TestOutcome.Kind
    /// Says what happened in words, naming the host: "connection refused by 127.0.0.1:9".
    public var message: String

    public init(_ kind: TestOutcome.Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
