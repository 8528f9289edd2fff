import Foundation

/// A client certificate for mutual TLS, and the CA bundle that vouches for the server: a PEM
/// certificate and key, or a PKCS#12 file and its passphrase. It goes with any auth type.
public struct ClientCertificateSpec: Hashable, Sendable, Codable {
    public var certificateFile: Template?
    public var keyFile: Template?
    public var pkcs12File: Template?
    public var passphrase: Template?
    /// Extra CA certificates (PEM) to trust for this connection's servers.
    public var caFile: Template?

    enum CodingKeys: String, CodingKey, CaseIterable { case certificateFile, keyFile, pkcs12File, passphrase, caFile }

    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        certificateFile = try c.decodeIfPresent(Template.self, forKey: .certificateFile)
        keyFile = try c.decodeIfPresent(Template.self, forKey: .keyFile)
        pkcs12File = try c.decodeIfPresent(Template.self, forKey: .pkcs12File)
        passphrase = try c.decodeIfPresent(Template.self, forKey: .passphrase)
        caFile = try c.decodeIfPresent(Template.self, forKey: .caFile)
        if pkcs12File != nil && (certificateFile != nil || keyFile != nil) {
            throw decoder.failure("give either pkcs12File or certificateFile with keyFile, not both")
        }
        if (certificateFile == nil) != (keyFile == nil) {
            throw decoder.failure("certificateFile and keyFile go together")
        }
    }

    public var templates: [(String, Template?)] {
        [("certificateFile", certificateFile), ("keyFile", keyFile), ("pkcs12File", pkcs12File), ("passphrase", passphrase), ("caFile", caFile)]
    }
}

/// One way of authenticating, chosen by `when` among a connector's `auth` variants.
///
/// Only the keys of its `type` apply (`AuthSpec.keys(for:)` lists them); `clientCertificate`
/// goes with any type.
public struct AuthSpec: Hashable, Sendable, Codable {
    public var when: ConditionSet
    public var type: AuthType
    public var token: Template?
    public var headerName: Template?
    public var scheme: Template?
    public var value: Template?
    public var username: Template?
    public var password: Template?
    public var paramName: Template?
    public var grant: OAuthGrant?

    /// An OAuth grant that needs the operator to sign in in a browser first.
    public var signsInThroughBrowser: Bool {
        type == .oauth2 && (grant == .authorizationCode || (grant == .refreshToken && refreshToken == nil))
    }
    /// A refresh token the operator pastes (Amazon's Seller Central self-authorization, a Zoho
    /// self client): the `refreshToken` grant then needs no browser sign-in; each test trades it.
    public var refreshToken: Template?
    /// Extra fields of every token request (Box's `box_subject_type` and `box_subject_id`).
    public var tokenParameters: [String: Template] = [:]
    /// Extra query parameters of the browser sign-in address (Google's `access_type=offline`
    /// and `prompt=consent`, without which no refresh token comes back).
    public var authorizeParameters: [String: Template] = [:]
    public var tokenURL: Template?
    public var authorizeURL: Template?
    public var clientId: Template?
    public var clientSecret: Template?
    /// How the client authenticates at the token endpoint: `basic` (client_secret_basic), `body`
    /// or `privateKeyJWT`.
    public var clientAuth: ClientAuthentication?
    public var scopes: Template?
    public var scopeDelimiter: String?
    public var privateKeyFile: Template?
    public var audience: Template?
    /// Host names (comma or space separated) an OAuth access token may be sent to; a request
    /// to any other host is refused before it leaves. Empty means the base URI's host only.
    public var allowedHosts: Template?
    /// A field of the token response that replaces the base URI for the calls that follow
    /// (Salesforce's `instance_url`).
    public var tokenBaseURI: String?
    /// Where a device asks for its user code (RFC 8628 §3.1); declaring it offers device
    /// sign-in (`connwiz authorize NAME --device`).
    public var deviceURL: Template?
    /// The `grant_type` of a device poll: RFC 8628's `urn:ietf:params:oauth:grant-type:device_code`
    /// unless the service names its own (Salesforce: `device`).
    public var deviceGrantType: String?
    /// The revocation endpoint (RFC 7009), for `connwiz token revoke`.
    public var revokeURL: Template?
    /// Query parameters of the authorization callback to keep with the connection (QuickBooks'
    /// `realmId`), usable in templates as `{{callback.NAME}}`.
    public var callbackValues: [String] = []
    /// Token-request error codes with what they mean (`AADSTS7000215: …`), matched against the
    /// token response's `error`, `error_description` and `error_codes`.
    public var explain: [String: String] = [:]

