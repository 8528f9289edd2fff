import _CryptoExtras
import ConnectorSchema
import Crypto
import Foundation

/// OAuth 1.0a request signing (RFC 5849): every request carries an `Authorization: OAuth …`
/// header whose signature covers its method, URL, query and form body, with a fresh nonce and
/// timestamp. Consumer key and secret plus token ID and secret with HMAC-SHA256 and the account
/// as `realm` is NetSuite's token-based authentication.
public struct OAuth1Auth: AuthScheme {
    public enum SignatureMethod: String, Hashable, Sendable, CaseIterable {
        case hmacSHA1 = "HMAC-SHA1"
        case hmacSHA256 = "HMAC-SHA256"
        case rsaSHA256 = "RSA-SHA256"
    }

    public var consumerKey: String
    public var consumerSecret: String
    public var token: String
    public var tokenSecret: String
    /// As written in the connector or answered; checked when the credential is readied.
    public var signatureMethod: String
    public var realm: String?
    /// The PEM RSA private key for RSA-SHA256.
    public var privateKeyFile: String?

    init(_ spec: AuthSpec, fill: (Template?) -> String?) {
        consumerKey = fill(spec.consumerKey) ?? ""
        consumerSecret = fill(spec.consumerSecret) ?? ""
        token = fill(spec.token) ?? ""
        tokenSecret = fill(spec.tokenSecret) ?? ""
        signatureMethod = fill(spec.signatureMethod) ?? SignatureMethod.hmacSHA256.rawValue
        realm = fill(spec.realm)
        privateKeyFile = fill(spec.privateKeyFile)
    }

    func describe(baseURI: String, redactor: Redactor) -> [String] {
        var lines = ["OAuth 1.0a, \(signatureMethod) signature over each request's method, URL and query" + (realm.map { ", realm \($0)" } ?? "")]
        lines.append("consumer key \(Self.fingerprint(consumerKey)), token \(Self.fingerprint(token))")
        if signatureMethod == SignatureMethod.rsaSHA256.rawValue {
            lines.append("signed with the RSA private key in \(privateKeyFile ?? "(not given yet)")")
        } else {
            lines.append("signed with consumer secret \(Self.fingerprint(consumerSecret)) and token secret \(Self.fingerprint(tokenSecret))")
        }
        lines.append("header Authorization: OAuth <fresh nonce, timestamp and signature for each request>")
        return lines
    }

    func export(mask: String?, notes: inout [String]) -> [String: Any] {
        var oauth1: [String: Any] = ["consumerKey": mask ?? consumerKey, "consumerSecret": mask ?? consumerSecret,
                                     "accessToken": mask ?? token, "tokenSecret": mask ?? tokenSecret,
                                     "signatureMethod": signatureMethod.lowercased()]
        if let realm { oauth1["realm"] = realm }
        if signatureMethod == SignatureMethod.rsaSHA256.rawValue {
            notes.append("The RSA private key (\(privateKeyFile ?? "not given")) is not exported: paste it into the connection's OAuth 1.0 settings in integrator.io.")
        }
        return ["type": "oauth1", "oauth1": oauth1]
    }

