import ConnectionCore
import ConnectorSchema
import Crypto
import Foundation
import FormEngine
import Sandbox

/// A service the sandbox stands in for from its connector file's `standIn:` section, with no
/// Swift of its own: each account's answers are resolved through the connector, as a test
/// would resolve them, into the host, the credential and the test requests that reach it.
///
/// For a request to a host the connector's base URI could name: a token request to an
/// account's token URL with its client gets an access token; a request carrying an account's
/// credential to one of its test paths gets the account's response; a credential no account
/// holds gets `unauthorized`; a host no account names gets `notFound`.
public struct DeclaredStandIn: SandboxResponder {
    public let connector: String
    let spec: StandInSpec
    let hostPatterns: [String]
    let accounts: [ResolvedAccount]
    /// Sign-in tickets and authorization codes, sealed rather than stored.
    let tickets = SealedTickets()
    let clock: @Sendable () -> Date

    /// One account, resolved.
    struct ResolvedAccount: Sendable {
        var account: StandInSpec.Account
        var index: Int
        var host: String
        /// Method and path of each test request.
        var tests: [(method: String, path: String)]
        var credential: Credential
    }

    /// What a request must carry to be the account's.
    enum Credential: Sendable {
        case header(name: String, value: String)
        case query(name: String, value: String)
        /// An OAuth 2.0 client: the token endpoint checks the client (and the user, for the
        /// password grant) and issues `accessToken`, which the test requests then carry. An
        /// authorization-code client signs in first on the stand-in's page at `authorize`.
        case oauth2(tokenHost: String, tokenPath: String, settings: OAuth2Settings, accessToken: String, authorize: URLComponents?)
        /// A JWT signed by the account's key: sent on each request, or traded at `exchange`
        /// (the JWT bearer grant) for `accessToken`.
        case jwt(JWTVerifier, header: HeaderAuth, exchange: URLComponents?, accessToken: String)
        /// A login request first: its body must be the account's, and it answers with a token
        /// at `tokenPath` (or, without one, a session cookie) that the tests then carry.
        case login(URLComponents, method: String, body: String?, tokenPath: String?, header: HeaderAuth, accessToken: String)
        /// A type a declared stand-in cannot check (a signature, a challenge): nothing passes.
        case unsupported(String)
    }