    // OAuth 1.0a
    public var consumerKey: Template?
    public var consumerSecret: Template?
    public var tokenSecret: Template?
    /// `HMAC-SHA1`, `HMAC-SHA256` (the default) or `RSA-SHA256`.
    public var signatureMethod: Template?
    public var realm: Template?

    // AWS Signature Version 4
    public var accessKeyId: Template?
    public var secretAccessKey: Template?
    public var sessionToken: Template?
    public var region: Template?
    public var service: Template?

    // JWT
    /// `HS256`, `RS256` or `ES256`.
    public var algorithm: Template?
    /// The shared secret of HS256.
    public var signingKey: Template?
    /// The claims, each a template; `iat`, `exp` and `jti` are filled in unless given.
    public var claims: [String: Template] = [:]
    /// Seconds from `iat` to `exp` (300 unless given).
    public var lifetime: Int?

    // Cookie
    public var loginURL: Template?
    public var loginMethod: Template?
    public var loginBody: Template?
    /// The login body's media type (`application/json` unless given).
    public var loginContentType: Template?
    /// A dotted path to a token in the login response's JSON body (`.` when the body is the
    /// token itself, as Magento's is); the tests then send it in `headerName` with `scheme`.
    public var tokenPath: Template?

    /// A client certificate for mutual TLS, with any type.
    public var clientCertificate: ClientCertificateSpec?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case when, type, token, headerName, scheme, value, username, password, paramName, grant,
             tokenURL, authorizeURL, clientId, clientSecret, clientAuth, scopes, scopeDelimiter,
             privateKeyFile, audience, allowedHosts, tokenBaseURI, deviceURL, deviceGrantType, revokeURL,
             callbackValues, explain, refreshToken, tokenParameters, authorizeParameters,
             consumerKey, consumerSecret, tokenSecret, signatureMethod, realm,
             accessKeyId, secretAccessKey, sessionToken, region, service,
             algorithm, signingKey, claims, lifetime,
             loginURL, loginMethod, loginBody, loginContentType, tokenPath,
             clientCertificate
    }

    /// The keys a type takes (besides `when`, `type` and `clientCertificate`), and those it needs.
    static func keys(for type: AuthType) -> (allowed: Set<CodingKeys>, needed: [CodingKeys]) {
        switch type {
        case .bearer: return ([.token], [.token])
        case .header: return ([.headerName, .scheme, .value], [.value])
        case .basic: return ([.username, .password], [.username, .password])
        case .query: return ([.paramName, .value], [.paramName, .value])
        case .oauth2:
            return ([.grant, .tokenURL, .authorizeURL, .clientId, .clientSecret, .clientAuth, .scopes, .scopeDelimiter, .privateKeyFile,
                     .audience, .allowedHosts, .tokenBaseURI, .deviceURL, .deviceGrantType, .revokeURL, .username, .password,
                     .callbackValues, .explain, .refreshToken, .tokenParameters, .authorizeParameters, .headerName, .scheme], [.grant, .tokenURL, .clientId])
        case .oauth1:
            return ([.consumerKey, .consumerSecret, .token, .tokenSecret, .signatureMethod, .realm, .privateKeyFile], [.consumerKey, .token])
        case .digest: return ([.username, .password], [.username, .password])
        case .awsSigV4:
            return ([.accessKeyId, .secretAccessKey, .sessionToken, .region, .service], [.accessKeyId, .secretAccessKey, .region, .service])
        case .wsse: return ([.username, .password, .headerName], [.username, .password])
        case .jwt:
            return ([.algorithm, .signingKey, .privateKeyFile, .claims, .lifetime, .headerName, .scheme, .tokenURL, .explain], [.algorithm])
        case .cookie:
            return ([.loginURL, .loginMethod, .loginBody, .loginContentType, .tokenPath, .headerName, .scheme], [.loginURL])
        case .clientCertificate: return ([], [])
        }
    }

    public init(type: AuthType, when: ConditionSet = ConditionSet()) {
        self.type = type
        self.when = when
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        let typeName = try c.decode(String.self, forKey: .type)
        guard let type = AuthType(rawValue: typeName) else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription:
                "unknown auth type “\(typeName)”; expected one of: " + AuthType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.type = type
        let (allowed, needed) = Self.keys(for: type)
        let general: Set<CodingKeys> = [.when, .type, .clientCertificate]
        if let stray = c.allKeys.first(where: { !allowed.contains($0) && !general.contains($0) }) {
            throw decoder.failure("“\(stray.stringValue)” does not apply to auth type \(type.rawValue); it takes "
                                  + allowed.map(\.stringValue).sorted().joined(separator: ", "))
        }
        for key in needed where !c.contains(key) {
            throw decoder.failure("auth type \(type.rawValue) needs “\(key.stringValue)”")
        }
        when = try c.decodeIfPresent(ConditionSet.self, forKey: .when) ?? ConditionSet()
        func template(_ key: CodingKeys) throws -> Template? { try c.decodeIfPresent(Template.self, forKey: key) }
        token = try template(.token)
        headerName = try template(.headerName)
        scheme = try template(.scheme)
        value = try template(.value)
        username = try template(.username)
        password = try template(.password)
        paramName = try template(.paramName)
        if let grantName = try c.decodeIfPresent(String.self, forKey: .grant) {
            guard let grant = OAuthGrant(rawValue: grantName) else {
                throw DecodingError.dataCorruptedError(forKey: .grant, in: c, debugDescription:
                    "unknown grant “\(grantName)”; expected one of: " + OAuthGrant.allCases.map(\.rawValue).joined(separator: ", "))
            }
            self.grant = grant
        }
        tokenURL = try template(.tokenURL)
        authorizeURL = try template(.authorizeURL)
        clientId = try template(.clientId)
        clientSecret = try template(.clientSecret)
        if let name = try c.decodeIfPresent(String.self, forKey: .clientAuth) {
            guard let auth = ClientAuthentication(rawValue: name) else {
                throw decoder.failure("clientAuth is " + ClientAuthentication.allCases.map(\.rawValue).joined(separator: ", ") + ", not “\(name)”")
            }
            clientAuth = auth
        }
        scopes = try template(.scopes)
        scopeDelimiter = try c.decodeIfPresent(String.self, forKey: .scopeDelimiter)
        privateKeyFile = try template(.privateKeyFile)
        audience = try template(.audience)
        allowedHosts = try template(.allowedHosts)
        tokenBaseURI = try c.decodeIfPresent(String.self, forKey: .tokenBaseURI)
        deviceURL = try template(.deviceURL)
        deviceGrantType = try c.decodeIfPresent(String.self, forKey: .deviceGrantType)
        revokeURL = try template(.revokeURL)
        callbackValues = try c.decodeIfPresent([String].self, forKey: .callbackValues) ?? []
        explain = try c.decodeIfPresent([String: String].self, forKey: .explain) ?? [:]
        refreshToken = try template(.refreshToken)
        tokenParameters = try c.decodeIfPresent([String: Template].self, forKey: .tokenParameters) ?? [:]
        authorizeParameters = try c.decodeIfPresent([String: Template].self, forKey: .authorizeParameters) ?? [:]
        consumerKey = try template(.consumerKey)
        consumerSecret = try template(.consumerSecret)
        tokenSecret = try template(.tokenSecret)
        signatureMethod = try template(.signatureMethod)
        realm = try template(.realm)
        accessKeyId = try template(.accessKeyId)
        secretAccessKey = try template(.secretAccessKey)
        sessionToken = try template(.sessionToken)
        region = try template(.region)
        service = try template(.service)
        algorithm = try template(.algorithm)
        signingKey = try template(.signingKey)
        claims = try c.decodeIfPresent([String: Template].self, forKey: .claims) ?? [:]
        lifetime = try c.decodeIfPresent(Int.self, forKey: .lifetime)
        loginURL = try template(.loginURL)
        loginMethod = try template(.loginMethod)
        loginBody = try template(.loginBody)
        loginContentType = try template(.loginContentType)
        tokenPath = try template(.tokenPath)
        clientCertificate = try c.decodeIfPresent(ClientCertificateSpec.self, forKey: .clientCertificate)

        switch type {
        case .oauth2:
            if grant == .authorizationCode { try need(.authorizeURL) }
            if grant == .jwtBearer { try need(.username, .privateKeyFile) }
            if grant == .password { try need(.username, .password) }
            if clientAuth == .privateKeyJWT { try need(.privateKeyFile) }
            if refreshToken != nil && grant != .refreshToken {
                throw decoder.failure("refreshToken is a pasted refresh token: it goes with grant refreshToken")
            }
            if !callbackValues.isEmpty && grant != .authorizationCode {
                throw decoder.failure("callbackValues come back from a browser sign-in: they apply to grant authorizationCode only")
            }
        case .oauth1:
            if let method = signatureMethod?.literal, !["HMAC-SHA1", "HMAC-SHA256", "RSA-SHA256"].contains(method.uppercased()) {
                throw decoder.failure("signatureMethod is HMAC-SHA1, HMAC-SHA256 or RSA-SHA256, not “\(method)”")
            }
            if signatureMethod?.literal?.uppercased() == "RSA-SHA256" { try need(.privateKeyFile) } else { try need(.consumerSecret, .tokenSecret) }
        case .jwt:
            if let name = algorithm?.literal, !["HS256", "RS256", "ES256"].contains(name.uppercased()) {
                throw decoder.failure("algorithm is HS256, RS256 or ES256, not “\(name)”")
            }
            if let name = algorithm?.literal?.uppercased() { try need(name == "HS256" ? .signingKey : .privateKeyFile) }
            if let lifetime, !(1...86_400).contains(lifetime) { throw decoder.failure("lifetime is a number of seconds from 1 to 86400") }
        case .cookie:
            if tokenPath == nil && (headerName != nil || scheme != nil) {
                throw decoder.failure("headerName and scheme say how to send a token taken from the login response: give tokenPath too")
            }
        case .clientCertificate:
            if clientCertificate == nil { throw decoder.failure("auth type clientCertificate needs “clientCertificate”") }
        case .bearer, .header, .basic, .query, .digest, .awsSigV4, .wsse: break
        }

        func need(_ keys: CodingKeys...) throws {
            for key in keys where !c.contains(key) {
                throw decoder.failure("auth type \(type.rawValue)" + (grant.map { " with grant \($0.rawValue)" } ?? "") + " needs “\(key.stringValue)”")
            }
        }
    }

    /// Every template of the variant with its key, for lint and for the secrets it sends.
    public var templates: [(String, Template?)] {
        [("token", token), ("headerName", headerName), ("scheme", scheme), ("value", value), ("username", username),
         ("password", password), ("paramName", paramName), ("tokenURL", tokenURL), ("authorizeURL", authorizeURL),
         ("clientId", clientId), ("clientSecret", clientSecret), ("scopes", scopes), ("privateKeyFile", privateKeyFile),
         ("audience", audience), ("allowedHosts", allowedHosts), ("deviceURL", deviceURL), ("revokeURL", revokeURL),
         ("consumerKey", consumerKey), ("consumerSecret", consumerSecret), ("tokenSecret", tokenSecret),
         ("signatureMethod", signatureMethod), ("realm", realm), ("accessKeyId", accessKeyId),
         ("secretAccessKey", secretAccessKey), ("sessionToken", sessionToken), ("region", region), ("service", service),
         ("algorithm", algorithm), ("signingKey", signingKey), ("loginURL", loginURL), ("loginMethod", loginMethod),
         ("loginBody", loginBody), ("loginContentType", loginContentType), ("tokenPath", tokenPath), ("refreshToken", refreshToken)]
        + tokenParameters.keys.sorted().map { ("tokenParameters.\($0)", tokenParameters[$0]) }
        + authorizeParameters.keys.sorted().map { ("authorizeParameters.\($0)", authorizeParameters[$0]) }
        + claims.keys.sorted().map { ("claims.\($0)", claims[$0]) }
        + (clientCertificate?.templates.map { ("clientCertificate.\($0.0)", $0.1) } ?? [])
    }
}

