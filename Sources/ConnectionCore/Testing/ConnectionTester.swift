import ConnectorSchema
import Foundation

/// Tests a connection for real: resolves its answers through the connector file, fetches an
/// OAuth token when the connector says so, sends every applicable test request, judges each
/// by its success rule, and records every exchange, redacted, in the exchange log.
///
/// The outcome is decided by the first exchange that fails; when none does, by the last test
/// request ("Test succeeded: 200 OK in 84 ms").
public struct ConnectionTester: Sendable {
    public let client: ExchangeClient
    public let log: ExchangeLog

    public init(client: ExchangeClient, log: ExchangeLog) {
        self.client = client
        self.log = log
    }

    /// What is being tested.
    public struct Subject: Sendable {
        public var name: String
        /// Where the attempt is logged: the connection id, or `ExchangeLog.draftKey(for:)`.
        public var logKey: String
        public var schema: ConnectorSchema
        /// Every answer, secrets included (they never leave this process unredacted).
        public var values: [String: FieldValue]
        /// Tokens obtained by authorizing, for the grants that need them (a refresh token).
        public var credentials: ObtainedCredentials?

        public init(name: String, logKey: String, schema: ConnectorSchema, values: [String: FieldValue],
                    credentials: ObtainedCredentials? = nil) {
            self.name = name
            self.logKey = logKey
            self.schema = schema
            self.values = values
            self.credentials = credentials
        }
    }

    /// Runs the test and stores the attempt; throws only when the log cannot be written.
    public func run(_ subject: Subject, now: Date = Date()) async throws -> (attempt: TestAttempt, number: Int) {
        let slot = try log.begin(key: subject.logKey, at: now)
        TraceClock.mark("log begun")
        var run = Run(subject: subject, client: client, folder: slot.folder)
        let outcome = await run.execute()
        TraceClock.mark("executed")
        let attempt = TestAttempt(id: slot.id, connectionName: subject.name, connectorID: subject.schema.id,
                                  startedAt: now, finishedAt: Date(), sandboxed: client.options.route != .direct,
                                  outcome: outcome, exchanges: run.exchanges)
        try log.finish(attempt, in: slot)
        TraceClock.mark("log finished")
        return (attempt, slot.number)
    }

    /// The state of one attempt while it runs.
    struct Run {
        let subject: Subject
        let client: ExchangeClient
        let folder: URL
        var redactor: Redactor
        var exchanges: [Exchange] = []

        init(subject: Subject, client: ExchangeClient, folder: URL) {
            self.subject = subject
            self.client = client
            self.folder = folder
            var secrets: [String] = []
            for field in subject.schema.fields {
                guard let value = subject.values[field.id] else { continue }
                for part in field.kind.parts where part.isSecret {
                    if let text = value.part(part.id), !text.isEmpty { secrets.append(text) }
                }
            }
            if let credentials = subject.credentials { secrets += credentials.tokens.values }
            redactor = Redactor(secrets: secrets)
        }

        mutating func execute() async -> TestOutcome {
            let settings: HTTPSettings
            do {
                settings = try ConnectionResolver.resolve(schema: subject.schema, values: subject.values)
            } catch {
                return TestOutcome(kind: .notSent, line: "Not tested: \(error)")
            }
            var base = settings.baseURI
            var authHeaders: [HeaderField] = []
            var queryAuth: (String, String)?
            var tokenHosts: [String]?

            switch settings.auth {
            case .header(let name, let scheme, let value):
                redactor.addCredentialHeader(name)
                if value.isEmpty { return TestOutcome(kind: .notSent, line: "Not tested: the credential for the \(name) header is empty") }
                authHeaders.append(HeaderField(name, scheme.map { "\($0) \(value)" } ?? value))
            case .basic(let username, let password):
                let encoded = Data("\(username):\(password)".utf8).base64EncodedString()
                redactor.add(encoded)
                authHeaders.append(HeaderField("Authorization", "Basic \(encoded)"))
            case .query(let parameter, let value):
                queryAuth = (parameter, value)
            case .oauth2(let oauth):
                // Refuse before asking for a token when a test would carry it off-limits.
                if oauth.tokenBaseURI == nil, let refusal = offLimits(settings.tests.map { ConnectionResolver.join(base, $0.path) }, oauth: oauth, base: base) {
                    return refusal
                }
                switch await token(oauth, base: base) {
                case .failure(let outcome):
                    return outcome
                case .success(let token):
                    authHeaders.append(HeaderField("Authorization", "\(token.type) \(token.accessToken)"))
                    if let instance = token.baseURI {
                        base = instance
                        while base.hasSuffix("/") { base.removeLast() }
                    }
                    tokenHosts = Self.allowedHosts(oauth, base: base)
                }
            case nil:
                break
            }

            var last: ExchangeResult?
            for test in settings.tests {
                var url = ConnectionResolver.join(base, test.path)
                if let (name, value) = queryAuth {
                    url += (url.contains("?") ? "&" : "?") + OutgoingRequest.formEncode(name) + "=" + OutgoingRequest.formEncode(value)
                }
                if let tokenHosts, let refusal = Self.refusal(url, allowed: tokenHosts) { return refusal }
                var headers = [HeaderField("Accept", "application/json")] + authHeaders
                for (name, value) in test.headers.sorted(by: { $0.key < $1.key }) { headers.append(HeaderField(name, value)) }
                let request = OutgoingRequest(purpose: test.name, method: test.method, url: url, headers: headers,
                                              body: test.body.map { Data($0.utf8) },
                                              contentType: test.body == nil ? nil : "application/json")
                let result = await send(request)
                if let outcome = judge(result, rule: test.success, explain: test.explain, step: nil) { return outcome }
                last = result
            }
            guard let last, let response = last.exchange.response else {
                return TestOutcome(kind: .notSent, line: "Not tested: the connector declares no test request")
            }
            let total = exchanges.reduce(0) { $0 + $1.timings.total }
            return TestOutcome(kind: .succeeded,
                               line: "Test succeeded: \(response.status) \(response.statusText) in \(ElapsedTime.text(milliseconds: total))",
                               status: response.status, exchangeIndex: last.exchange.index)
        }