    /// Why a connector's stand-in cannot be built; lint says the same.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// - Parameter folder: where the stand-in's declared files are written (the sandbox's
    ///   folder); nil writes them to a temporary folder.
    public init(schema: ConnectorSchema, folder: String? = nil, clock: @escaping @Sendable () -> Date = Date.init) throws {
        guard let spec = schema.standIn, let http = schema.http else { throw Problem(description: "\(schema.id) declares no stand-in") }
        connector = schema.id
        self.spec = spec
        self.clock = clock
        hostPatterns = http.baseURI.compactMap { Self.hostPattern(of: $0.value.source) }
        let files = try StandInFiles.write(spec, connector: schema.id, into: folder)
        var resolved: [ResolvedAccount] = []
        for (index, account) in spec.accounts.enumerated() {
            var form = FormState(schema: schema, context: FormContext(mode: .create, savedConnections: []))
            let outcome = ScriptedAnswers(Self.answers(of: account, folder: files)).apply(to: &form)
            guard outcome.problems.isEmpty, let draft = form.draft else {
                throw Problem(description: "the stand-in account “\(account.name)” of \(schema.id) does not answer the form: "
                              + outcome.problems.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
            }
            let settings: HTTPSettings
            let values = ConnectionResolver.values(draft.values, keeping: account.signIn?.callback)
            do { settings = try ConnectionResolver.resolve(schema: schema, values: values) } catch {
                throw Problem(description: "the stand-in account “\(account.name)” of \(schema.id) cannot be resolved: \(error)")
            }
            guard let base = URLComponents(string: settings.baseURI), let host = base.host?.lowercased() else {
                throw Problem(description: "the stand-in account “\(account.name)” of \(schema.id) has no host in \(settings.baseURI)")
            }
            let tests = settings.tests.map { test in
                (test.method, URLComponents(string: ConnectionResolver.join(settings.baseURI, test.path))?.path ?? test.path)
            }
            resolved.append(ResolvedAccount(account: account, index: index, host: host, tests: tests,
                                            credential: Self.credential(settings.auth, connector: schema.id, index: index,
                                                                        signsIn: account.signIn != nil, baseURI: settings.baseURI)))
        }
        accounts = resolved
    }

    /// An account's answers as a script gives them, its name as the connection's name unless
    /// it gives one, and `{{sandboxFolder}}` the folder its files were written to.
    public static func answers(of account: StandInSpec.Account, folder: String) -> [String: String] {
        var answers = account.answers(folder: folder)
        if answers[ConnectorSchema.nameField] == nil { answers[ConnectorSchema.nameField] = account.name }
        return answers
    }

    static func credential(_ auth: ResolvedAuth?, connector: String, index: Int, signsIn: Bool, baseURI: String) -> Credential {
        let accessToken = "sbx-\(connector)-access-\(index + 1)"
        switch auth {
        case nil: return .unsupported("no auth")
        case .header(let header)?: return .header(name: header.name, value: header.field.value)
        case .basic(let basic)?:
            return .header(name: "Authorization", value: "Basic " + Data("\(basic.username):\(basic.password)".utf8).base64EncodedString())
        case .query(let query)?: return .query(name: query.parameter, value: query.value)
        case .oauth2(let settings)?:
            let given = settings.grant == .refreshToken && settings.givenRefreshToken != nil
            let signIn = settings.grant == .authorizationCode && signsIn ? settings.authorizeURL.flatMap(URLComponents.init(string:)) : nil
            guard [.clientCredentials, .password].contains(settings.grant) || given || signIn?.host != nil,
                  let token = URLComponents(string: settings.tokenURL),
                  let host = token.host?.lowercased() else { return .unsupported("oauth2 \(settings.grant.rawValue)") }
            return .oauth2(tokenHost: host, tokenPath: token.path, settings: settings, accessToken: accessToken, authorize: signIn)
        case .jwt(let jwt)?:
            guard let verifier = try? JWTVerifier(algorithm: jwt.algorithm, secret: jwt.signingKey, keyFile: jwt.privateKeyFile, claims: jwt.claims) else {
                return .unsupported("jwt without a key the stand-in can read")
            }
            let exchange = jwt.tokenURL.flatMap(URLComponents.init(string:))
            return .jwt(verifier, header: HeaderAuth(name: jwt.headerName, scheme: jwt.scheme, value: ""), exchange: exchange, accessToken: accessToken)
        case .oauth1?: return .unsupported("oauth1")
        case .digest?: return .unsupported("digest")
        case .awsSigV4?: return .unsupported("awsSigV4")
        case .wsse?: return .unsupported("wsse")
        case .cookie(let cookie)?:
            guard let login = URLComponents(string: ConnectionResolver.join(baseURI, cookie.loginURL)), login.host != nil else { return .unsupported("cookie login without a host") }
            return .login(login, method: cookie.loginMethod, body: cookie.loginBody, tokenPath: cookie.tokenPath,
                          header: HeaderAuth(name: cookie.headerName, scheme: cookie.scheme, value: ""), accessToken: accessToken)
        case .clientCertificate?: return .unsupported("clientCertificate")
        }
    }

    /// The host of a base-URI template as a pattern: each `{{…}}` stands for one label.
    static func hostPattern(of template: String) -> String? {
        guard let schemeEnd = template.range(of: "://") else { return nil }
        let rest = template[schemeEnd.upperBound...]
        let host = String(rest.prefix { $0 != "/" && $0 != ":" && $0 != "?" }).lowercased()
        guard !host.isEmpty, host.contains("."), !host.hasPrefix("{{") || host.contains("}}.") else { return nil }
        var pattern = ""
        var remaining = Substring(host)
        while let open = remaining.range(of: "{{") {
            pattern += remaining[..<open.lowerBound]
            guard let close = remaining[open.upperBound...].range(of: "}}") else { return nil }
            pattern += "*"
            remaining = remaining[close.upperBound...]
        }
        return pattern + remaining
    }

    static func matches(_ host: String, pattern: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return host == pattern }
        var rest = Substring(host)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for (index, part) in parts.enumerated().dropFirst() {
            if index == parts.count - 1 {
                guard rest.hasSuffix(part), rest.count > part.count else { return false }
                return !rest.dropLast(part.count).contains(".")
            }
            guard let found = rest.range(of: part), found.lowerBound > rest.startIndex else { return false }
            guard !rest[..<found.lowerBound].contains(".") else { return false }
            rest = rest[found.upperBound...]
        }
        return true
    }

    // MARK: SandboxResponder

    public var hostNames: [String] { Array(Set(hostPatterns + tokenHosts + accounts.map(\.host))).sorted() }

    /// The hosts of token endpoints and sign-in pages.
    var tokenHosts: [String] {
        accounts.flatMap { account -> [String] in
            switch account.credential {
            case .oauth2(let host, _, _, _, let authorize): return [host] + [authorize?.host?.lowercased()].compactMap { $0 }
            case .jwt(_, _, let exchange, _): return [exchange?.host?.lowercased()].compactMap { $0 }
            case .login(let login, _, _, _, _, _): return [login.host?.lowercased()].compactMap { $0 }
            case .header, .query, .unsupported: return []
            }
        }
    }

    public func answers(host: String) -> Bool {
        hostPatterns.contains { Self.matches(host, pattern: $0) } || tokenHosts.contains(host) || accounts.contains { $0.host == host }
    }

