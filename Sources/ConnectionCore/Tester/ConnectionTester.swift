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
    /// The time: when a held token expires, when a device code runs out, when an attempt ends.
    /// Injected, so tests move it instead of sleeping.
    public let clock: @Sendable () -> Date

    public init(client: ExchangeClient, log: ExchangeLog, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.log = log
        self.clock = clock
    }

    /// What is being tested.
    public struct Subject: Sendable {
        public var name: String
        /// Where the attempt is logged: the connection id, or a draft id (`ExchangeLog.newDraftID()`).
        public var logKey: String
        public var schema: ConnectorSchema
        /// Every answer, secrets included (they never leave this process unredacted).
        public var values: [String: FieldValue]
        /// Tokens obtained by authorizing, for the grants that need them (a refresh token).
        public var credentials: ObtainedCredentials?
        /// A sign-in to finish first: a code to exchange, or a device to sign in.
        public var authorization: Authorization?

        public init(name: String, logKey: String, schema: ConnectorSchema, values: [String: FieldValue],
                    credentials: ObtainedCredentials? = nil, authorization: Authorization? = nil) {
            self.name = name
            self.logKey = logKey
            self.schema = schema
            self.values = values
            self.credentials = credentials
            self.authorization = authorization
        }
    }

    /// How a browser grant gets its first tokens in this attempt.
    public enum Authorization: Sendable {
        /// Exchange the code the browser came back with (authorization-code grant with PKCE).
        case code(String, verifier: String, redirectURI: String)
        /// Sign a device in (RFC 8628): `prompt` shows the user code and where to enter it.
        case device(prompt: @Sendable (DeviceSignInEvent) -> Void)
    }

    /// A finished attempt, and what it learned about the connection's tokens.
    public struct Finished: Sendable {
        public var attempt: TestAttempt
        public var number: Int
        /// Tokens obtained during the attempt (a code exchange, a device sign-in or a refresh),
        /// to be stored in place of those held; nil when none were.
        public var obtained: ObtainedCredentials?
        /// The service refused the refresh token (`invalid_grant`): the tokens held are
        /// worthless and the connection must be authorized again.
        public var authorizationLost: Bool
        /// The refresh token that was refused, when one was.
        public var refusedRefreshToken: String?
    }

    /// Runs the test and stores the attempt; throws only when the log cannot be written.
    public func run(_ subject: Subject) async throws -> (attempt: TestAttempt, number: Int) {
        let finished = try await perform(subject)
        return (finished.attempt, finished.number)
    }

    /// Runs the test (and the sign-in it finishes) and stores the attempt.
    public func perform(_ subject: Subject) async throws -> Finished {
        let now = clock()
        let slot = try log.begin(key: subject.logKey, at: now)
        TraceClock.mark("log begun")
        var run = Run(subject: subject, client: client, folder: slot.folder, clock: clock)
        let outcome = await run.execute()
        TraceClock.mark("executed")
        let attempt = TestAttempt(id: slot.id, connectionName: subject.name, connectorID: subject.schema.id,
                                  startedAt: now, finishedAt: clock(), sandboxed: client.options.route != .direct,
                                  outcome: outcome, exchanges: run.exchanges)
        try log.finish(attempt, in: slot)
        TraceClock.mark("log finished")
        return Finished(attempt: attempt, number: slot.number, obtained: run.obtained, authorizationLost: run.authorizationLost,
                        refusedRefreshToken: run.refusedRefreshToken)
    }

    /// The state of one attempt while it runs.
    struct Run {
        let subject: Subject
        let client: ExchangeClient
        let folder: URL
        let clock: @Sendable () -> Date
        var redactor: Redactor
        var exchanges: [Exchange] = []
        /// Tokens this attempt obtained, to be stored.
        var obtained: ObtainedCredentials?
        var authorizationLost = false
        /// The refresh token the service refused, to forget only if it is still the one held.
        var refusedRefreshToken: String?
        /// The access token came from the store, so a 401 may mean it expired: refresh once.
        var mayRefresh = false

        init(subject: Subject, client: ExchangeClient, folder: URL, clock: @escaping @Sendable () -> Date) {
            self.clock = clock
            self.subject = subject
            self.client = client
            self.folder = folder
            var secrets = subject.schema.secretTexts(in: subject.values)
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
            var renewal: OAuth2Settings?

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
                    renewal = oauth
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
                var headers = Self.defaultHeaders.filter { header in
                    !test.headers.keys.contains { $0.lowercased() == header.name.lowercased() }
                } + authHeaders
                for (name, value) in test.headers.sorted(by: { $0.key < $1.key }) { headers.append(HeaderField(name, value)) }
                var request = OutgoingRequest(purpose: test.name, method: test.method, url: url, headers: headers,
                                              body: test.body.map { Data($0.utf8) },
                                              contentType: test.body == nil ? nil : "application/json")
                var result = await send(request)
                if result.status == 401, mayRefresh, let oauth = renewal {
                    // A stored access token that expired, or was revoked: refresh once, retry once.
                    mayRefresh = false
                    switch await refresh(oauth) {
                    case .failure(let outcome): return outcome
                    case .success(let token):
                        let header = HeaderField("Authorization", "\(token.type) \(token.accessToken)")
                        authHeaders = authHeaders.filter { $0.name.lowercased() != "authorization" } + [header]
                        request.headers = request.headers.filter { $0.name.lowercased() != "authorization" } + [header]
                        request.purpose = test.name + " (again, with the renewed token)"
                        result = await send(request)
                    }
                }
                if let outcome = judge(result, rule: test.success, errorPath: test.errorPath, explain: test.explain, step: nil) { return outcome }
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

        /// Headers every test request carries unless the connector sets one of the same name
        /// (in any case), which then replaces it.
        static let defaultHeaders = [HeaderField("Accept", "application/json")]

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
                                                      subject: oauth.username ?? "", audience: oauth.audience ?? base, now: clock())
                } catch {
                    return .failure(TestOutcome(kind: .notSent, line: "Not sent: \(error)"))
                }
                redactor.add(assertion)
                fields.append(("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"))
                fields.append(("assertion", assertion))
            case .authorizationCode, .refreshToken:
                switch subject.authorization {
                case .code(let code, let verifier, let redirectURI)?:
                    redactor.add(code)
                    redactor.add(verifier)
                    fields += [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", verifier)]
                case .device(let prompt)?:
                    return await deviceToken(oauth, prompt: prompt)
                case nil:
                    if let held = subject.credentials, let access = held.accessToken, !access.isEmpty,
                       (held.expiresAt ?? .distantFuture) > clock().addingTimeInterval(30) {
                        // The access token held is still good: no token request at all.
                        mayRefresh = held.refreshToken?.isEmpty == false
                        return .success(Token(accessToken: access, type: "Bearer", baseURI: held.instanceURL))
                    }
                    return await refresh(oauth)
                }
            }
            if oauth.grant != .jwtBearer { authenticateClient(oauth, fields: &fields, headers: &headers) }
            let purpose = subject.authorization == nil ? "Token request" : "Token request (authorization code)"
            let result = await send(.form(purpose: purpose, url: oauth.tokenURL, fields: fields, headers: headers))
            if let outcome = judge(result, rule: SuccessRule(status: [200]), step: "Token request") {
                return .failure(outcome)
            }
            return read(result, oauth: oauth, keeps: subject.authorization != nil)
        }

        /// Adds the client's id and secret to a token request, as the connector says.
        mutating func authenticateClient(_ oauth: OAuth2Settings, fields: inout [(String, String)], headers: inout [HeaderField]) {
            if oauth.sendsClientInBody {
                fields.append(("client_id", oauth.clientId))
                if let secret = oauth.clientSecret { fields.append(("client_secret", secret)) }
            } else {
                let encoded = Data("\(OutgoingRequest.formEncode(oauth.clientId)):\(OutgoingRequest.formEncode(oauth.clientSecret ?? ""))".utf8).base64EncodedString()
                redactor.add(encoded)
                headers.append(HeaderField("Authorization", "Basic \(encoded)"))
            }
        }

        /// Reads a token response; with `keeps`, the tokens are to be stored.
        mutating func read(_ result: ExchangeResult, oauth: OAuth2Settings, keeps: Bool) -> TokenResult {
            guard let body = result.body,
                  let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
                  let accessToken = object["access_token"] as? String, !accessToken.isEmpty else {
                return .failure(TestOutcome(kind: .unreadableResponse,
                                            line: "Token request failed: the token endpoint answered 200 but with no access_token",
                                            status: 200, exchangeIndex: result.exchange.index))
            }
            redactor.add(accessToken)
            let refresh = object["refresh_token"] as? String
            if let refresh { redactor.add(refresh) }
            let type = (object["token_type"] as? String).map { $0.lowercased() == "bearer" ? "Bearer" : $0 } ?? "Bearer"
            let instance = oauth.tokenBaseURI.flatMap { object[$0] as? String }
            // A token goes into a header, and is stored: one with a control character in it
            // would split the header or be written escaped where redaction cannot find it.
            for (name, value) in [("access_token", accessToken), ("refresh_token", refresh ?? ""), ("token_type", type),
                                  (oauth.tokenBaseURI ?? "instance_url", instance ?? "")] where ServiceText.hasControlCharacters(value) {
                return .failure(TestOutcome(kind: .unreadableResponse,
                                            line: "Token request failed: the token endpoint answered a \(name) with a control character in it; it was neither used nor stored",
                                            status: result.status, exchangeIndex: result.exchange.index))
            }
            if let instance, let why = Self.instanceProblem(instance, oauth: oauth, route: client.options.route) {
                return .failure(TestOutcome(kind: .notSent,
                                            line: "Not sent: the token endpoint named \(redactor.url(instance)) as \(oauth.tokenBaseURI ?? "the base URI"), \(why); the access token was not sent there",
                                            status: result.status, exchangeIndex: result.exchange.index,
                                            hint: "The service, or something between it and you, answered an address the token must not go to."))
            }
            if keeps {
                let lifetime = (object["expires_in"] as? NSNumber)?.doubleValue ?? (object["expires_in"] as? String).flatMap(Double.init)
                obtained = ObtainedCredentials(accessToken: accessToken,
                                               // A refresh answer usually carries no new refresh token: keep the old one.
                                               refreshToken: refresh ?? obtained?.refreshToken ?? subject.credentials?.refreshToken,
                                               expiresAt: lifetime.map { clock().addingTimeInterval($0) },
                                               instanceURL: instance ?? subject.credentials?.instanceURL, obtainedAt: clock())
            }
            return .success(Token(accessToken: accessToken, type: type, baseURI: instance ?? (keeps ? nil : subject.credentials?.instanceURL)))
        }

        /// Why a base URI taken from a token response (Salesforce's `instance_url`) may not
        /// receive the access token; nil when it may. It must be https, except a loopback
        /// address while requests go to a sandbox, and within the connector's `allowedHosts`
        /// when it declares some.
        static func instanceProblem(_ instance: String, oauth: OAuth2Settings, route: RequestRoute) -> String? {
            guard let url = URL(string: instance), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(), !host.isEmpty else {
                return "which is not an address"
            }
            let sandboxed: Bool
            switch route {
            case .direct: sandboxed = false
            case .sandbox: sandboxed = true
            }
            let loopback = RedirectPolicy.zone(of: host) == .loopback
            guard scheme == "https" || (scheme == "http" && loopback && sandboxed) else {
                return "which is not https"
            }
            if !oauth.allowedHosts.isEmpty, !(loopback && sandboxed), refusal(instance, allowed: oauth.allowedHosts) != nil {
                return "outside the valid domain names (\(oauth.allowedHosts.joined(separator: ", ")))"
            }
            return nil
        }

        /// The refresh-token grant with the refresh token held. `invalid_grant` means the
        /// connection has to be authorized again.
        mutating func refresh(_ oauth: OAuth2Settings) async -> TokenResult {
            guard let refresh = subject.credentials?.refreshToken, !refresh.isEmpty else {
                var outcome = TestOutcome(kind: .notSent, line: "Not authorized yet: this connection signs in through a browser; authorize it first, then test")
                outcome.next = .authorize
                return .failure(outcome)
            }
            redactor.add(refresh)
            var fields = [("grant_type", "refresh_token"), ("refresh_token", refresh)]
            var headers: [HeaderField] = []
            authenticateClient(oauth, fields: &fields, headers: &headers)
            let result = await send(.form(purpose: "Token refresh", url: oauth.tokenURL, fields: fields, headers: headers))
            if result.status == 400 || result.status == 401, let body = result.body,
               let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
               object["error"] as? String == "invalid_grant" {
                authorizationLost = true
                refusedRefreshToken = refresh
                let said = (object["error_description"] as? String).map { " — “\(ServiceMessage.shown($0, redactor: redactor))”" } ?? ""
                var outcome = TestOutcome(kind: .rejected,
                                          line: "Authorization expired: the service refused the refresh token (invalid_grant)\(said)",
                                          status: result.status, exchangeIndex: result.exchange.index)
                outcome.next = .authorize
                return .failure(outcome)
            }
            if let outcome = judge(result, rule: SuccessRule(status: [200]), step: "Token refresh") {
                return .failure(outcome)
            }
            return read(result, oauth: oauth, keeps: true)
        }

        /// The device flow (RFC 8628 §3): ask for a device code, show the user code, then poll
        /// at the interval the service sets, slowing down when told to, until the operator
        /// signs in, denies it, or the code expires.
        mutating func deviceToken(_ oauth: OAuth2Settings, prompt: @Sendable (DeviceSignInEvent) -> Void) async -> TokenResult {
            var fields = [("response_type", "device_code"), ("client_id", oauth.clientId)]
            if !oauth.scopes.isEmpty { fields.append(("scope", oauth.scopes.joined(separator: oauth.scopeDelimiter))) }
            let start = await send(.form(purpose: "Device code request", url: oauth.deviceURL ?? oauth.tokenURL, fields: fields))
            if let outcome = judge(start, rule: SuccessRule(status: [200]), step: "Device code request") {
                return .failure(outcome)
            }
            guard let body = start.body, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
                  let deviceCode = object["device_code"] as? String, let userCode = object["user_code"] as? String,
                  let verification = (object["verification_uri"] ?? object["verification_url"]) as? String else {
                return .failure(TestOutcome(kind: .unreadableResponse, line: "Device code request failed: the answer has no device_code, user_code or verification_uri",
                                            status: start.status, exchangeIndex: start.exchange.index))
            }
            redactor.add(deviceCode)
            func number(_ key: String) -> Double? { (object[key] as? NSNumber)?.doubleValue ?? (object[key] as? String).flatMap(Double.init) }
            var interval = max(1, min(number("interval") ?? 5, 60))
            let lifetime = max(10, min(number("expires_in") ?? 600, 3600))
            let deadline = clock().addingTimeInterval(lifetime)
            prompt(.code(DeviceCodePrompt(userCode: userCode, verificationURI: verification,
                                          completeURI: object["verification_uri_complete"] as? String, expiresIn: Int(lifetime))))
            var saidPending = false
            while clock() < deadline {
                do { try await Task.sleep(for: .milliseconds(Int(interval * 1000))) } catch {
                    return .failure(TestOutcome(kind: .cancelled, line: "Cancelled: device sign-in stopped before anyone signed in; no tokens were stored"))
                }
                var poll = [("grant_type", oauth.deviceGrantType), ("code", deviceCode), ("device_code", deviceCode)]
                var headers: [HeaderField] = []
                authenticateClient(oauth, fields: &poll, headers: &headers)
                let result = await send(.form(purpose: "Token request (device poll)", url: oauth.tokenURL, fields: poll, headers: headers))
                if result.status == 200 { return read(result, oauth: oauth, keeps: true) }
                let error = result.body.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }?["error"] as? String
                switch error {
                case "authorization_pending"?:
                    if !saidPending { prompt(.pending) }
                    saidPending = true
                case "slow_down"?:
                    interval += 5
                    prompt(.slowDown(interval: Int(interval)))
                case "access_denied"?:
                    return .failure(TestOutcome(kind: .rejected, line: "Device sign-in was denied at the verification page (access_denied); no tokens were stored",
                                                status: result.status, exchangeIndex: result.exchange.index))
                case "expired_token"?:
                    return .failure(TestOutcome(kind: .rejected, line: "The device code expired before anyone signed in (expired_token); no tokens were stored",
                                                status: result.status, exchangeIndex: result.exchange.index,
                                                hint: "Start again: connwiz authorize “\(subject.name)” --device."))
                default:
                    return .failure(judge(result, rule: SuccessRule(status: [200]), step: "Device sign-in")
                                    ?? TestOutcome(kind: .clientError, line: "Device sign-in failed", exchangeIndex: result.exchange.index))
                }
            }
            return .failure(TestOutcome(kind: .timeout, line: "The device code expired before anyone signed in (after \(Int(lifetime)) s); no tokens were stored",
                                        hint: "Start again: connwiz authorize “\(subject.name)” --device."))
        }

        // MARK: Judging

        /// The outcome when `result` fails (nil when it passes). The service's own message is
        /// quoted whenever the body holds one: at `errorPath` when the connector names it, else
        /// wherever the usual error shapes put it.
        func judge(_ result: ExchangeResult, rule: SuccessRule, errorPath: String? = nil,
                   explain: FailureExplanation = FailureExplanation(), step: String?) -> TestOutcome? {
            let index = result.exchange.index
            if let failure = result.failure {
                return TestOutcome(kind: failure.kind, line: Self.line(for: failure, step: step), exchangeIndex: index)
            }
            guard let response = result.exchange.response else {
                return TestOutcome(kind: .network, line: "\(step ?? "Test") failed: no response", exchangeIndex: index)
            }
            let statusText = "\(response.status) \(response.statusText)"
            let verdict = SuccessJudge.judge(status: response.status, body: result.body, bodySize: result.bodySize, rule: rule)
            // A passing status carries a body of success: only a message its JSON holds is quoted.
            let message = result.body.flatMap { ServiceMessage.from($0, at: errorPath, plainText: verdict == .badStatus) }
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
            case .proxy: return "Proxy failure: \(prefix)\(failure.message)"
            default: return "Network failure: \(prefix)\(failure.message)"
            }
        }
    }
}
