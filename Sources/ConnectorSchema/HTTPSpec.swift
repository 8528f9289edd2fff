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
