import ConnectorSchema
import Foundation

/// One way a connection signs its requests, as one type: it readies and applies its
/// credential for a test, describes itself for the HTTP view (values as fingerprints), and
/// exports itself into the integrator.io connection document. `ResolvedAuth` lists them; a
/// new auth type is a new conforming type, a case there, and its keys in `AuthType`.
protocol AuthScheme: Hashable, Sendable {
    /// The HTTP view's lines for this scheme; `baseURI` is where the requests go.
    func describe(baseURI: String, redactor: Redactor) -> [String]
    /// The `http.auth` object of the integrator.io document; secrets as `mask`, or as they
    /// are when `mask` is nil. What integrator.io cannot say goes into `notes`.
    func export(mask: String?, notes: inout [String]) -> [String: Any]
    /// Readies the credential for an attempt (asking for a token when the scheme needs one)
    /// and says what each test request carries, or the outcome that stops the attempt.
    func prepare(for settings: HTTPSettings, in run: inout AttemptRun) async -> AuthPreparation
}

/// What readying a credential came to.
enum AuthPreparation {
    case ready(RequestSigning)
    /// The attempt stops here, with this outcome (a refused token request, a missing key).
    case stop(TestOutcome)
}

/// What an auth scheme puts on every test request of an attempt.
struct RequestSigning {
    var headers: [HeaderField] = []
    /// A query parameter appended to every URL.
    var query: (String, String)?
    /// Hosts the credential may go to (empty: the base URI's host only); nil: any host.
    var allowedHosts: [String]?
    /// A base URI the token response named (Salesforce's `instance_url`).
    var baseURI: String?
    /// The OAuth client that renews a stored access token a test finds expired.
    var renewal: OAuth2Settings?
    /// Signs each request as it goes out (schemes whose credential covers the request).
    var signer: (any RequestSigner)?
}

/// Authentication with every template filled: one case per auth scheme.
public enum ResolvedAuth: Hashable, Sendable {
    case header(HeaderAuth)
    case basic(BasicAuth)
    case query(QueryAuth)
    case oauth2(OAuth2Settings)
    case oauth1(OAuth1Auth)
    case digest(DigestAuth)
    case awsSigV4(AWSSigV4Auth)
    case wsse(WSSEAuth)
    case jwt(JWTAuth)
    case cookie(CookieAuth)
    case clientCertificate(ClientCertificateAuth)

    /// The scheme behind the case.
    var scheme: any AuthScheme {
        switch self {
        case .header(let scheme): return scheme
        case .basic(let scheme): return scheme
        case .query(let scheme): return scheme
        case .oauth2(let scheme): return scheme
        case .oauth1(let scheme): return scheme
        case .digest(let scheme): return scheme
        case .awsSigV4(let scheme): return scheme
        case .wsse(let scheme): return scheme
        case .jwt(let scheme): return scheme
        case .cookie(let scheme): return scheme
        case .clientCertificate(let scheme): return scheme
        }
    }

    /// The scheme a connector's chosen `auth` variant declares, its templates filled by `fill`.
    init(_ spec: AuthSpec, fill: (Template?) -> String?) {
        switch spec.type {
        case .bearer: self = .header(HeaderAuth(name: "Authorization", scheme: "Bearer", value: fill(spec.token) ?? ""))
        case .header: self = .header(HeaderAuth(spec, fill: fill))
        case .basic: self = .basic(BasicAuth(username: fill(spec.username) ?? "", password: fill(spec.password) ?? ""))
        case .query: self = .query(QueryAuth(parameter: fill(spec.paramName) ?? "", value: fill(spec.value) ?? ""))
        case .oauth2: self = .oauth2(OAuth2Settings(spec, fill: fill))
        case .oauth1: self = .oauth1(OAuth1Auth(spec, fill: fill))
        case .digest: self = .digest(DigestAuth(spec, fill: fill))
        case .awsSigV4: self = .awsSigV4(AWSSigV4Auth(spec, fill: fill))
        case .wsse: self = .wsse(WSSEAuth(spec, fill: fill))
        case .jwt: self = .jwt(JWTAuth(spec, fill: fill))
        case .cookie: self = .cookie(CookieAuth(spec, fill: fill))
        case .clientCertificate: self = .clientCertificate(ClientCertificateAuth())
        }
    }
}

extension AuthScheme {
    /// A value as the HTTP view shows it: a fingerprint, or that it is still to be given.
    static func fingerprint(_ value: String) -> String {
        value.isEmpty ? "(not given yet)" : Redactor.fingerprint(value)
    }
}
