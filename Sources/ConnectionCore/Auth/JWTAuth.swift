import ConnectorSchema
import Foundation

/// A JWT that connwiz signs itself (HS256, RS256 or ES256) from claims written as templates,
/// with `iat`, `exp` and `jti` filled in unless given. It is sent as a bearer token (or in the
/// header the connector names), or, when a token URL is given, exchanged there for an access
/// token with the JWT bearer grant (RFC 7523 §2.1).
public struct JWTAuth: AuthScheme {
    public var algorithm: String
    public var signingKey: String?
    public var privateKeyFile: String?
    public var claims: [String: String]
    public var lifetime: Int
    public var headerName: String
    public var scheme: String?
    public var tokenURL: String?
    public var explain: [String: String]

    init(_ spec: AuthSpec, fill: (Template?) -> String?) {
        algorithm = fill(spec.algorithm) ?? "HS256"
        signingKey = fill(spec.signingKey)
        privateKeyFile = fill(spec.privateKeyFile)
        claims = spec.claims.compactMapValues { fill($0) }
        lifetime = spec.lifetime ?? 300
        headerName = fill(spec.headerName) ?? "Authorization"
        let word = fill(spec.scheme) ?? (spec.headerName == nil ? "Bearer" : "none")
        scheme = word.lowercased() == "none" ? nil : word
        tokenURL = fill(spec.tokenURL)
        explain = spec.explain
    }

    func describe(baseURI: String, redactor: Redactor) -> [String] {
        let key = algorithm.uppercased() == "HS256" ? "secret \(Self.fingerprint(signingKey ?? ""))" : "the private key in \(privateKeyFile ?? "(not given yet)")"
        var lines = ["JWT signed \(algorithm.uppercased()) with \(key), valid \(lifetime) s",
                     "claims " + (claims.keys.sorted() + ["iat", "exp", "jti"].filter { claims[$0] == nil }).joined(separator: ", ")]
        if let tokenURL {
            lines.append("exchanged at \(redactor.url(tokenURL)) (JWT bearer grant); header Authorization: Bearer <access token>")
        } else {
            lines.append("header \(headerName): " + (scheme.map { "\($0) " } ?? "") + "<the signed JWT>")
        }
        return lines
    }

    func export(mask: String?, notes: inout [String]) -> [String: Any] {
        var jwt: [String: Any] = ["algorithm": algorithm.uppercased(), "claims": claims, "lifetime": lifetime,
                                  "headerName": headerName, "scheme": scheme ?? CeligoDocument.noScheme]
        if let signingKey { jwt["secret"] = mask ?? signingKey }
        if privateKeyFile != nil { notes.append("The JWT's private key is not exported: paste it into the connection's JWT settings in integrator.io.") }
        if let tokenURL { jwt["tokenURI"] = tokenURL }
        return ["type": "jwt", "jwt": jwt]
    }

    /// The signed token, its claims filled in for `now`.
    func token(now: Date) throws -> String {
        let signer = try JWTSigner(algorithm: algorithm, secret: signingKey, keyFile: privateKeyFile)
        var all = JWTSigner.timeClaims(now: now, lifetime: TimeInterval(lifetime))
        for (name, value) in claims { all[name] = ["iat", "exp", "nbf"].contains(name) ? (Int(value) as Any? ?? value) : value }
        return try signer.sign(all)
    }

    func prepare(for settings: HTTPSettings, in run: inout AttemptRun) async -> AuthPreparation {
        let jwt: String
        do { jwt = try token(now: run.clock()) } catch {
            return .stop(TestOutcome(kind: .notSent, line: "Not tested: \(error)"))
        }
        run.redactor.add(jwt)
        guard let tokenURL else {
            run.redactor.addCredentialHeader(headerName)
            return .ready(RequestSigning(headers: [HeaderField(headerName, scheme.map { "\($0) \(jwt)" } ?? jwt)]))
        }
        var exchange = OAuth2Settings(grant: .jwtBearer, tokenURL: tokenURL, clientId: "", clientAuth: .body, scopes: [], scopeDelimiter: " ",
                                      allowedHosts: [])
        exchange.explain = explain
        let fields = [("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", jwt)]
        switch await run.requestToken(exchange, fields: fields, authenticatesClient: false, keeps: false) {
        case .failure(let outcome): return .stop(outcome)
        case .success(let token): return .ready(RequestSigning(headers: [token.header]))
        }
    }
}
