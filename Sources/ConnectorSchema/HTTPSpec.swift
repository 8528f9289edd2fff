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

    enum CodingKeys: String, CodingKey, CaseIterable { case mediaType, baseURI, auth, tests, concurrency }

    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        mediaType = try c.decodeIfPresent(String.self, forKey: .mediaType) ?? "json"
        baseURI = try c.superDecoder(forKey: .baseURI).oneOrMany(Variant<Template>.self)
        auth = try c.superDecoder(forKey: .auth).oneOrMany(AuthSpec.self)
        tests = try c.superDecoder(forKey: .tests).oneOrMany(TestRequestSpec.self)
        concurrency = try c.decodeIfPresent(ConcurrencySpec.self, forKey: .concurrency)
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
}

/// The OAuth 2.0 grants a connector may declare.
public enum OAuthGrant: String, Hashable, Sendable, Codable, CaseIterable {
    case clientCredentials
    case authorizationCode
    case refreshToken
    case jwtBearer
}

/// How an OAuth 2.0 client proves itself at the token endpoint (RFC 6749 §2.3.1).
public enum ClientAuthentication: String, Hashable, Sendable, Codable, CaseIterable {
    /// `client_secret_basic`: the ID and secret in an `Authorization: Basic` header.
    case basic
    /// `client_secret_post`: the ID and secret as fields of the request body.
    case body
}

/// One way of authenticating, chosen by `when` among a connector's `auth` variants.
///
/// Only the keys of its `type` apply: `token` (bearer); `headerName`, `scheme`, `value` (header);
/// `username`, `password` (basic); `paramName`, `value` (query); the OAuth 2.0 keys (oauth2).
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
        type == .oauth2 && (grant == .authorizationCode || grant == .refreshToken)
    }
    public var tokenURL: Template?
    public var authorizeURL: Template?
    public var clientId: Template?
    public var clientSecret: Template?
    /// How the client authenticates at the token endpoint: `basic` (client_secret_basic) or `body`.
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

    enum CodingKeys: String, CodingKey, CaseIterable {
        case when, type, token, headerName, scheme, value, username, password, paramName, grant,
             tokenURL, authorizeURL, clientId, clientSecret, clientAuth, scopes, scopeDelimiter,
             privateKeyFile, audience, allowedHosts, tokenBaseURI, deviceURL, deviceGrantType, revokeURL
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
        when = try c.decodeIfPresent(ConditionSet.self, forKey: .when) ?? ConditionSet()
        token = try c.decodeIfPresent(Template.self, forKey: .token)
        headerName = try c.decodeIfPresent(Template.self, forKey: .headerName)
        scheme = try c.decodeIfPresent(Template.self, forKey: .scheme)
        value = try c.decodeIfPresent(Template.self, forKey: .value)
        username = try c.decodeIfPresent(Template.self, forKey: .username)
        password = try c.decodeIfPresent(Template.self, forKey: .password)
        paramName = try c.decodeIfPresent(Template.self, forKey: .paramName)
        if let grantName = try c.decodeIfPresent(String.self, forKey: .grant) {
            guard let grant = OAuthGrant(rawValue: grantName) else {
                throw DecodingError.dataCorruptedError(forKey: .grant, in: c, debugDescription:
                    "unknown grant “\(grantName)”; expected one of: " + OAuthGrant.allCases.map(\.rawValue).joined(separator: ", "))
            }
            self.grant = grant
        }
        tokenURL = try c.decodeIfPresent(Template.self, forKey: .tokenURL)
        authorizeURL = try c.decodeIfPresent(Template.self, forKey: .authorizeURL)
        clientId = try c.decodeIfPresent(Template.self, forKey: .clientId)
        clientSecret = try c.decodeIfPresent(Template.self, forKey: .clientSecret)
        if let name = try c.decodeIfPresent(String.self, forKey: .clientAuth) {
            guard let auth = ClientAuthentication(rawValue: name) else {
                throw decoder.failure("clientAuth is " + ClientAuthentication.allCases.map(\.rawValue).joined(separator: " or ") + ", not “\(name)”")
            }
            clientAuth = auth
        }
        scopes = try c.decodeIfPresent(Template.self, forKey: .scopes)
        scopeDelimiter = try c.decodeIfPresent(String.self, forKey: .scopeDelimiter)
        privateKeyFile = try c.decodeIfPresent(Template.self, forKey: .privateKeyFile)
        audience = try c.decodeIfPresent(Template.self, forKey: .audience)
        allowedHosts = try c.decodeIfPresent(Template.self, forKey: .allowedHosts)
        tokenBaseURI = try c.decodeIfPresent(String.self, forKey: .tokenBaseURI)
        deviceURL = try c.decodeIfPresent(Template.self, forKey: .deviceURL)
        deviceGrantType = try c.decodeIfPresent(String.self, forKey: .deviceGrantType)
        revokeURL = try c.decodeIfPresent(Template.self, forKey: .revokeURL)
        if type != .oauth2, [CodingKeys.allowedHosts, .tokenBaseURI, .deviceURL, .deviceGrantType, .revokeURL].contains(where: c.contains) {
            throw decoder.failure("allowedHosts, tokenBaseURI, deviceURL, deviceGrantType and revokeURL apply to auth type oauth2 only")
        }

        func need(_ keys: CodingKeys...) throws {
            for key in keys where !c.contains(key) {
                throw decoder.failure("auth type \(type.rawValue) needs “\(key.stringValue)”")
            }
        }
        switch type {
        case .bearer: try need(.token)
        case .header: try need(.value)
        case .basic: try need(.username, .password)
        case .query: try need(.paramName, .value)
        case .oauth2:
            try need(.grant, .tokenURL, .clientId)
            if grant == .authorizationCode { try need(.authorizeURL) }
            if grant == .jwtBearer { try need(.username, .privateKeyFile) }
        }
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
    /// What a failure most likely means for this request, in the operator's terms
    /// (`404: No data pool has this ID …`); shown after the status line.
    public var explain: FailureExplanation

    enum CodingKeys: String, CodingKey, CaseIterable { case name, when, method, path, headers, body, success, errorPath, explain }

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
