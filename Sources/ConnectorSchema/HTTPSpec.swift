import Foundation

/// How a connection's answers become HTTP: the base URI, the authentication and the requests
/// that test the connection. Each is a list chosen by `when`, so one file covers regions, API
/// types and auth types: for `baseURI` and `auth` the first variant that holds wins; every test
/// whose `when` holds is run, in order.
public struct HTTPSpec: Hashable, Sendable, Codable {
    /// The body format the API speaks (`json`), as Celigo's `http.mediaType`.
    public var mediaType: String
    public var baseURI: [Variant<Template>]
    public var auth: [AuthSpec]
    public var tests: [TestRequestSpec]
    public var concurrency: ConcurrencySpec?
    /// Dotted paths into any JSON response whose values are secrets of the service's own
    /// (Twilio's account resource answers with the account's auth token), hidden wherever they
    /// appear; `*` stands for any key or array item.
    public var secretPaths: [String] = []

    public init(mediaType: String = "json", baseURI: [Variant<Template>], auth: [AuthSpec],
                tests: [TestRequestSpec], concurrency: ConcurrencySpec? = nil) {
        self.mediaType = mediaType
        self.baseURI = baseURI
        self.auth = auth
        self.tests = tests
        self.concurrency = concurrency
    }

    /// True when some auth variant signs in through a browser (an authorization code, or a
    /// refresh token obtained that way).
    public var maySignInThroughBrowser: Bool {
        auth.contains(where: \.signsInThroughBrowser)
    }

    /// True when the auth that applies to these answers signs in through a browser: the panel
    /// then offers Save & authorize.
    public func signsInThroughBrowser(_ answer: (String) -> FieldValue?) -> Bool {
        auth.first { $0.when.holds(answer) }?.signsInThroughBrowser ?? false
    }

    /// True when the auth that applies to these answers also signs in with a code on another
    /// device (it declares `deviceURL`): the sign-in screen then offers the switch.
    public func offersDeviceSignIn(_ answer: (String) -> FieldValue?) -> Bool {
        auth.first { $0.when.holds(answer) }?.deviceURL != nil
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case mediaType, baseURI, auth, tests, concurrency, secretPaths }

    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        mediaType = try c.decodeIfPresent(String.self, forKey: .mediaType) ?? "json"
        baseURI = try c.superDecoder(forKey: .baseURI).oneOrMany(Variant<Template>.self)
        auth = try c.superDecoder(forKey: .auth).oneOrMany(AuthSpec.self)
        tests = try c.superDecoder(forKey: .tests).oneOrMany(TestRequestSpec.self)
        concurrency = try c.decodeIfPresent(ConcurrencySpec.self, forKey: .concurrency)
        secretPaths = try c.decodeIfPresent([String].self, forKey: .secretPaths) ?? []
        if let bad = secretPaths.first(where: { $0.isEmpty || $0.split(separator: ".", omittingEmptySubsequences: false).contains("") }) {
            throw decoder.failure("“\(bad)” is not a dotted path such as account.auth_token or items.*.key")
        }
        if tests.isEmpty { throw decoder.failure("http needs at least one test request under tests") }
    }
}

/// A value that applies `when` its conditions hold. Decodes `{when, value}` or a bare value.
public struct Variant<Value: Hashable & Sendable & Codable>: Hashable, Sendable, Codable {
    public var when: ConditionSet
    public var value: Value

    public init(_ value: Value, when: ConditionSet = ConditionSet()) {
        self.value = value
        self.when = when
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case when, value }

    public init(from decoder: Decoder) throws {
        if let bare = try? Value(from: decoder) {
            self.init(bare)
            return
        }
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.init(try c.decode(Value.self, forKey: .value),
                  when: try c.decodeIfPresent(ConditionSet.self, forKey: .when) ?? ConditionSet())
    }
}

/// How requests prove who they come from.
public enum AuthType: String, Hashable, Sendable, Codable, CaseIterable {
    /// `Authorization: Bearer <token>`.
    case bearer
    /// A header of any name with an optional scheme word: `Authorization: AppKey <key>`.
    case header
    /// HTTP Basic with a username and password.
    case basic
    /// A query parameter carrying the token.
    case query
    /// An OAuth 2.0 access token, obtained by the grant named in `grant`.
    case oauth2
    /// OAuth 1.0a request signing (RFC 5849); NetSuite's token-based authentication.
    case oauth1
    /// HTTP Digest (RFC 7616): the server's challenge answered with a hashed password.
    case digest
    /// AWS Signature Version 4.
    case awsSigV4
    /// The WS-Security UsernameToken header (`X-WSSE`), with a password digest.
    case wsse
    /// A JWT signed by connwiz, sent as a bearer token or exchanged at a token URL.
    case jwt
    /// A login request whose session cookie (or a token from its body) the tests carry.
    case cookie
    /// No credential in the request: only the client certificate (`clientCertificate`) proves who calls.
    case clientCertificate
}

/// The OAuth 2.0 grants a connector may declare.
public enum OAuthGrant: String, Hashable, Sendable, Codable, CaseIterable {
    case clientCredentials
    case authorizationCode
    case refreshToken
    case jwtBearer
    /// The resource owner password grant (RFC 6749 §4.3): a user name and password for a token.
    case password
}