        /// Hosts an access token may go to: the declared ones, else the base URI's.
        static func allowedHosts(_ oauth: OAuth2Settings, base: String) -> [String] {
            oauth.allowedHosts.isEmpty ? [URL(string: base)?.host?.lowercased() ?? ""] : oauth.allowedHosts
        }

        func offLimits(_ urls: [String], oauth: OAuth2Settings, base: String) -> TestOutcome? {
            let allowed = Self.allowedHosts(oauth, base: base)
            return urls.lazy.compactMap { Self.refusal($0, allowed: allowed) }.first
        }

        /// The outcome when `url`'s host is not one the token may go to.
        static func refusal(_ url: String, allowed: [String]) -> TestOutcome? {
            guard let host = URL(string: url)?.host?.lowercased(),
                  !allowed.contains(where: { host == $0 || host.hasSuffix("." + $0) }) else { return nil }
            return TestOutcome(kind: .notSent,
                               line: "Not sent: \(host) is not among the valid domain names (\(allowed.joined(separator: ", "))), so no OAuth token was sent there",
                               hint: "Add the host to Valid domain names if it belongs to you, or correct the domain.")
        }

        /// Sends a request (and its redirects), keeping every exchange.
        mutating func send(_ request: OutgoingRequest) async -> ExchangeResult {
            let results = await client.perform(request, firstIndex: exchanges.count + 1, redactor: redactor, folder: folder)
            exchanges.append(contentsOf: results.map(\.exchange))
            return results[results.count - 1]
        }

        // MARK: OAuth 2.0

        struct Token {
            var accessToken: String
            var type: String
            var baseURI: String?
        }

        enum TokenResult {
            case success(Token)
            case failure(TestOutcome)
        }

