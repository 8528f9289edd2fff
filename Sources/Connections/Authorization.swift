import ConnectionCore
import ConnectorSchema
import Foundation

/// How `authorize` signs the operator in.
public struct AuthorizeOptions: Sendable {
    public enum Method: Sendable, Hashable {
        /// The authorization-code grant: a browser, the loopback listener, and the pasted
        /// address. `openBrowser` false shows the address only (`--no-browser`).
        case browser(openBrowser: Bool)
        /// The device flow (RFC 8628).
        case device
    }

    public var method: Method
    /// How long to wait for the browser (`--auth-timeout`, default five minutes).
    public var timeout: Int
    /// Addresses the operator pastes while the browser sign-in waits; each is checked, and
    /// one that is not this sign-in's is reported and waited past.
    public var pasted: AsyncStream<String>?

    public init(method: Method = .browser(openBrowser: true), timeout: Int = 300, pasted: AsyncStream<String>? = nil) {
        self.method = method
        self.timeout = timeout
        self.pasted = pasted
    }
}

/// What a sign-in in progress tells the front end to show.
public enum AuthorizationProgress: Sendable {
    /// Waiting for the browser: show `url` whole (and say whether a browser was opened).
    case waitingForBrowser(BrowserSignIn)
    /// A pasted address was not this sign-in's; still waiting.
    case pasteRejected(String)
    /// Show the code and the page to enter it on.
    case device(DeviceCodePrompt)
    /// How the device sign-in's polling goes (pending, slowed down).
    case devicePoll(DeviceSignInEvent)
    /// The browser came back; the code is being exchanged and the connection tested.
    case exchanging
}

/// The browser side of one sign-in, as shown to the operator.
public struct BrowserSignIn: Sendable, Hashable {
    /// The address to open: the real sign-in page, or under `--sandbox` the sandbox's.
    public var url: String
    /// The real service's address when `url` is the sandbox's, shown beside it.
    public var realURL: String?
    /// A browser was started with `url`.
    public var opened: Bool
    public var deadline: Date
    /// Where the browser will be sent back to.
    public var redirectURI: String
}

/// How an authorization ended: signed in (tokens stored, then tested), or not, and why.
public struct AuthorizeOutcome: Sendable {
    /// The sign-in's failure when it ended before any token request.
    public var failure: AuthorizationRequest.Failure?
    /// The logged attempt: the token exchange (or device polls) and the connection's test.
    public var run: TestRun?

    /// Tokens were obtained and stored.
    public var signedIn: Bool { run?.renewedCredentials == true }
    /// The line to show.
    public var line: String {
        if let failure { return failure.description }
        guard let run else { return "Not authorized" }
        if signedIn {
            return run.passed ? "Authorized, and the " + lowercasedFirst(run.attempt.outcome.line)
                              : "Authorized and tokens stored, but the test failed: " + run.attempt.outcome.line
        }
        return "Not authorized: " + run.attempt.outcome.line
    }

    private func lowercasedFirst(_ text: String) -> String {
        text.prefix(1).lowercased() + text.dropFirst()
    }
}

extension ConnectionUseCases {
    /// The OAuth 2.0 settings of a connection that signs in through a browser, or why it does not.
    public func browserGrant(_ connection: StoredConnection) throws -> OAuth2Settings {
        let schema = try connector(of: connection)
        let values = try store.openValues(of: connection, schema: schema)
        let settings: HTTPSettings
        do { settings = try ConnectionResolver.resolve(schema: schema, values: values) } catch {
            throw UseCaseFailure("“\(connection.name)” cannot be authorized: \(error)")
        }
        guard case .oauth2(let oauth)? = settings.auth, oauth.grant == .authorizationCode || oauth.grant == .refreshToken else {
            throw UseCaseFailure("“\(connection.name)” does not sign in through a browser, so it needs no authorizing: its test uses the credentials it holds")
        }
        return oauth
    }

    /// Signs the operator in for `connection` (Save & authorize, `connwiz authorize`): the
    /// authorization-code grant with PKCE and a loopback listener, or the device flow. Tokens
    /// are stored only once the token exchange succeeds; then the connection is tested at
    /// once, in the same logged attempt. A failure before that stores nothing.
    public func authorize(_ connection: StoredConnection, options: AuthorizeOptions,
                          progress: @escaping @Sendable (AuthorizationProgress) -> Void) async throws -> AuthorizeOutcome {
        let schema = try connector(of: connection)
        let oauth = try browserGrant(connection)
        let values = try store.openValues(of: connection, schema: schema)
        let client = try await transport.client()
        let authorization: ConnectionTester.Authorization
        switch options.method {
        case .device:
            guard oauth.deviceURL != nil else {
                throw UseCaseFailure("the \(schema.title) connector declares no device sign-in; sign in with the browser instead (add --no-browser over SSH)")
            }
            let route = client.options.route
            authorization = .device(prompt: { event in
                guard case .code(var prompt) = event else { return progress(.devicePoll(event)) }
                let shown = AuthorizationRequest.browserURL(prompt.completeURI ?? prompt.verificationURI, route: route)
                if shown != (prompt.completeURI ?? prompt.verificationURI) { prompt.sandboxURI = shown }
                progress(.device(prompt))
            })
        case .browser(let openBrowser):
            let callback: LoopbackCallback
            do { callback = try await LoopbackCallback.start() } catch {
                throw UseCaseFailure("cannot listen on 127.0.0.1 for the browser's answer: \(error)")
            }
            let request = AuthorizationRequest(settings: oauth, redirectURI: callback.redirectURI)
            callback.setPage { address in LoopbackCallback.page(for: request.code(from: address)) }
            let shown = request.browserURL(route: client.options.route)
            let opened = openBrowser && browser.open(shown)
            progress(.waitingForBrowser(BrowserSignIn(url: shown, realURL: shown == request.url ? nil : request.url, opened: opened,
                                                      deadline: clock().addingTimeInterval(Double(options.timeout)),
                                                      redirectURI: callback.redirectURI)))
            let answer = await Self.firstAnswer(callback: callback, request: request, options: options, progress: progress)
            await callback.close()
            switch answer {
            case .failure(let failure):
                return AuthorizeOutcome(failure: failure, run: nil)
            case .success(let answer):
                authorization = .code(answer.code, verifier: request.pkce.verifier, redirectURI: request.redirectURI, callback: answer.values)
            }
            progress(.exchanging)
        }
        let subject = ConnectionTester.Subject(name: connection.name, logKey: connection.id, schema: schema, values: values,
                                               credentials: nil, authorization: authorization)
        let run = try await self.run(subject, keepingCredentialsOf: connection, schema: schema)
        try? store.recordTest(TestSummary(run.attempt), connectionID: connection.id)
        return AuthorizeOutcome(failure: nil, run: run)
    }

