import ConnectorSchema

/// A connection resolved through its connector file: the concrete base URI, authentication and
/// test requests that the HTTP core sends and the Celigo export describes.
public struct HTTPSettings: Hashable, Sendable {
    public var baseURI: String
    public var mediaType: String
    public var auth: ResolvedAuth?
    public var tests: [ResolvedTest]
    public var concurrencyLevel: Int?
    /// The id of the saved connection whose concurrency budget this one shares.
    public var borrowFrom: String?
}

/// Authentication with every template filled.
public enum ResolvedAuth: Hashable, Sendable {
    /// A header: `name: scheme value`, or just `value` when there is no scheme.
    case header(name: String, scheme: String?, value: String)
    case basic(username: String, password: String)
    case query(parameter: String, value: String)
    case oauth2(OAuth2Settings)
}

/// An OAuth 2.0 client as a connector declares it, filled from the answers.
public struct OAuth2Settings: Hashable, Sendable {
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
        case .body: return true
        }
    }
}

/// One test request with every template filled.
public struct ResolvedTest: Hashable, Sendable {
    public var name: String
    public var method: String
    /// The path as the connector gives it, relative to the base URI (or absolute).
    public var path: String
    /// The absolute URL.
    public var url: String
    public var headers: [String: String]
    public var body: String?
    public var success: SuccessRule
    /// Where the service's message is in a failing JSON body (`error.message`), if the
    /// connector says.
    public var errorPath: String? = nil
    public var explain: FailureExplanation
}
