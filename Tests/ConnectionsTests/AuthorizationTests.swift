import ConnectionCore
import Connections
import ConnectorSchema
import Foundation
import FormEngine
import Sandbox
import Testing
import TestSupport

/// A browser that the use cases "open": it plays the operator at once, with a real HTTP
/// client, and either visits the callback or hands the address back for pasting.
final class PlayingBrowser: BrowserOpener, @unchecked Sendable {
    enum Ending { case visitCallback, keepAddress }
    let player = BrowserPlayer()
    let user: String, password: String, allow: Bool, ending: Ending
    private let lock = NSLock()
    private var _opened: [String] = []
    private var _returned: [String] = []
    private var tasks: [Task<Void, Never>] = []
    let returnedStream: AsyncStream<String>
    let returnedContinuation: AsyncStream<String>.Continuation

    init(user: String = SandboxAccounts.salesforceSandboxUser, password: String = SandboxAccounts.salesforceSandboxPassword,
         allow: Bool = true, ending: Ending = .visitCallback) {
        self.user = user
        self.password = password
        self.allow = allow
        self.ending = ending
        (returnedStream, returnedContinuation) = AsyncStream.makeStream(of: String.self)
    }

    var opened: [String] { lock.withLock { _opened } }
    var returned: [String] { lock.withLock { _returned } }

    func open(_ url: String) -> Bool {
        lock.withLock { _opened.append(url) }
        let task = Task {
            do {
                let location = try await player.signIn(url, user: user, password: password, allow: allow)
                lock.withLock { _returned.append(location) }
                returnedContinuation.yield(location)
                if ending == .visitCallback { _ = try await player.get(location) }
            } catch {
                returnedContinuation.yield("browser failed: \(error)")
            }
        }
        lock.withLock { tasks.append(task) }
        return true
    }

    func finish() async {
        for task in lock.withLock({ tasks }) { await task.value }
        await player.shutdown()
    }
}

/// Use cases over a temporary home and a sandbox with `settings`, opening `browser`.
func authorizingCases(_ home: TemporaryFolder, settings: SandboxSettings = SandboxSettings(), browser: any BrowserOpener,
                      clock: ManualClock? = nil) -> ConnectionUseCases {
    let reading: @Sendable () -> Date
    if let clock { reading = clock.reading } else { reading = { Date() } }
    let folder = HomeFolder(path: home.path)
    let sandboxState = home.file("sandbox")
    let transport = NetworkTransport(TransportOptions()) {
        let server = try await SandboxServer.start(service: try SandboxService(stateFolder: sandboxState, settings: settings, clock: reading))
        return NetworkTransport.StartedSandbox(url: server.url) { await server.stop() }
    }
    return ConnectionUseCases(store: ConnectionStore(home: folder, environment: [:]), log: ExchangeLog(home: folder),
                              transport: transport, clock: reading, browser: browser)
}

func savedCertinia(_ cases: ConnectionUseCases, name: String = "Certinia sandbox") async throws -> StoredConnection {
    let draft = ConnectionDraft(connectorID: "certinia", values: [
        "name": .string(name), "accountType": .string("sandbox"), "oauthFlow": .string("refresh-token"),
        "consumerKey": .string(SandboxAccounts.salesforceClientID), "consumerSecret": .string(SandboxAccounts.salesforceClientSecret)])
    guard case .saved(let saved) = try await cases.save(draft, schema: schema("certinia"), policy: SavePolicy()) else {
        throw UseCaseFailure("not saved")
    }
    return saved.connection
}

/// What a sign-in showed, collected from its progress reports.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [AuthorizationProgress] = []
    func add(_ progress: AuthorizationProgress) { lock.withLock { items.append(progress) } }
    var all: [AuthorizationProgress] { lock.withLock { items } }
    var signIn: BrowserSignIn? {
        all.lazy.compactMap { if case .waitingForBrowser(let s) = $0 { return s } else { return nil } }.first
    }
    var device: DeviceCodePrompt? {
        all.lazy.compactMap { if case .device(let p) = $0 { return p } else { return nil } }.first
    }
    var rejectedPastes: [String] {
        all.compactMap { if case .pasteRejected(let why) = $0 { return why } else { return nil } }
    }
}

/// Every form a secret might take in a file: itself, its base64 and its first 12 characters.
func secretForms(_ secret: String) -> [String] {
    [secret, String(secret.prefix(12)), Data(secret.utf8).base64EncodedString()]
}

