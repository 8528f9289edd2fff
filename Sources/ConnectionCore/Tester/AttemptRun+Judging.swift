import ConnectorSchema
import Foundation

/// Judging an exchange: the outcome, in the operator's words, when a response fails its
/// success rule or the request never got one.
extension AttemptRun {
    /// The outcome when `result` fails (nil when it passes). The service's own message is
    /// quoted whenever the body holds one: at `errorPath` when the connector names it, else
    /// wherever the usual error shapes put it.
    func judge(_ result: ExchangeResult, rule: SuccessRule, errorPath: String? = nil, errorHeader: String? = nil,
               explain: FailureExplanation = FailureExplanation(), step: String?) -> TestOutcome? {
        let index = result.exchange.index
        if let failure = result.failure {
            return TestOutcome(kind: failure.kind, line: Self.line(for: failure, step: step), exchangeIndex: index)
        }
        guard let response = result.exchange.response else {
            return TestOutcome(kind: .network, line: "\(step ?? "Test") failed: no response", exchangeIndex: index)
        }
        let statusText = "\(response.status) \(response.statusText)"
        let verdict = SuccessJudge.judge(status: response.status, headers: response.headers.map { ($0.name, $0.value) }, body: result.body, bodySize: result.bodySize, rule: rule)
        // A passing status carries a body of success: only a message its JSON holds is quoted.
        let fromHeader = verdict == .pass ? nil : errorHeader.flatMap { response.header($0) }.map { ServiceText.printable($0) }
        let message = (result.body.flatMap { ServiceMessage.from($0, at: errorPath, plainText: verdict == .badStatus) } ?? fromHeader)
            .map { ServiceMessage.shown($0, redactor: redactor) }
        let quoted = message.map { " — “\($0)”" } ?? ""
        switch verdict {
        case .pass:
            return nil
        case .ruleFailed(let why):
            return TestOutcome(kind: .ruleFailed, line: "\(step ?? "Test") failed: \(statusText), but \(why)\(quoted)",
                               status: response.status, serviceMessage: message, exchangeIndex: index,
                               hint: explain.text(status: response.status, ruleFailed: true))
        case .unreadable(let why):
            return TestOutcome(kind: .unreadableResponse, line: "\(step ?? "Test") failed: \(statusText), but \(why)",
                               status: response.status, exchangeIndex: index,
                               hint: explain.text(status: response.status, ruleFailed: true))
        case .badStatus:
            let status = response.status
            let prefix = step.map { "\($0) " } ?? ""
            let explained = explain.text(status: status, ruleFailed: false)
            func outcome(_ kind: TestOutcome.Kind, _ line: String, hint: String?, retry: Int? = nil) -> TestOutcome {
                TestOutcome(kind: kind, line: line + quoted, status: status, serviceMessage: message,
                            retryAfter: retry, exchangeIndex: index, hint: explained ?? hint)
            }
            switch status {
            case 403 where Self.rateLimitSpent(response):
                // GitHub and others answer a spent rate limit with 403, not 429: the header
                // tells it apart from a permission refusal.
                let reset = Self.rateLimitReset(response)
                return outcome(.rateLimited, "\(prefix)Rate limited: \(statusText) (X-RateLimit-Remaining: 0)",
                               hint: reset.map { "The rate limit resets at \($0); test again after that." } ?? "Wait for the rate limit to reset before testing again.")
            case 401, 403:
                let what = status == 401 ? "The credentials were rejected" : "Access denied"
                return outcome(.rejected, "\(prefix.isEmpty ? what : prefix + "rejected"): \(statusText)", hint: nil)
            case 404:
                return outcome(.notFound, "\(prefix.isEmpty ? "Not found" : prefix + "failed"): \(statusText) for \(result.exchange.path)",
                               hint: "Check the domain, region or ID the address is built from.")
            case 407:
                return outcome(.proxy, "\(prefix)The proxy demands authentication: \(statusText)",
                               hint: ExchangeClient.proxyCredentialsHint)
            case 429:
                // Seconds, whole (RFC 9110) or not (Shopify sends 2.0), rounded up.
                let retry = response.header("Retry-After").flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
                    .flatMap { $0.isFinite && $0 >= 0 && $0 < 1e9 ? Int($0.rounded(.up)) : nil }
                return outcome(.rateLimited, "\(prefix)Rate limited: \(statusText)" + (retry.map { ", retry after \($0) s" } ?? ""),
                               hint: retry == nil ? "Wait a while before testing again." : "Wait \(retry!) s before testing again.", retry: retry)
            case 500...599:
                return outcome(.serverError, "\(prefix)The service failed: \(statusText)", hint: "The fault is on the service's side; try again later.")
            default:
                return outcome(.clientError, "\(prefix.isEmpty ? "The request was refused" : prefix + "refused"): \(statusText)", hint: nil)
            }
        }
    }

    /// Whether a response says its rate limit is spent (`X-RateLimit-Remaining: 0`, or the
    /// IETF draft's `RateLimit-Remaining`).
    static func rateLimitSpent(_ response: ResponseRecord) -> Bool {
        ["X-RateLimit-Remaining", "RateLimit-Remaining"].contains { response.header($0)?.trimmingCharacters(in: .whitespaces) == "0" }
    }

    /// When the limit resets, in UTC, from `X-RateLimit-Reset` (seconds since 1970, as GitHub sends it).
    static func rateLimitReset(_ response: ResponseRecord) -> String? {
        guard let text = response.header("X-RateLimit-Reset"), let seconds = Double(text.trimmingCharacters(in: .whitespaces)),
              seconds > 1_000_000_000 else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    static func line(for failure: TransportFailure, step: String?) -> String {
        let prefix = step.map { "\($0): " } ?? ""
        switch failure.kind {
        case .timeout: return "Timed out: \(prefix)\(failure.message)"
        case .connectTimeout: return "Cannot connect: \(prefix)\(failure.message)"
        case .refused: return "Cannot connect: \(prefix)\(failure.message)"
        case .dns: return "Host not found: \(prefix)\(failure.message)"
        case .tls: return "TLS failure: \(prefix)\(failure.message)"
        case .redirectLoop: return "Redirect loop: \(prefix)\(failure.message)"
        case .cancelled: return "Cancelled: \(prefix)the test was stopped before it finished"
        case .notSent: return "Not sent: \(prefix)\(failure.message)"
        case .proxy: return "Proxy failure: \(prefix)\(failure.message)"
        default: return "Network failure: \(prefix)\(failure.message)"
        }
    }
}
