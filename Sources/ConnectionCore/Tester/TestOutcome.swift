import Foundation

/// How a test ended, as one line for the top of the panel, plus the cause in machine form.
///
/// Every cause has its own kind and wording, so the operator can tell a wrong key (401) from
/// a wrong pool (404), a stalled server (timeout) from a dead one (refused), without the log.
public struct TestOutcome: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        case succeeded
        /// 401 or 403: the service did not accept the credentials or lacks a permission.
        case rejected
        /// 404: the resource the test names does not exist (domain, pool, region).
        case notFound
        /// 429.
        case rateLimited
        /// Any other 4xx.
        case clientError
        /// 5xx.
        case serverError
        /// The status passed but a success rule did not (an `errors` array, a missing field).
        case ruleFailed
        /// The body of a passing status could not be read as the rule needs (invalid JSON, too large).
        case unreadableResponse
        case timeout
        case connectTimeout
        case refused
        case dns
        case tls
        case redirectLoop
        /// The connection dropped or the server sent something that is not HTTP.
        case network
        /// The proxy in the way refused the request, or demanded credentials (407).
        case proxy
        /// Nothing was sent: the connection's answers cannot make a request (bad key file,
        /// a host outside the valid domains, no token yet).
        case notSent
        case cancelled
    }

    public var kind: Kind
    /// The whole status line: "Test succeeded: 200 OK in 84 ms".
    public var line: String
    /// The HTTP status of the exchange that decided the outcome, if any.
    public var status: Int?
    /// The service's own words from its error body, already redacted.
    public var serviceMessage: String?
    /// Seconds to wait before retrying, from Retry-After.
    public var retryAfter: Int?
    /// The index of the exchange that decided the outcome.
    public var exchangeIndex: Int?
    /// What the failure most likely means and what to check, from the connector file's
    /// `explain` or a general rule; shown under the status line.
    public var hint: String?
    /// What the operator should do next, when it is an action of connwiz's own: each front end
    /// words it in its own terms (a key in the panel, a command on the command line).
    public var next: NextStep?

    /// An action of connwiz's that follows an outcome.
    public enum NextStep: String, Codable, Hashable, Sendable {
        /// Sign in through a browser (or the device flow), then test again.
        case authorize
        /// Start the device sign-in again: its code expired before anyone signed in.
        case authorizeWithDevice
    }

    public init(kind: Kind, line: String, status: Int? = nil, serviceMessage: String? = nil,
                retryAfter: Int? = nil, exchangeIndex: Int? = nil, hint: String? = nil) {
        self.kind = kind
        self.line = line
        self.status = status
        self.serviceMessage = serviceMessage
        self.retryAfter = retryAfter
        self.exchangeIndex = exchangeIndex
        self.hint = hint
    }

    public var passed: Bool { kind == .succeeded }
}