    /// The code from whichever comes first: the browser at the listener, a pasted address, the
    /// timeout, or cancellation (Ctrl-C).
    static func firstAnswer(callback: LoopbackCallback, request: AuthorizationRequest, options: AuthorizeOptions,
                            progress: @escaping @Sendable (AuthorizationProgress) -> Void) async -> Result<CallbackAnswer, AuthorizationRequest.Failure> {
        let timeout = options.timeout
        let pasted = options.pasted
        let answer = await withTaskGroup(of: Result<CallbackAnswer, AuthorizationRequest.Failure>?.self) { group in
            group.addTask {
                guard let address = await callback.next() else { return nil }
                return request.answer(from: address)
            }
            group.addTask {
                if let pasted {
                    for await line in pasted where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                        let result = request.answer(from: line)
                        if case .failure(let failure) = result, failure == .notAnAddress || failure == .wrongPath {
                            progress(.pasteRejected(failure.description))
                            continue
                        }
                        return result
                    }
                }
                // No more pasting (end of input): leave the answer to the others.
                try? await Task.sleep(for: .seconds(timeout + 5))
                return nil
            }
            group.addTask {
                do { try await Task.sleep(for: .seconds(timeout)) } catch { return nil }
                return .failure(.timedOut(seconds: timeout))
            }
            var first: Result<CallbackAnswer, AuthorizationRequest.Failure>?
            while first == nil, let next = await group.next() {
                first = next
                if Task.isCancelled { break }
            }
            group.cancelAll()
            return first
        }
        if Task.isCancelled { return .failure(.cancelled) }
        return answer ?? .failure(.cancelled)
    }

    // MARK: Tokens on demand

    /// `connwiz token refresh NAME`: the refresh-token grant now, logged as an attempt with the
    /// connection's test after it.
    public func refreshToken(_ connection: StoredConnection) async throws -> TestRun {
        let schema = try connector(of: connection)
        _ = try browserGrant(connection)
        guard var credentials = try store.openCredentials(of: connection), credentials.refreshToken?.isEmpty == false else {
            throw UseCaseFailure("“\(connection.name)” holds no refresh token; authorize it first: connwiz authorize “\(connection.name)”")
        }
        credentials.accessToken = nil    // forces the refresh
        let values = try store.openValues(of: connection, schema: schema)
        let subject = ConnectionTester.Subject(name: connection.name, logKey: connection.id, schema: schema, values: values,
                                               credentials: credentials)
        let run = try await self.run(subject, keepingCredentialsOf: connection, schema: schema)
        try? store.recordTest(TestSummary(run.attempt), connectionID: connection.id)
        return run
    }

    /// What `revokeToken` did.
    public struct Revocation: Sendable {
        /// The provider's answer, when it was asked ("200 OK"); nil when it offers no
        /// revocation or nothing was held.
        public var providerLine: String?
        public var revokedAtProvider: Bool
        public var forgotten: Bool
    }

    /// `connwiz token revoke NAME`: asks the provider to revoke the refresh token (else the
    /// access token) where the connector declares a revocation endpoint, then forgets the
    /// tokens here whatever the provider said. The request is logged.
    public func revokeToken(_ connection: StoredConnection) async throws -> Revocation {
        let schema = try connector(of: connection)
        let oauth = try browserGrant(connection)
        guard let credentials = try store.openCredentials(of: connection),
              let token = [credentials.refreshToken, credentials.accessToken].compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
            return Revocation(providerLine: nil, revokedAtProvider: false, forgotten: try store.forgetCredentials(connectionID: connection.id))
        }
        var line: String?
        var revoked = false
        if let revokeURL = oauth.revokeURL {
            var session = try LoggedExchanges(client: try await transport.client(), log: log, key: connection.id, name: connection.name,
                                              connectorID: schema.id, secrets: [credentials.accessToken, credentials.refreshToken].compactMap { $0 },
                                              at: clock())
            let last = await session.send(.form(purpose: "Token revocation", url: revokeURL, fields: [("token", token)]))
            revoked = (200..<300).contains(last.status ?? 0)
            line = LoggedExchanges.statusLine(last)
            session.finish(TestOutcome(kind: revoked ? .succeeded : (last.failure?.kind ?? .clientError),
                                       line: revoked ? "Token revoked: \(line!)" : "Token revocation failed: \(line!)",
                                       status: last.status, exchangeIndex: last.exchange.index), at: clock())
        }
        let forgotten = try store.forgetCredentials(connectionID: connection.id)
        return Revocation(providerLine: line, revokedAtProvider: revoked, forgotten: forgotten)
    }
}