        mutating func token(_ oauth: OAuth2Settings, base: String) async -> TokenResult {
            var fields: [(String, String)] = []
            var headers: [HeaderField] = []
            switch oauth.grant {
            case .clientCredentials:
                fields.append(("grant_type", "client_credentials"))
                if !oauth.scopes.isEmpty { fields.append(("scope", oauth.scopes.joined(separator: oauth.scopeDelimiter))) }
            case .jwtBearer:
                let assertion: String
                do {
                    assertion = try JWTAssertion.make(keyFile: oauth.privateKeyFile ?? "", issuer: oauth.clientId,
                                                      subject: oauth.username ?? "", audience: oauth.audience ?? base)
                } catch {
                    return .failure(TestOutcome(kind: .notSent, line: "Not sent: \(error)"))
                }
                redactor.add(assertion)
                fields.append(("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"))
                fields.append(("assertion", assertion))
            case .authorizationCode, .refreshToken:
                guard let refresh = subject.credentials?.refreshToken, !refresh.isEmpty else {
                    return .failure(TestOutcome(kind: .notSent, line: "Not authorized yet: this connection signs in through a browser; choose Save & authorize first, then test"))
                }
                redactor.add(refresh)
                fields.append(("grant_type", "refresh_token"))
                fields.append(("refresh_token", refresh))
            }
            if oauth.grant != .jwtBearer {
                if oauth.clientAuth == "body" || oauth.clientSecret == nil {
                    fields.append(("client_id", oauth.clientId))
                    if let secret = oauth.clientSecret { fields.append(("client_secret", secret)) }
                } else {
                    let encoded = Data("\(OutgoingRequest.formEncode(oauth.clientId)):\(OutgoingRequest.formEncode(oauth.clientSecret ?? ""))".utf8).base64EncodedString()
                    redactor.add(encoded)
                    headers.append(HeaderField("Authorization", "Basic \(encoded)"))
                }
            }
            let result = await send(.form(purpose: "Token request", url: oauth.tokenURL, fields: fields, headers: headers))
            if let outcome = judge(result, rule: SuccessRule(status: [200]), explain: [:], step: "Token request") {
                return .failure(outcome)
            }
            guard let body = result.body,
                  let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
                  let accessToken = object["access_token"] as? String, !accessToken.isEmpty else {
                return .failure(TestOutcome(kind: .unreadableResponse,
                                            line: "Token request failed: the token endpoint answered 200 but with no access_token",
                                            status: 200, exchangeIndex: result.exchange.index))
            }
            redactor.add(accessToken)
            if let refresh = object["refresh_token"] as? String { redactor.add(refresh) }
            let type = (object["token_type"] as? String).map { $0.lowercased() == "bearer" ? "Bearer" : $0 } ?? "Bearer"
            let instance = oauth.tokenBaseURI.flatMap { object[$0] as? String }
            return .success(Token(accessToken: accessToken, type: type, baseURI: instance))
        }

        // MARK: Judging

        /// The outcome when `result` fails (nil when it passes).
        func judge(_ result: ExchangeResult, rule: SuccessRule, explain: [Int: String], step: String?) -> TestOutcome? {
            let index = result.exchange.index
            if let failure = result.failure {
                return TestOutcome(kind: failure.kind, line: Self.line(for: failure, step: step), exchangeIndex: index)
            }
            guard let response = result.exchange.response else {
                return TestOutcome(kind: .network, line: "\(step ?? "Test") failed: no response", exchangeIndex: index)
            }
            let statusText = "\(response.status) \(response.statusText)"
            let message = result.body.flatMap(ServiceMessage.from).map { ServiceMessage.shown($0, redactor: redactor) }
            let quoted = message.map { " — “\($0)”" } ?? ""
            switch SuccessJudge.judge(status: response.status, body: result.body, bodySize: result.bodySize, rule: rule) {
            case .pass:
                return nil
            case .ruleFailed(let why, let serviceMessage):
                let shown = serviceMessage.map { ServiceMessage.shown($0, redactor: redactor) }
                let said = shown.map { ": “\($0)”" } ?? ""
                return TestOutcome(kind: .ruleFailed, line: "\(step ?? "Test") failed: \(statusText), but \(why)\(said)",
                                   status: response.status, serviceMessage: shown, exchangeIndex: index)
            case .unreadable(let why):
                return TestOutcome(kind: .unreadableResponse, line: "\(step ?? "Test") failed: \(statusText), but \(why)",
                                   status: response.status, exchangeIndex: index)
            case .badStatus:
                let status = response.status
                let prefix = step.map { "\($0) " } ?? ""
                let explained = explain[status]
                func outcome(_ kind: TestOutcome.Kind, _ line: String, hint: String?, retry: Int? = nil) -> TestOutcome {
                    TestOutcome(kind: kind, line: line + quoted, status: status, serviceMessage: message,
                                retryAfter: retry, exchangeIndex: index, hint: explained ?? hint)
                }
                switch status {
                case 401, 403:
                    let what = status == 401 ? "The credentials were rejected" : "Access denied"
                    return outcome(.rejected, "\(prefix.isEmpty ? what : prefix + "rejected"): \(statusText)", hint: nil)
                case 404:
                    return outcome(.notFound, "\(prefix.isEmpty ? "Not found" : prefix + "failed"): \(statusText) for \(result.exchange.path)",
                                   hint: "Check the domain, region or ID the address is built from.")
                case 429:
                    let retry = response.header("Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                    return outcome(.rateLimited, "\(prefix)Rate limited: \(statusText)" + (retry.map { ", retry after \($0) s" } ?? ""),
                                   hint: retry == nil ? "Wait a while before testing again." : "Wait \(retry!) s before testing again.", retry: retry)
                case 500...599:
                    return outcome(.serverError, "\(prefix)The service failed: \(statusText)", hint: "The fault is on the service's side; try again later.")
                default:
                    return outcome(.clientError, "\(prefix.isEmpty ? "The request was refused" : prefix + "refused"): \(statusText)", hint: nil)
                }
            }
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
            default: return "Network failure: \(prefix)\(failure.message)"
            }
        }
    }
}