extension AuthSpec {
    /// The way of signing in as an operator names it, for `connwiz connectors` and the catalog
    /// page: the auth type, and for OAuth 2.0 how the token is obtained.
    public var family: String {
        switch type {
        case .bearer, .header, .query: return "token"
        case .basic: return "Basic"
        case .oauth2:
            switch grant ?? .clientCredentials {
            case .authorizationCode: return "OAuth 2.0 sign-in"
            case .refreshToken: return refreshToken == nil ? "OAuth 2.0 sign-in" : "OAuth 2.0 refresh token"
            case .clientCredentials: return clientAuth == .privateKeyJWT ? "OAuth 2.0 client credentials (JWT)" : "OAuth 2.0 client credentials"
            case .password: return "OAuth 2.0 password"
            case .jwtBearer: return "OAuth 2.0 JWT bearer"
            }
        case .oauth1: return "OAuth 1.0"
        case .digest: return "Digest"
        case .awsSigV4: return "AWS Signature V4"
        case .wsse: return "WSSE"
        // A token URL the operator may leave empty (the generic connector's) does not make it a grant.
        case .jwt: return tokenURL.map { !$0.source.contains("{{") } == true ? "JWT bearer" : "JWT"
        case .cookie: return tokenPath == nil ? "cookie login" : "login for a token"
        case .clientCertificate: return "client certificate"
        }
    }
}

extension ConnectorSchema {
    /// Each way of signing in the connector offers, in the order of its `auth` variants.
    public var authFamilies: [String] {
        var seen: [String] = []
        for auth in http?.auth ?? [] where !seen.contains(auth.family) { seen.append(auth.family) }
        return seen
    }
}