/// How an OAuth 2.0 client proves itself at the token endpoint (RFC 6749 §2.3.1, RFC 7523 §2.2).
public enum ClientAuthentication: String, Hashable, Sendable, Codable, CaseIterable {
    /// `client_secret_basic`: the ID and secret in an `Authorization: Basic` header.
    case basic
    /// `client_secret_post`: the ID and secret as fields of the request body.
    case body
    /// `private_key_jwt`: a JWT signed with the client's private key, as `client_assertion`.
    case privateKeyJWT
}

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
             callbackValues, explain, refreshToken, tokenParameters,
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
                     .callbackValues, .explain, .refreshToken, .tokenParameters, .headerName, .scheme], [.grant, .tokenURL, .clientId])
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
        + claims.keys.sorted().map { ("claims.\($0)", claims[$0]) }
        + (clientCertificate?.templates.map { ("clientCertificate.\($0.0)", $0.1) } ?? [])
    }
}

/// A request that tests a connection, and the rules that say whether it succeeded.
public struct TestRequestSpec: Hashable, Sendable, Codable {
    public var name: String?
    public var when: ConditionSet
    public var method: Template
    /// Relative to the base URI, or an absolute URL.
    public var path: Template
    public var headers: [String: Template]
    public var body: Template?
    public var success: SuccessRule
    /// A dotted path (`error.message`, `errors.0.message`) to the service's own message in a
    /// failing response's JSON body, as Celigo's `ping.errorPath`; when left out, the usual
    /// shapes of error bodies are tried.
    public var errorPath: String?
    /// A response header that carries the service's message when its body does not
    /// (BambooHR's `X-BambooHR-Error-Message`); read when the body holds none.
    public var errorHeader: String?
    /// What a failure most likely means for this request, in the operator's terms
    /// (`404: No data pool has this ID …`); shown after the status line.
    public var explain: FailureExplanation

    enum CodingKeys: String, CodingKey, CaseIterable { case name, when, method, path, headers, body, success, errorPath, errorHeader, explain }

    public init(name: String? = nil, method: Template = "GET", path: Template, success: SuccessRule = SuccessRule()) {
        self.name = name
        self.when = ConditionSet()
        self.method = method
        self.path = path
        self.headers = [:]
        self.success = success
        self.explain = FailureExplanation()
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        when = try c.decodeIfPresent(ConditionSet.self, forKey: .when) ?? ConditionSet()
        method = try c.decodeIfPresent(Template.self, forKey: .method) ?? "GET"
        path = try c.decode(Template.self, forKey: .path)
        headers = try c.decodeIfPresent([String: Template].self, forKey: .headers) ?? [:]
        body = try c.decodeIfPresent(Template.self, forKey: .body)
        success = try c.decodeIfPresent(SuccessRule.self, forKey: .success) ?? SuccessRule()
        errorPath = try c.decodeIfPresent(String.self, forKey: .errorPath)
        errorHeader = try c.decodeIfPresent(String.self, forKey: .errorHeader)
        explain = try c.decodeIfPresent(FailureExplanation.self, forKey: .explain) ?? FailureExplanation()
    }
}

/// When a test response counts as success: its status is listed (any 2xx when none are), no
/// `noArray` array with items is in its JSON body, and every `json` and `headers` check holds.
public struct SuccessRule: Hashable, Sendable, Codable {
    public var status: [Int]
    /// A top-level JSON key that signals failure when it holds a non-empty array (`errors`).
    public var noArray: String?
    public var json: [JSONCheck]
    /// Checks on response headers (GitHub's `X-OAuth-Scopes` holds `repo`).
    public var headers: [HeaderCheck] = []

    /// Whether `status` passes the status part of the rule.
    public func accepts(status code: Int) -> Bool {
        status.isEmpty ? (200...299).contains(code) : status.contains(code)
    }

    /// Whether the rule looks at the body at all (`noArray` or `json`).
    public var checksBody: Bool { noArray != nil || !json.isEmpty }
    /// Whether the rule can fail on a response whose status it accepts (body or headers).
    public var checksMoreThanStatus: Bool { checksBody || !headers.isEmpty }

    public init(status: [Int] = [], noArray: String? = nil, json: [JSONCheck] = []) {
        self.status = status
        self.noArray = noArray
        self.json = json
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case status, noArray, json, headers }

    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        status = try c.superDecoderIfPresent(forKey: .status)?.oneOrMany(Int.self) ?? []
        noArray = try c.decodeIfPresent(String.self, forKey: .noArray)
        json = try c.decodeIfPresent([JSONCheck].self, forKey: .json) ?? []
        headers = try c.decodeIfPresent([HeaderCheck].self, forKey: .headers) ?? []
        if let bad = status.first(where: { !(100...599).contains($0) }) {
            throw decoder.failure("\(bad) is not an HTTP status")
        }
    }
}

/// A check on one value of a JSON response, addressed by a dotted path (`items.0.id`).
public struct JSONCheck: Hashable, Sendable, Codable {
    public var path: String
    public var equals: String?
    public var exists: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable { case path, equals, exists }

    public init(path: String, equals: String? = nil, exists: Bool? = nil) {
        self.path = path
        self.equals = equals
        self.exists = exists
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        equals = try c.decodeIfPresent(ScalarString.self, forKey: .equals)?.value
        exists = try c.decodeIfPresent(Bool.self, forKey: .exists)
        if equals == nil && exists == nil { throw decoder.failure("a json check needs equals or exists") }
    }
}

/// How many requests a connection may run at once, or whose budget it borrows.
public struct ConcurrencySpec: Hashable, Sendable, Codable {
    public var level: Template?
    public var borrowFrom: Template?

    enum CodingKeys: String, CodingKey, CaseIterable { case level, borrowFrom }

    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        level = try c.decodeIfPresent(Template.self, forKey: .level)
        borrowFrom = try c.decodeIfPresent(Template.self, forKey: .borrowFrom)
    }
}

extension KeyedDecodingContainer {
    func superDecoderIfPresent(forKey key: Key) throws -> Decoder? {
        contains(key) ? try superDecoder(forKey: key) : nil
    }
}