/// The random part of a Salesforce access token (its first 18 characters are the org id,
/// which is no secret and appears in answers).
func randomPart(_ token: String) -> String {
    token.split(separator: "!").last.map(String.init) ?? token
}

@Suite("OAuth 2.0 sign-in over loopback, with a real browser client playing the operator")
struct AuthorizationTests {
    @Test func theBrowserSignInStoresSealedTokensAndTestsAtOnceWithNoSecretOnDisk() async throws {
        let home = TemporaryFolder()
        let browser = PlayingBrowser()
        let cases = authorizingCases(home, browser: browser)
        let connection = try await savedCertinia(cases)
        let progress = ProgressLog()
        let outcome = try await cases.authorize(connection, options: AuthorizeOptions(timeout: 20)) { progress.add($0) }
        await browser.finish()
        #expect(outcome.failure == nil && outcome.signedIn, "\(outcome.line)")
        #expect(outcome.run?.passed == true)
        #expect(outcome.line.hasPrefix("Authorized, and the test succeeded: 200 OK"))

        // The address: the sandbox's sign-in page, for test.salesforce.com (Account type: Sandbox),
        // with PKCE S256, a state of 256 bits and a loopback redirect on a port the system chose.
        let signIn = try #require(progress.signIn)
        #expect(signIn.opened && browser.opened == [signIn.url])
        #expect(signIn.url.contains("sandbox_host=test.salesforce.com"))
        let real = try #require(signIn.realURL.flatMap(URLComponents.init(string:)))
        #expect(real.host == "test.salesforce.com" && real.path == "/services/oauth2/authorize")
        let query = Dictionary(uniqueKeysWithValues: (real.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(query["code_challenge_method"] == "S256" && query["code_challenge"]?.count == 43)
        #expect((query["state"]?.count ?? 0) >= 43, "at least 128 bits, base64url")
        let redirect = try #require(URLComponents(string: query["redirect_uri"] ?? ""))
        #expect(redirect.host == "127.0.0.1" && redirect.port != nil && redirect.port != 7411)
        #expect(redirect.path.hasPrefix("/connwiz/") && redirect.path.count > 20, "an unguessable path")

        // The tokens are stored sealed with the instance; the test used the instance host.
        let stored = try #require(try cases.connection(id: connection.id))
        #expect(stored.credentials?.instanceURL == "https://acme--sbx.sandbox.my.salesforce.com")
        let opened = try cases.store.openCredentials(of: stored)
        let tokens = try #require(opened)
        let access = try #require(tokens.accessToken), refresh = try #require(tokens.refreshToken)
        let exchanges = try #require(outcome.run?.attempt.exchanges)
        #expect(exchanges.map(\.path) == ["/services/oauth2/token", "/services/oauth2/userinfo"])

        // The listener was one-shot: the callback address answers no more.
        let port = try #require(URLComponents(string: browser.returned.first ?? "")?.port)
        #expect(!Subprocess.waitForListener(port: port, timeout: 0.2), "a second callback would reach a listener")
        await cases.transport.close()

        // Nothing secret in any file of the home (store, logs, sandbox state) in any form.
        let code = try #require(URLComponents(string: browser.returned[0])?.queryItems?.first { $0.name == "code" }?.value)
        for secret in [refresh, code, SandboxAccounts.salesforceClientSecret] + [randomPart(access)] {
            for form in secretForms(secret) {
                #expect(home.filesContaining(form).isEmpty, "\(form) is on disk: \(home.filesContaining(form))")
            }
        }
        // The token request is logged, its secrets as fingerprints.
        let entry = try #require(cases.attempts(of: stored).last).withExchanges()
        let body = try #require(entry.attempt.exchanges[0].requestBody)
        let request = try #require(entry.bodyText(body)?.text)
        #expect(request.contains("grant_type=authorization_code"))
        #expect(request.contains("code=sha256:") && request.contains("code_verifier=sha256:") && request.contains("client_secret=sha256:"), "\(request)")
    }

    @Test func aPastedAddressFinishesTheSignInWhenTheBrowserCannotReachThisMachine() async throws {
        let home = TemporaryFolder()
        let browser = PlayingBrowser(ending: .keepAddress)
        let cases = authorizingCases(home, browser: browser)
        let connection = try await savedCertinia(cases)
        let (pasted, paste) = AsyncStream.makeStream(of: String.self)
        let feeder = Task {
            for await address in browser.returnedStream {
                paste.yield("not an address at all")
                paste.yield("http://127.0.0.1:1/elsewhere?code=x&state=y")
                paste.yield("  " + address + "  ")
                break
            }
        }
        let progress = ProgressLog()
        let outcome = try await cases.authorize(connection, options: AuthorizeOptions(timeout: 20, pasted: pasted)) { progress.add($0) }
        feeder.cancel()
        await browser.finish()
        #expect(outcome.signedIn, "\(outcome.line)")
        #expect(progress.rejectedPastes.count == 2, "each wrong paste is said and waited past")
        #expect(progress.rejectedPastes.first?.contains("not the address") == true)
        await cases.transport.close()
    }

    /// Pastes `address(fromReturned)` and returns the outcome.
    func pasting(_ make: @escaping @Sendable (String) -> String, browser: PlayingBrowser, timeout: Int = 20,
                 home: TemporaryFolder) async throws -> (AuthorizeOutcome, ConnectionUseCases, StoredConnection) {
        let cases = authorizingCases(home, browser: browser)
        let connection = try await savedCertinia(cases)
        let (pasted, paste) = AsyncStream.makeStream(of: String.self)
        let feeder = Task {
            for await address in browser.returnedStream {
                paste.yield(make(address))
                break
            }
        }
        let outcome = try await cases.authorize(connection, options: AuthorizeOptions(timeout: timeout, pasted: pasted)) { _ in }
        feeder.cancel()
        await browser.finish()
        await cases.transport.close()
        return (outcome, cases, connection)
    }

    @Test func aWrongStateIsRefusedAndNothingIsStored() async throws {
        let home = TemporaryFolder()
        let (outcome, cases, connection) = try await pasting({ address in
            var parts = URLComponents(string: address)!
            parts.queryItems = parts.queryItems!.map { $0.name == "state" ? URLQueryItem(name: "state", value: "forged-state-0123456789") : $0 }
            return parts.string!
        }, browser: PlayingBrowser(ending: .keepAddress), home: home)
        #expect(outcome.failure == .wrongState)
        #expect(outcome.line.hasPrefix("Refused: the sign-in came back with a state that does not match"))
        #expect(try cases.connection(id: connection.id)?.credentials == nil)
        #expect(cases.attempts(of: connection).isEmpty, "no token request was made")
    }

    @Test func aDeniedConsentQuotesTheServiceAndStoresNothing() async throws {
        let home = TemporaryFolder()
        let (outcome, cases, connection) = try await pasting({ $0 }, browser: PlayingBrowser(allow: false, ending: .keepAddress), home: home)
        #expect(outcome.failure == .denied(error: "access_denied", description: "end-user denied authorization"))
        #expect(outcome.line == "Sign-in was denied at the service (access_denied) — “end-user denied authorization”; no tokens were stored")
        #expect(try cases.connection(id: connection.id)?.credentials == nil)
    }

    @Test func aCallbackWithNoCodeIsNamed() async throws {
        let home = TemporaryFolder()
        let (outcome, _, _) = try await pasting({ address in
            var parts = URLComponents(string: address)!
            parts.queryItems = parts.queryItems!.filter { $0.name != "code" }
            return parts.string!
        }, browser: PlayingBrowser(ending: .keepAddress), home: home)
        #expect(outcome.failure == .noCode)
    }

    @Test func noAnswerTimesOut() async throws {
        let home = TemporaryFolder()
        let browser = PlayingBrowser(password: "wrong-password", ending: .keepAddress)
        let cases = authorizingCases(home, browser: browser)
        let connection = try await savedCertinia(cases)
        let outcome = try await cases.authorize(connection, options: AuthorizeOptions(timeout: 2)) { _ in }
        #expect(outcome.failure == .timedOut(seconds: 2))
        #expect(outcome.line == "Sign-in timed out after 2 s with no answer from the browser; no tokens were stored")
        await browser.finish()
        await cases.transport.close()
    }

    @Test func cancellingTheWaitStoresNothing() async throws {
        let home = TemporaryFolder()
        let browser = PlayingBrowser(password: "wrong-password", ending: .keepAddress)
        let cases = authorizingCases(home, browser: browser)
        let connection = try await savedCertinia(cases)
        let (waiting, said) = AsyncStream.makeStream(of: Void.self)
        let task = Task {
            try await cases.authorize(connection, options: AuthorizeOptions(timeout: 60)) { progress in
                if case .waitingForBrowser = progress { said.yield() }
            }
        }
        // Cancelled once the sign-in waits for the browser, as Esc on its screen does.
        for await _ in waiting { break }
        task.cancel()
        let outcome = try await task.value
        #expect(outcome.failure == .cancelled)
        #expect(try cases.connection(id: connection.id)?.credentials == nil)
        await browser.finish()
        await cases.transport.close()
    }

    @Test func anExpiredAccessTokenIsRefreshedOnceAndTheRenewedTokenStored() async throws {
        let home = TemporaryFolder()
        let browser = PlayingBrowser()
        let clock = ManualClock()
        let cases = authorizingCases(home, settings: SandboxSettings(tokenLifetime: 4), browser: browser, clock: clock)
        let connection = try await savedCertinia(cases)
        let outcome = try await cases.authorize(connection, options: AuthorizeOptions(timeout: 20)) { _ in }
        await browser.finish()
        #expect(outcome.signedIn)
        let firstHeld = try #require(try cases.connection(id: connection.id))
        let first = try #require(try cases.store.openCredentials(of: firstHeld))
        clock.advance(seconds: 5)
        let expiredHeld = try #require(try cases.connection(id: connection.id))
        let run = try await cases.testSaved(expiredHeld)
        #expect(run.passed && run.renewedCredentials, "\(run.attempt.outcome.line)")
        #expect(run.attempt.exchanges.map { $0.response?.status ?? 0 } == [401, 200, 200], "test, refresh, test again")
        let renewedHeld = try #require(try cases.connection(id: connection.id))
        let renewed = try #require(try cases.store.openCredentials(of: renewedHeld))
        #expect(renewed.accessToken != first.accessToken)
        #expect(renewed.refreshToken == first.refreshToken, "Salesforce's refresh answer carries no refresh token: the old one is kept")
        await cases.transport.close()
        for form in secretForms(randomPart(renewed.accessToken!)) + secretForms(renewed.refreshToken!) {
            #expect(home.filesContaining(form).isEmpty)
        }
    }

    @Test func aRevokedRefreshTokenEndsInNeedsAuthorization() async throws {
        let home = TemporaryFolder()
        let browser = PlayingBrowser()
        let cases = authorizingCases(home, settings: SandboxSettings(tokenLifetime: 1), browser: browser)
        let connection = try await savedCertinia(cases)
        _ = try await cases.authorize(connection, options: AuthorizeOptions(timeout: 20)) { _ in }
        await browser.finish()
        let held = try #require(try cases.connection(id: connection.id))
        let revocation = try await cases.revokeToken(held)
        #expect(revocation.revokedAtProvider && revocation.providerLine == "200 OK" && revocation.forgotten)
        #expect(try cases.connection(id: connection.id)?.needsAuthorization(schema: schema("certinia")) == true)

        // Tokens put back by hand (as an old copy of the store would hold) are refused.
        let tokens = ObtainedCredentials(accessToken: "00D5g000000sbxTST!revoked0000000000", refreshToken: "5Aep-revoked-0000000000000")
        try cases.store.storeCredentials(tokens, connectionID: connection.id, schema: schema("certinia"))
        let putBack = try #require(try cases.connection(id: connection.id))
        let run = try await cases.testSaved(putBack)
        #expect(!run.passed && run.authorizationLost)
        // Issue 19, item 19: the outcome names the next step; each front end words it.
        #expect(run.attempt.outcome.next == .authorize && run.attempt.outcome.hint == nil)
        #expect(run.report.hint == "Save & authorize signs in and keeps the tokens; then the test runs with them.")
        #expect(!run.attempt.outcome.line.contains("connwiz "))
        #expect(try cases.connection(id: connection.id)?.credentials == nil)
        await cases.transport.close()
    }

    @Test func aDeviceSignsInWithItsCodeAndDenialAndExpiryEachHaveTheirLine() async throws {
        let home = TemporaryFolder()
        let player = BrowserPlayer()
        let unused = PlayingBrowser()
        let cases = authorizingCases(home, settings: SandboxSettings(deviceInterval: 1), browser: unused)
        let connection = try await savedCertinia(cases)
        // A second home whose sandbox lets device codes expire after 3 s.
        let shortHome = TemporaryFolder()
        let shortCases = authorizingCases(shortHome, settings: SandboxSettings(deviceInterval: 1, deviceCodeLifetime: 6), browser: unused)
        let shortConnection = try await savedCertinia(shortCases)
        let defaultCases = cases, defaultConnection = connection

        func signIn(allow: Bool?, cases: ConnectionUseCases? = nil, connection: StoredConnection? = nil) async throws -> (AuthorizeOutcome, ProgressLog) {
            let cases = cases ?? defaultCases, connection = connection ?? defaultConnection
            let progress = ProgressLog()
            let (prompts, prompted) = AsyncStream.makeStream(of: DeviceCodePrompt.self)
            let operator_ = Task {
                for await prompt in prompts {
                    guard let allow else { return }
                    _ = try? await player.connectDevice(prompt.sandboxURI ?? "", userCode: prompt.userCode,
                                                        user: SandboxAccounts.salesforceSandboxUser, password: SandboxAccounts.salesforceSandboxPassword,
                                                        allow: allow)
                    return
                }
            }
            let outcome = try await cases.authorize(connection, options: AuthorizeOptions(method: .device, timeout: 20)) { event in
                progress.add(event)
                if case .device(let prompt) = event { prompted.yield(prompt) }
            }
            _ = await operator_.result
            return (outcome, progress)
        }

        let (signedIn, progress) = try await signIn(allow: true)
        #expect(signedIn.signedIn && signedIn.run?.passed == true, "\(signedIn.line)")
        let prompt = try #require(progress.device)
        #expect(prompt.verificationURI == "https://test.salesforce.com/setup/connect" && prompt.userCode.count == 8)
        let paths = signedIn.run?.attempt.exchanges.map(\.path) ?? []
        #expect(paths.first == "/services/oauth2/token" && paths.last == "/services/oauth2/userinfo" && paths.count >= 3)

        let (denied, _) = try await signIn(allow: false)
        #expect(denied.line == "Not authorized: Device sign-in was denied at the verification page (access_denied); no tokens were stored")

        let (expired, waited) = try await signIn(allow: nil, cases: shortCases, connection: shortConnection)
        #expect(expired.line == "Not authorized: The device code expired before anyone signed in (expired_token); no tokens were stored")
        #expect(expired.run?.attempt.outcome.next == .authorizeWithDevice, "each front end words the way to start again")
        #expect(waited.all.contains { if case .devicePoll(.pending) = $0 { return true } else { return false } })
        await player.shutdown()
        await unused.finish()
        #expect(unused.opened.isEmpty, "the device flow opens no browser")
        await cases.transport.close()
        await shortCases.transport.close()
    }
}

@Suite("Authorization codes at the sandbox: single use, bound to the PKCE verifier")
struct AuthorizationCodeTests {
    @Test func aCodeIsRefusedWithAWrongOrMissingVerifierAndWhenUsedTwice() async throws {
        let home = TemporaryFolder()
        let browser = PlayingBrowser(ending: .keepAddress)
        let cases = authorizingCases(home, browser: browser)
        let connection = try await savedCertinia(cases)
        let certinia = schema("certinia")
        let oauth = try cases.browserGrant(connection)
        let client = try await cases.transport.client()
        let values = try cases.store.openValues(of: connection, schema: certinia)

        /// A code for a sign-in made by hand, and the request it belongs to.
        func code() async throws -> (String, AuthorizationRequest) {
            let request = AuthorizationRequest(settings: oauth, redirectURI: "http://127.0.0.1:9/connwiz/by-hand")
            let location = try await browser.player.signIn(request.browserURL(route: client.options.route),
                                                           user: SandboxAccounts.salesforceSandboxUser, password: SandboxAccounts.salesforceSandboxPassword)
            return (try request.code(from: location).get(), request)
        }
        func exchange(_ code: String, verifier: String, redirect: String) async throws -> ConnectionTester.Finished {
            try await ConnectionTester(client: client, log: cases.log).perform(ConnectionTester.Subject(
                name: "by hand", logKey: "by-hand", schema: certinia, values: values,
                authorization: .code(code, verifier: verifier, redirectURI: redirect)))
        }

        let (first, firstRequest) = try await code()
        let wrong = try await exchange(first, verifier: PKCE().verifier, redirect: firstRequest.redirectURI)
        #expect(wrong.attempt.outcome.line == "Token request refused: 400 Bad Request — “invalid_grant: invalid code verifier”")
        #expect(wrong.obtained == nil)

        let (second, secondRequest) = try await code()
        let missing = try await exchange(second, verifier: "", redirect: secondRequest.redirectURI)
        #expect(missing.attempt.outcome.line.contains("code_verifier required"), "\(missing.attempt.outcome.line)")

        let (third, thirdRequest) = try await code()
        let redirected = try await exchange(third, verifier: thirdRequest.pkce.verifier, redirect: "http://127.0.0.1:9/connwiz/other")
        #expect(redirected.attempt.outcome.line.contains("redirect_uri_mismatch"), "the code is bound to its redirect URI")

        let (fourth, fourthRequest) = try await code()
        let right = try await exchange(fourth, verifier: fourthRequest.pkce.verifier, redirect: fourthRequest.redirectURI)
        #expect(right.attempt.passed && right.obtained?.refreshToken != nil)
        let reused = try await exchange(fourth, verifier: fourthRequest.pkce.verifier, redirect: fourthRequest.redirectURI)
        #expect(reused.attempt.outcome.line == "Token request refused: 400 Bad Request — “invalid_grant: invalid authorization code”")
        await browser.finish()
        await cases.transport.close()
    }
}

/// Two tests of one connection refresh at once and the service rotates refresh tokens
/// (issue 19, item 4): the one refused must not erase what the other stored.
@Suite("A refresh race with rotating refresh tokens")
struct RefreshRaceTests {
    @Test func aRefusedRefreshDoesNotEraseTokensAnotherTestJustStored() async throws {
        let home = TemporaryFolder()
        let browser = PlayingBrowser()
        let clock = ManualClock()
        let cases = authorizingCases(home, settings: SandboxSettings(tokenLifetime: 1, rotatesRefreshTokens: true), browser: browser, clock: clock)
        let connection = try await savedCertinia(cases)
        let outcome = try await cases.authorize(connection, options: AuthorizeOptions(timeout: 20)) { _ in }
        await browser.finish()
        #expect(outcome.signedIn)
        // Both tests read the store before either refreshes: the same held tokens.
        let read = try #require(try cases.connection(id: connection.id))
        let first = try #require(try cases.store.openCredentials(of: read))
        // The access token expires, so that both must refresh.
        clock.advance(seconds: 2)
        let winner = try await cases.testSaved(read)
        #expect(winner.passed && winner.renewedCredentials, "\(winner.attempt.outcome.line)")
        let renewedHeld = try #require(try cases.connection(id: connection.id))
        let stored = try #require(try cases.store.openCredentials(of: renewedHeld))
        #expect(stored.refreshToken != first.refreshToken, "the sandbox rotated the refresh token")

        let loser = try await cases.testSaved(read)
        let after = try #require(try cases.connection(id: connection.id))
        #expect(after.credentials != nil, "the refused refresh erased the tokens the other test stored")
        let held = try #require(try cases.store.openCredentials(of: after))
        #expect(held.refreshToken == stored.refreshToken)
        #expect(loser.passed, "the loser tests again with the stored tokens: \(loser.attempt.outcome.line)")
        #expect(!loser.authorizationLost)

        // A refusal of the token still held does forget it.
        #expect(try cases.store.forgetCredentials(connectionID: connection.id, ifRefreshTokenIs: "5Aep-not-the-held-one") == false)
        let heldRefresh = try #require(held.refreshToken)
        #expect(try cases.store.forgetCredentials(connectionID: connection.id, ifRefreshTokenIs: heldRefresh))
        #expect(try cases.connection(id: connection.id)?.credentials == nil)
        await cases.transport.close()
    }
}

/// A browser that signs in, then visits the callback at an address `alter` made of the real
/// one, and keeps the page the listener showed.
final class CallbackVisitor: BrowserOpener, @unchecked Sendable {
    let player = BrowserPlayer()
    let alter: @Sendable (String) -> String
    let allow: Bool
    let pages = Locked<[String]>([])
    private let tasks = Locked<[Task<Void, Never>]>([])

    init(allow: Bool = true, alter: @escaping @Sendable (String) -> String) {
        self.allow = allow
        self.alter = alter
    }

    func open(_ url: String) -> Bool {
        let task = Task {
            do {
                let location = try await player.signIn(url, user: SandboxAccounts.salesforceSandboxUser,
                                                       password: SandboxAccounts.salesforceSandboxPassword, allow: allow)
                let page = try await player.get(alter(location))
                pages.mutate { $0.append(page.body) }
            } catch {
                pages.mutate { $0.append("browser failed: \(error)") }
            }
        }
        tasks.mutate { $0.append(task) }
        return true
    }

    func finish() async {
        for task in tasks.get() { await task.value }
        await player.shutdown()
    }
}

/// What the browser and the terminal are told when a sign-in does not end in a code (issue
/// 19, items 7 and 11): the page says so, a denial's words read with spaces, and nothing the
/// service wrote carries a control character.
@Suite("The callback page and the service's words")
struct CallbackPageTests {
    static func replacing(_ name: String, with value: String?) -> @Sendable (String) -> String {
        { address in
            var parts = URLComponents(string: address)!
            var items = parts.queryItems!.filter { $0.name != name }
            if let value { items.append(URLQueryItem(name: name, value: value)) }
            parts.queryItems = items
            return parts.string!
        }
    }

    @Test(arguments: [
        ("state", "forged-state", "Not signed in. Refused: the sign-in came back with a state that does not match"),
        ("code", nil, "Not signed in. The browser came back with no authorization code"),
    ] as [(String, String?, String)])
    func theCallbackPageSaysSignedInOnlyWhenItIs(name: String, value: String?, page: String) async throws {
        let home = TemporaryFolder()
        let browser = CallbackVisitor(alter: Self.replacing(name, with: value))
        let cases = authorizingCases(home, browser: browser)
        let connection = try await savedCertinia(cases)
        let outcome = try await cases.authorize(connection, options: AuthorizeOptions(timeout: 20)) { _ in }
        await browser.finish()
        #expect(!outcome.signedIn)
        let shown = try #require(browser.pages.get().first)
        #expect(shown.contains(page), "\(shown)")
        #expect(!shown.contains("Signed in."))
        await cases.transport.close()
    }

    @Test func aDenialsDescriptionReadsWithSpacesAndNoControlCharacters() async throws {
        let home = TemporaryFolder()
        // A hostile service: its description, form-encoded, holds an escape that would set the title.
        let browser = CallbackVisitor(allow: false) { address in
            var parts = URLComponents(string: address)!
            var items = parts.percentEncodedQueryItems!.filter { $0.name != "error_description" }
            items.append(URLQueryItem(name: "error_description", value: "The+user+said+no%1B%5D0%3Bpwned%07%3Cb%3E"))
            parts.percentEncodedQueryItems = items
            return parts.string!
        }
        let cases = authorizingCases(home, browser: browser)
        let connection = try await savedCertinia(cases)
        let outcome = try await cases.authorize(connection, options: AuthorizeOptions(timeout: 20)) { _ in }
        await browser.finish()
        guard case .denied(let error, let description)? = outcome.failure else { Issue.record("\(String(describing: outcome.failure))"); return }
        #expect(error == "access_denied")
        #expect(description?.hasPrefix("The user said no") == true, "\(description ?? "")")
        #expect(description?.unicodeScalars.contains { $0.value < 0x20 } == false)
        let page = try #require(browser.pages.get().first)
        #expect(page.contains("Not signed in. Sign-in was denied at the service (access_denied)"), "\(page)")
        #expect(!page.contains("<b>") && page.contains("&lt;b&gt;"), "the service's words are escaped in the page")
        await cases.transport.close()
    }

    @Test func aDeviceCodePromptKeepsNoControlCharacter() {
        let prompt = DeviceCodePrompt(userCode: "ABCD\u{1b}]0;pwned\u{07}-EFGH", verificationURI: "https://x.example/\u{9b}2J", completeURI: "https://x\u{1b}c", expiresIn: 600)
        for text in [prompt.userCode, prompt.verificationURI, prompt.completeURI ?? ""] {
            #expect(!ServiceText.hasControlCharacters(text), "\(text.debugDescription)")
        }
        #expect(prompt.userCode == "ABCD]0;pwned-EFGH")
    }
}

/// The browser is given no secret of connwiz's (issue 19, item 8).
@Suite("The browser's environment")
struct BrowserEnvironmentTests {
    @Test func theStoreKeyAndSecretVariablesAreKeptFromTheBrowser() throws {
        let home = TemporaryFolder()
        let dump = home.file("browser-env")
        let script = home.write("browser.sh", "#!/bin/sh\nenv > \"\(dump)\"\n")
        chmod(script, 0o755)
        ChildEnvironment.withhold("MY_CLIENT_SECRET")
        let browser = SystemBrowser(environment: ["BROWSER": script, "PATH": "/usr/bin:/bin", "CONNWIZ_KEY": "a2V5LWtleS1rZXkta2V5LWtleS1rZXkta2V5LWtleSE=",
                                                  "CONNWIZ_HOME": home.path, "MY_CLIENT_SECRET": "browser-env-secret-1234", "LANG": "C.UTF-8"])
        #expect(browser.open("https://example.com/sign-in"))
        var seen = ""
        for _ in 0..<100 where seen.isEmpty {
            Thread.sleep(forTimeInterval: 0.05)
            seen = (try? String(contentsOfFile: dump, encoding: .utf8)) ?? ""
        }
        #expect(seen.contains("LANG=C.UTF-8"), "the browser ran with the rest of the environment: \(seen)")
        #expect(!seen.contains("CONNWIZ_KEY") && !seen.contains("a2V5LWtleS1r"))
        #expect(!seen.contains("MY_CLIENT_SECRET") && !seen.contains("browser-env-secret"))
    }
}

/// Issue 21: values the sign-in's callback carries (QuickBooks' `realmId`) are kept with the
/// tokens, fill `{{callback.realmId}}` in the test requests of the first attempt and of
/// later ones, and reach the export.
@Suite("Callback values kept with the connection")
struct CallbackValueTests {
    @Test func aRealmIdFromTheCallbackFillsTheTestRequestsNowAndLater() async throws {
        let home = TemporaryFolder()
        let browser = PlayingBrowser(ending: .keepAddress)
        let cases = authorizingCases(home, browser: browser)
        let connection = try await savedCertinia(cases)
        var text = try String(contentsOfFile: Fixtures.connectorFile("certinia.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "      revokeURL: \"{{baseURI}}/services/oauth2/revoke\"",
                                         with: "      revokeURL: \"{{baseURI}}/services/oauth2/revoke\"\n      callbackValues: [realmId]")
            .replacingOccurrences(of: "      path: /services/oauth2/userinfo", with: "      path: /services/oauth2/userinfo?company={{callback.realmId}}")
        let loaded = SchemaLoader.load(text: text, file: "certinia-realm.yaml")
        let schema = try #require(loaded.schema, "\(loaded.diagnostics)")
        let oauth = try cases.browserGrant(connection)
        var kept = oauth
        kept.callbackValues = ["realmId"]
        let client = try await cases.transport.client()
        let values = try cases.store.openValues(of: connection, schema: schema)
        let request = AuthorizationRequest(settings: kept, redirectURI: "http://127.0.0.1:9/connwiz/by-hand")
        let location = try await browser.player.signIn(request.browserURL(route: client.options.route),
                                                       user: SandboxAccounts.salesforceSandboxUser, password: SandboxAccounts.salesforceSandboxPassword)
        let answer = try request.answer(from: location + "&realmId=4620816365&other=dropped").get()
        #expect(answer.values == ["realmId": "4620816365"])
        let tester = ConnectionTester(client: client, log: cases.log)
        let first = try await tester.perform(ConnectionTester.Subject(
            name: "realm", logKey: "realm", schema: schema, values: values,
            authorization: .code(answer.code, verifier: request.pkce.verifier, redirectURI: request.redirectURI, callback: answer.values)))
        #expect(first.attempt.passed, "\(first.attempt.outcome.line)")
        #expect(first.attempt.exchanges.last?.url.hasSuffix("/services/oauth2/userinfo?company=4620816365") == true,
                "\(first.attempt.exchanges.map(\.url))")
        let obtained = try #require(first.obtained)
        #expect(obtained.callbackValues == ["realmId": "4620816365"])
        try cases.store.storeCredentials(obtained, connectionID: connection.id, schema: schema)
        let stored = try #require(try cases.connection(id: connection.id))
        #expect(stored.credentials?.callbackValues == ["realmId": "4620816365"])
        let held = try #require(try cases.store.openCredentials(of: stored))
        let later = try await tester.perform(ConnectionTester.Subject(name: "realm", logKey: "realm", schema: schema, values: values, credentials: held))
        #expect(later.attempt.passed, "\(later.attempt.outcome.line)")
        #expect(later.attempt.exchanges.last?.url.hasSuffix("?company=4620816365") == true, "\(later.attempt.exchanges.map(\.url))")
        let document = try CeligoDocument.make(connection: stored, schema: schema)
        let ping = (document["http"] as? [String: Any])?["ping"] as? [String: Any]
        #expect((ping?["relativeURI"] as? String)?.hasSuffix("company=4620816365") == true, "\(String(describing: ping))")
        await browser.finish()
        await cases.transport.close()
    }
}
