import ConnectorSchema
import Foundation

/// An OAuth 2.0 client as a connector declares it, filled from the answers.
public struct OAuth2Settings: AuthScheme {
    public var grant: OAuthGrant
    public var tokenURL: String
    public var authorizeURL: String?
    public var clientId: String
    public var clientSecret: String?
    /// How the client authenticates at the token endpoint.
    public var clientAuth: ClientAuthentication
    public var scopes: [String]
    public var scopeDelimiter: String
    public var username: String?
    public var privateKeyFile: String?
    public var audience: String?
    /// Hosts the access token may go to; empty means the base URI's host only.
    public var allowedHosts: [String]
    /// The token response field that replaces the base URI (`instance_url`).
    public var tokenBaseURI: String?
    /// Where a device asks for its user code; nil when the connector offers no device sign-in.
    public var deviceURL: String? = nil
    public var deviceGrantType: String = "urn:ietf:params:oauth:grant-type:device_code"
    /// The revocation endpoint; nil when the connector declares none.
    public var revokeURL: String? = nil

    /// Whether the client's ID (and secret) go in the token request's body rather than an
    /// `Authorization: Basic` header: a client without a secret always sends its ID there.
    public var sendsClientInBody: Bool {
        guard clientSecret != nil else { return true }
        switch clientAuth {
        case .basic: return false
        case .body, .privateKeyJWT: return true
        }
    }
    /// The resource owner's password, for the password grant.
    public var password: String? = nil
    /// Query parameters of the authorization callback to keep (QuickBooks' `realmId`).
    public var callbackValues: [String] = []
    /// Token-request error codes and what they mean, as the connector explains them.
    public var explain: [String: String] = [:]
    /// A refresh token the operator gave as an answer; the refresh grant then trades it on
    /// every test instead of one a browser sign-in obtained.
    public var givenRefreshToken: String? = nil
    /// Extra fields of every token request.
    public var tokenParameters: [String: String] = [:]
    /// Extra query parameters of the browser sign-in address.
    public var authorizeParameters: [String: String] = [:]
    /// The header the access token travels in (Amazon's SP-API: `x-amz-access-token` alone);
    /// `Authorization` with the token type when nil.
    public var accessTokenHeader: HeaderAuth? = nil

    /// The header a test request carries `token` in.
    func header(for token: AccessToken) -> HeaderField {
        guard var custom = accessTokenHeader else { return token.header }
        custom.value = token.accessToken
        return custom.field
    }
}