    public func handle(_ request: SandboxRequest) -> SandboxResponse {
        if let page = signInRequest(request) { return page }
        if let login = loginRequest(request) { return login }
        if let token = tokenRequest(request) { return token }
        let onHost = accounts.filter { $0.host == request.host }
        guard !onHost.isEmpty else { return respond(spec.otherHost, fallback: 404) }
        guard let account = onHost.first(where: { carries(request, $0.credential) }) else {
            return respond(StandInSpec.unauthorized, fallback: 401)
        }
        guard account.tests.contains(where: { $0.method == request.method && $0.path == request.path }) else {
            return respond(StandInSpec.notFound, fallback: 404)
        }
        return respond(account.account.respond, fallback: 200)
    }

    func carries(_ request: SandboxRequest, _ credential: Credential) -> Bool {
        switch credential {
        case .header(let name, let value): return request.header(name) == value
        case .query(let name, let value): return request.query[name] == value
        case .oauth2(_, _, let settings, let token, _):
            guard let custom = settings.accessTokenHeader else { return request.header("authorization") == "Bearer \(token)" }
            return request.header(custom.name) == (custom.scheme.map { "\($0) \(token)" } ?? token)
        case .jwt(let verifier, let header, let exchange, let token):
            guard exchange == nil else { return request.header("authorization") == "Bearer \(token)" }
            guard let sent = request.header(header.name) else { return false }
            let prefix = header.scheme.map { "\($0) " } ?? ""
            return sent.hasPrefix(prefix) && verifier.problem(with: String(sent.dropFirst(prefix.count)), now: clock()) == nil
        case .login(_, _, _, let tokenPath, let header, let token):
            guard tokenPath != nil else {
                return (request.header("cookie") ?? "").split(separator: ";").contains { $0.trimmingCharacters(in: .whitespaces) == "\(Self.sessionCookie)=\(token)" }
            }
            return request.header(header.name) == (header.scheme.map { "\($0) \(token)" } ?? token)
        case .unsupported: return false
        }
    }

    /// The cookie a login without a token path sets.
    static let sessionCookie = "sbx_session"

    /// A login request to an account's login address: its body must be the account's (the
    /// same JSON, form or text), and the answer carries the token the tests then send.
    func loginRequest(_ request: SandboxRequest) -> SandboxResponse? {
        let logins = accounts.compactMap { account -> (String?, String?, String)? in
            guard case .login(let url, let method, let body, let tokenPath, _, let token) = account.credential,
                  url.host?.lowercased() == request.host, url.path == request.path, method == request.method else { return nil }
            return (body, tokenPath, token)
        }
        guard !logins.isEmpty else { return nil }
        guard let (_, tokenPath, token) = logins.first(where: { Self.sameBody($0.0, request.body) }) else {
            return respond("loginRefused", fallback: 401, default: ["message": "The login was refused: the user name or password is wrong."])
        }
        guard let tokenPath else {
            return SandboxResponse(status: 200, headers: [("Set-Cookie", "\(Self.sessionCookie)=\(token); Path=/; HttpOnly")], body: .data(Data("{}".utf8)))
        }
        var value: Any = token
        for name in tokenPath.split(separator: ".").reversed() where tokenPath != "." { value = [String(name): value] }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]) else { return .empty(500) }
        return SandboxResponse(status: 200, headers: [("Content-Type", "application/json")], body: .data(data))
    }

    /// Whether a login body is the account's: equal JSON, equal form fields, or equal text.
    static func sameBody(_ expected: String?, _ sent: Data) -> Bool {
        guard let expected else { return sent.isEmpty }
        if let want = try? JSONSerialization.jsonObject(with: Data(expected.utf8), options: [.fragmentsAllowed]) as? NSObject,
           let got = try? JSONSerialization.jsonObject(with: sent, options: [.fragmentsAllowed]) as? NSObject {
            return want.isEqual(got)
        }
        if expected.contains("=") { return SandboxRequest.form(expected) == SandboxRequest.form(String(decoding: sent, as: UTF8.self)) }
        return Data(expected.utf8) == sent
    }

    /// The declared response `name`, or a plain one with `fallback` when the file declares none.
    func respond(_ name: String, fallback: Int, default body: [String: Any]? = nil) -> SandboxResponse {
        guard let response = spec.responses[name] else {
            return .json(fallback, body ?? ["error": name, "message": "The \(connector) stand-in answers \(name)."])
        }
        let headers = response.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        switch response.body {
        case .string(let text)?:
            let type = response.headers.keys.contains { $0.lowercased() == "content-type" } ? [] : [("Content-Type", "text/plain; charset=utf-8")]
            return SandboxResponse(status: response.status, headers: type + headers, body: .data(Data(text.utf8)))
        case nil:
            return SandboxResponse(status: response.status, headers: headers)
        case let value?:
            return .json(response.status, value.foundation, headers: headers)
        }
    }
}
