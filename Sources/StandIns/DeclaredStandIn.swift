import ConnectionCore
import ConnectorSchema
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
        /// password grant) and issues `accessToken`, which the test requests then carry.
        case oauth2(tokenHost: String, tokenPath: String, settings: OAuth2Settings, accessToken: String)
        /// A type a declared stand-in cannot check (a signature, a challenge): nothing passes.
        case unsupported(String)
    }

    /// Why a connector's stand-in cannot be built; lint says the same.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    public init(schema: ConnectorSchema) throws {
        guard let spec = schema.standIn, let http = schema.http else { throw Problem(description: "\(schema.id) declares no stand-in") }
        connector = schema.id
        self.spec = spec
        hostPatterns = http.baseURI.compactMap { Self.hostPattern(of: $0.value.source) }
        var resolved: [ResolvedAccount] = []
        for (index, account) in spec.accounts.enumerated() {
            var form = FormState(schema: schema, context: FormContext(mode: .create, savedConnections: []))
            let outcome = ScriptedAnswers(Self.answers(of: account)).apply(to: &form)
            guard outcome.problems.isEmpty, let draft = form.draft else {
                throw Problem(description: "the stand-in account “\(account.name)” of \(schema.id) does not answer the form: "
                              + outcome.problems.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
            }
            let settings: HTTPSettings
            do { settings = try ConnectionResolver.resolve(schema: schema, values: draft.values) } catch {
                throw Problem(description: "the stand-in account “\(account.name)” of \(schema.id) cannot be resolved: \(error)")
            }
            guard let base = URLComponents(string: settings.baseURI), let host = base.host?.lowercased() else {
                throw Problem(description: "the stand-in account “\(account.name)” of \(schema.id) has no host in \(settings.baseURI)")
            }
            let tests = settings.tests.map { test in
                (test.method, URLComponents(string: ConnectionResolver.join(settings.baseURI, test.path))?.path ?? test.path)
            }
            resolved.append(ResolvedAccount(account: account, index: index, host: host, tests: tests,
                                            credential: Self.credential(settings.auth, connector: schema.id, index: index)))
        }
        accounts = resolved
    }

    /// An account's answers as a script gives them, its name as the connection's name unless
    /// it gives one.
    public static func answers(of account: StandInSpec.Account) -> [String: String] {
        var answers = account.answers
        if answers[ConnectorSchema.nameField] == nil { answers[ConnectorSchema.nameField] = account.name }
        return answers
    }

    static func credential(_ auth: ResolvedAuth?, connector: String, index: Int) -> Credential {
        switch auth {
        case nil: return .unsupported("no auth")
        case .header(let header)?: return .header(name: header.name, value: header.field.value)
        case .basic(let basic)?:
            return .header(name: "Authorization", value: "Basic " + Data("\(basic.username):\(basic.password)".utf8).base64EncodedString())
        case .query(let query)?: return .query(name: query.parameter, value: query.value)
        case .oauth2(let settings)?:
            let given = settings.grant == .refreshToken && settings.givenRefreshToken != nil
            guard [.clientCredentials, .password].contains(settings.grant) || given, let token = URLComponents(string: settings.tokenURL),
                  let host = token.host?.lowercased() else { return .unsupported("oauth2 \(settings.grant.rawValue)") }
            return .oauth2(tokenHost: host, tokenPath: token.path, settings: settings, accessToken: "sbx-\(connector)-access-\(index + 1)")
        case .oauth1?: return .unsupported("oauth1")
        case .digest?: return .unsupported("digest")
        case .awsSigV4?: return .unsupported("awsSigV4")
        case .wsse?: return .unsupported("wsse")
        case .jwt?: return .unsupported("jwt")
        case .cookie?: return .unsupported("cookie")
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

    var tokenHosts: [String] {
        accounts.compactMap { if case .oauth2(let host, _, _, _) = $0.credential { return host } else { return nil } }
    }

    public func answers(host: String) -> Bool {
        hostPatterns.contains { Self.matches(host, pattern: $0) } || tokenHosts.contains(host) || accounts.contains { $0.host == host }
    }

    public func handle(_ request: SandboxRequest) -> SandboxResponse {
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
        case .oauth2(_, _, let settings, let token):
            guard let custom = settings.accessTokenHeader else { return request.header("authorization") == "Bearer \(token)" }
            return request.header(custom.name) == (custom.scheme.map { "\($0) \(token)" } ?? token)
        case .unsupported: return false
        }
    }

    /// An OAuth 2.0 token request to an account's token endpoint: the client must be the
    /// account's (Basic or in the body), and for the password grant its user too.
    func tokenRequest(_ request: SandboxRequest) -> SandboxResponse? {
        let candidates = accounts.compactMap { account -> (ResolvedAccount, OAuth2Settings, String)? in
            guard case .oauth2(let host, let path, let settings, let token) = account.credential,
                  host == request.host, path == request.path else { return nil }
            return (account, settings, token)
        }
        guard !candidates.isEmpty else { return nil }
        guard request.method == "POST" else { return .json(405, ["error": "invalid_request", "error_description": "Use POST."]) }
        let form = SandboxRequest.form(String(decoding: request.body, as: UTF8.self))
        var clientID = form["client_id"], clientSecret = form["client_secret"]
        if let basic = request.header("authorization"), basic.hasPrefix("Basic "),
           let decoded = Data(base64Encoded: String(basic.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
           let colon = decoded.firstIndex(of: ":") {
            clientID = String(decoded[..<colon]).removingPercentEncoding
            clientSecret = String(decoded[decoded.index(after: colon)...]).removingPercentEncoding
        }
        // A request may name the client in the form as well as in Basic; either way it must be the account's.
        guard let (account, settings, token) = candidates.first(where: {
            $0.1.clientId == clientID && $0.1.clientSecret == clientSecret
                && ($0.1.givenRefreshToken == nil || form["refresh_token"] == nil || form["refresh_token"] == $0.1.givenRefreshToken)
        }) ?? candidates.first(where: { $0.1.clientId == clientID && $0.1.clientSecret == clientSecret }) else {
            return respond("invalidClient", fallback: 401, default: ["error": "invalid_client", "error_description": "Client authentication failed."])
        }
        switch settings.grant {
        case .password:
            guard form["grant_type"] == "password", form["username"] == settings.username, form["password"] == settings.password else {
                return respond("invalidGrant", fallback: 400, default: ["error": "invalid_grant", "error_description": "The user name or password is wrong."])
            }
        case .clientCredentials:
            guard form["grant_type"] == "client_credentials" else {
                return .json(400, ["error": "unsupported_grant_type", "error_description": "This client uses client_credentials."])
            }
        case .refreshToken where settings.givenRefreshToken != nil:
            guard form["grant_type"] == "refresh_token", form["refresh_token"] == settings.givenRefreshToken else {
                return respond("invalidGrant", fallback: 400, default: ["error": "invalid_grant", "error_description": "The refresh token is not valid."])
            }
        case .authorizationCode, .refreshToken, .jwtBearer:
            return .json(400, ["error": "unsupported_grant_type"])
        }
        _ = account
        return .json(200, ["access_token": token, "token_type": "Bearer", "expires_in": 3600])
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