    func prepare(for settings: HTTPSettings, in run: inout AttemptRun) async -> AuthPreparation {
        guard let method = SignatureMethod(rawValue: signatureMethod.uppercased()) else {
            return .stop(TestOutcome(kind: .notSent, line: "Not tested: “\(signatureMethod)” is not an OAuth 1.0a signature method; use "
                                     + SignatureMethod.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        let key: Signer.Key
        switch method {
        case .hmacSHA1, .hmacSHA256:
            key = .shared(consumerSecret: consumerSecret, tokenSecret: tokenSecret)
        case .rsaSHA256:
            guard let path = privateKeyFile else { return .stop(TestOutcome(kind: .notSent, line: "Not tested: RSA-SHA256 needs a private key file")) }
            do { key = .rsa(try JWTAssertion.key(at: path)) } catch {
                return .stop(TestOutcome(kind: .notSent, line: "Not tested: \(error)"))
            }
        }
        for missing in [("consumer key", consumerKey), ("token ID", token)] where missing.1.isEmpty {
            return .stop(TestOutcome(kind: .notSent, line: "Not tested: the OAuth 1.0a \(missing.0) is empty"))
        }
        run.redactor.addCredentialHeader("Authorization")
        return .ready(RequestSigning(signer: Signer(consumerKey: consumerKey, token: token, method: method, key: key, realm: realm,
                                                    clock: run.clock, nonce: { Nonce.make() })))
    }

    /// Signs each request with a fresh nonce and timestamp.
    struct Signer: RequestSigner {
        enum Key: Sendable {
            case shared(consumerSecret: String, tokenSecret: String)
            case rsa(_RSA.Signing.PrivateKey)
        }
        var consumerKey: String
        var token: String
        var method: SignatureMethod
        var key: Key
        var realm: String?
        var clock: @Sendable () -> Date
        var nonce: @Sendable () -> String

        func sign(_ request: inout OutgoingRequest) {
            var oauth = [("oauth_consumer_key", consumerKey), ("oauth_nonce", nonce()), ("oauth_signature_method", method.rawValue),
                         ("oauth_timestamp", String(Int(clock().timeIntervalSince1970))), ("oauth_version", "1.0")]
            if !token.isEmpty { oauth.append(("oauth_token", token)) }
            let base = Self.baseString(method: request.method, url: request.url, oauth: oauth, formBody: Self.formBody(of: request))
            oauth.append(("oauth_signature", signature(of: base)))
            var header = "OAuth "
            var items: [String] = []
            if let realm { items.append("realm=\"\(StrictPercentEncoding.encode(realm))\"") }
            items += oauth.map { "\($0.0)=\"\(StrictPercentEncoding.encode($0.1))\"" }
            header += items.joined(separator: ", ")
            request.setHeader("Authorization", header)
        }

        func signature(of base: String) -> String {
            let data = Data(base.utf8)
            switch key {
            case .shared(let consumerSecret, let tokenSecret):
                let secret = SymmetricKey(data: Data((StrictPercentEncoding.encode(consumerSecret) + "&" + StrictPercentEncoding.encode(tokenSecret)).utf8))
                switch method {
                case .hmacSHA1: return Data(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: secret)).base64EncodedString()
                case .hmacSHA256, .rsaSHA256: return Data(HMAC<SHA256>.authenticationCode(for: data, using: secret)).base64EncodedString()
                }
            case .rsa(let privateKey):
                let signed = try? privateKey.signature(for: data, padding: .insecurePKCS1v1_5)
                return signed?.rawRepresentation.base64EncodedString() ?? ""
            }
        }

        /// The body's parameters when it is a form (RFC 5849 §3.4.1.3.1): they are signed too.
        static func formBody(of request: OutgoingRequest) -> [(String, String)] {
            guard let body = request.body, request.contentType?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else { return [] }
            return StrictPercentEncoding.pairs(String(decoding: body, as: UTF8.self), plusIsSpace: true)
        }

        /// The signature base string (RFC 5849 §3.4.1): method, base string URI, and every
        /// parameter (query, form body, oauth_*) encoded, sorted and joined.
        static func baseString(method: String, url: String, oauth: [(String, String)], formBody: [(String, String)]) -> String {
            let parsed = URLComponents(string: url)
            let scheme = parsed?.scheme?.lowercased() ?? "https"
            let host = parsed?.host?.lowercased() ?? ""
            var authority = host
            if let port = parsed?.port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) { authority += ":\(port)" }
            let path = parsed?.percentEncodedPath.isEmpty == false ? parsed!.percentEncodedPath : "/"
            let baseURI = "\(scheme)://\(authority)\(path)"
            let query = parsed?.percentEncodedQuery.map { StrictPercentEncoding.pairs($0, plusIsSpace: false) } ?? []
            let all: [(String, String)] = query + formBody + oauth
            let encoded: [(name: String, value: String)] = all.map { (StrictPercentEncoding.encode($0.0), StrictPercentEncoding.encode($0.1)) }
            let sorted = encoded.sorted { left, right in left.name == right.name ? left.value < right.value : left.name < right.name }
            let parameters = sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
            return [method.uppercased(), StrictPercentEncoding.encode(baseURI), StrictPercentEncoding.encode(parameters)].joined(separator: "&")
        }
    }
}