extension OAuth2Settings {
    /// A connector's `oauth2` variant, its templates filled.
    init(_ spec: AuthSpec, fill: (Template?) -> String?) {
        func list(_ template: Template?) -> [String] {
            (fill(template) ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        }
        self.init(grant: spec.grant ?? .clientCredentials, tokenURL: fill(spec.tokenURL) ?? "",
                  authorizeURL: fill(spec.authorizeURL), clientId: fill(spec.clientId) ?? "",
                  clientSecret: fill(spec.clientSecret), clientAuth: spec.clientAuth ?? .basic,
                  scopes: list(spec.scopes), scopeDelimiter: spec.scopeDelimiter ?? " ",
                  username: fill(spec.username), privateKeyFile: fill(spec.privateKeyFile), audience: fill(spec.audience),
                  allowedHosts: list(spec.allowedHosts).map { $0.lowercased() }, tokenBaseURI: spec.tokenBaseURI)
        deviceURL = fill(spec.deviceURL)
        if let grantType = spec.deviceGrantType { deviceGrantType = grantType }
        revokeURL = fill(spec.revokeURL)
        password = fill(spec.password)
        callbackValues = spec.callbackValues
        explain = spec.explain
        givenRefreshToken = fill(spec.refreshToken)
        if let name = fill(spec.headerName) {
            let word = fill(spec.scheme)
            accessTokenHeader = HeaderAuth(name: name, scheme: word.flatMap { $0.lowercased() == "none" ? nil : $0 }, value: "")
        }
        tokenParameters = spec.tokenParameters.compactMapValues { fill($0) }
        authorizeParameters = spec.authorizeParameters.compactMapValues { fill($0) }
    }

    // MARK: The scheme

    func describe(baseURI: String, redactor: Redactor) -> [String] {
        var lines = ["OAuth 2.0, \(grant.described); token from \(tokenURL)"]
        if let authorizeURL { lines.append("sign-in page \(redactor.url(authorizeURL))") }
        // Said as the tester sends it: a JWT bearer grant sends no client authentication at
        // all (the client ID is the assertion's issuer), and a client without a secret
        // sends its ID in the body.
        if grant == .jwtBearer {
            lines.append("client ID \(redactor.text(clientId)), as the issuer (iss) of the signed JWT assertion; no client secret is sent")
        } else if clientAuth == .privateKeyJWT {
            lines.append("client ID \(redactor.text(clientId)), proved by a JWT signed with the private key in \(privateKeyFile ?? "(not given yet)") (private_key_jwt); no client secret is sent")
        } else {
            lines.append("client ID \(redactor.text(clientId))" + (clientSecret.map { ", secret \(Self.fingerprint($0))" } ?? "")
                         + " (sent \(sendsClientInBody ? "in the request body" : "in an Authorization: Basic header"))")
        }
        if grant == .password { lines.append("user \(redactor.text(username ?? "")), password \(Self.fingerprint(password ?? ""))") }
        if let givenRefreshToken { lines.append("refresh token \(Self.fingerprint(givenRefreshToken)) (given), traded for an access token on every test") }
        if !tokenParameters.isEmpty { lines.append("token requests also send " + tokenParameters.keys.sorted().map { "\($0)=\(redactor.text(tokenParameters[$0] ?? ""))" }.joined(separator: ", ")) }
        if !authorizeParameters.isEmpty { lines.append("the sign-in page also gets " + authorizeParameters.keys.sorted().map { "\($0)=\(redactor.text(authorizeParameters[$0] ?? ""))" }.joined(separator: ", ")) }
        if !callbackValues.isEmpty { lines.append("keeps " + callbackValues.joined(separator: ", ") + " from the sign-in's callback") }
        if !scopes.isEmpty { lines.append("scopes \(scopes.joined(separator: scopeDelimiter))") }
        let destination: String
        if !allowedHosts.isEmpty {
            destination = allowedHosts.joined(separator: ", ")
        } else if let tokenBaseURI {
            destination = "the host of the token response's \(tokenBaseURI) (it becomes the base URI)"
        } else {
            destination = URL(string: baseURI)?.host ?? baseURI
        }
        lines.append("header \(accessTokenHeader.map { $0.name + ": " + ($0.scheme.map { "\($0) " } ?? "") } ?? "Authorization: Bearer ")<access token>, sent only to \(destination)")
        return lines
    }

    func export(mask: String?, notes: inout [String]) -> [String: Any] {
        var fields: [String: Any] = ["tokenURI": tokenURL, "clientId": clientId, "scope": scopes, "scopeDelimiter": scopeDelimiter]
        if let clientSecret { fields["clientSecret"] = mask ?? clientSecret }
        if let authorizeURL {
            // integrator.io's HTTP connector has no field for extra sign-in parameters; they ride in the address.
            var address = URLComponents(string: authorizeURL)
            let extra = authorizeParameters.keys.sorted().map { URLQueryItem(name: $0, value: authorizeParameters[$0]) }
            if !extra.isEmpty, let given = address?.queryItems { address?.queryItems = given + extra } else if !extra.isEmpty { address?.queryItems = extra }
            fields["authURI"] = address?.string ?? authorizeURL
        }
        switch clientAuth {
        case .basic: fields["clientCredentialsLocation"] = "basicauthheader"
        case .body: fields["clientCredentialsLocation"] = "body"
        case .privateKeyJWT:
            fields["clientCredentialsLocation"] = "body"
            notes.append("The client proves itself with a JWT signed by its private key (private_key_jwt); integrator.io's HTTP connector sends a client secret instead, so give one there.")
        }
        switch grant {
        case .clientCredentials: fields["grantType"] = "clientcredentials"
        case .authorizationCode, .refreshToken: fields["grantType"] = "authorizecode"
        case .password:
            fields["grantType"] = "password"
            fields["username"] = username ?? ""
            fields["password"] = mask ?? password ?? ""
        case .jwtBearer:
            fields["grantType"] = "jwtbearer"
            notes.append("integrator.io documents no JWT bearer grant for HTTP connections; grantType jwtbearer marks what connwiz uses")
        }
        return ["type": "oauth", "oauth": fields]
    }

    func prepare(for settings: HTTPSettings, in run: inout AttemptRun) async -> AuthPreparation {
        let base = settings.baseURI
        // Refuse before asking for a token when a test would carry it off-limits.
        if tokenBaseURI == nil {
            let allowed = AttemptRun.allowedHosts(allowedHosts, base: base)
            if let refusal = settings.tests.lazy.compactMap({ AttemptRun.refusal(ConnectionResolver.join(base, $0.path), allowed: allowed) }).first {
                return .stop(refusal)
            }
        }
        switch await grantRunner(for: run.subject, base: base).token(self, in: &run) {
        case .failure(let outcome):
            return .stop(outcome)
        case .success(let token):
            if let custom = accessTokenHeader { run.redactor.addCredentialHeader(custom.name) }
            return .ready(RequestSigning(headers: [header(for: token)], allowedHosts: allowedHosts, baseURI: token.baseURI, renewal: self))
        }
    }

    /// The grant that gets this attempt its access token.
    func grantRunner(for subject: ConnectionTester.Subject, base: String) -> any GrantRunner {
        switch grant {
        case .clientCredentials: return ClientCredentialsGrant()
        case .jwtBearer: return JWTBearerGrant(defaultAudience: base)
        case .password: return PasswordGrant()
        case .refreshToken where givenRefreshToken != nil:
            return GivenRefreshGrant()
        case .authorizationCode, .refreshToken:
            switch subject.authorization {
            case .code(let code, let verifier, let redirectURI, let callback)?:
                return CodeExchangeGrant(code: code, verifier: verifier, redirectURI: redirectURI, callback: callback)
            case .device(let prompt)?: return DeviceGrant(prompt: prompt)
            case nil: return HeldTokenGrant()
            }
        }
    }
}

extension OAuthGrant {
    /// The grant as the HTTP view names it.
    var described: String {
        switch self {
        case .clientCredentials: return "client credentials"
        case .authorizationCode: return "authorization code with PKCE (a browser sign-in)"
        case .refreshToken: return "refresh token"
        case .jwtBearer: return "JWT bearer (a signed assertion)"
        case .password: return "password (the user's name and password buy the token)"
        }
    }
}
