import ConnectorSchema
import Foundation

/// One OAuth 2.0 grant: how an attempt gets its access token. Each grant is its own type;
/// `OAuth2Settings.grantRunner` picks the one for the connector's grant and the sign-in under way.
protocol GrantRunner {
    func token(_ oauth: OAuth2Settings, in run: inout AttemptRun) async -> TokenResult
}

/// An access token, as the test requests send it.
struct AccessToken {
    var accessToken: String
    var type: String
    /// The base URI the token response named, or the one held with the token.
    var baseURI: String?

    var header: HeaderField { HeaderField("Authorization", "\(type) \(accessToken)") }
}

enum TokenResult {
    case success(AccessToken)
    case failure(TestOutcome)
}

/// The token-endpoint side of every grant: authenticating the client, sending a token
/// request and reading its answer.
extension AttemptRun {
    /// Posts a token request and reads the answer; with `keeps`, the tokens are to be stored.
    mutating func requestToken(_ oauth: OAuth2Settings, fields: [(String, String)], authenticatesClient: Bool = true,
                               purpose: String = "Token request", keeps: Bool) async -> TokenResult {
        var fields = fields + oauth.tokenParameters.keys.sorted().map { ($0, oauth.tokenParameters[$0] ?? "") }
        var headers: [HeaderField] = []
        if authenticatesClient, let refusal = authenticateClient(oauth, fields: &fields, headers: &headers) { return .failure(refusal) }
        let result = await send(.form(purpose: purpose, url: oauth.tokenURL, fields: fields, headers: headers))
        if var outcome = judge(result, rule: SuccessRule(status: [200]), step: "Token request") {
            if let meaning = Self.explanation(of: result.body, in: oauth.explain) { outcome.hint = meaning }
            return .failure(outcome)
        }
        return read(result, oauth: oauth, keeps: keeps)
    }

    /// What the connector says a refused token request means: the first `explain` key that is
    /// the response's `error`, one of its `error_codes` (Azure's 7000215, also written
    /// AADSTS7000215), or a code its `error_description` names.
    static func explanation(of body: Data?, in explain: [String: String]) -> String? {
        guard !explain.isEmpty, let body, let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return nil }
        let error = object["error"] as? String
        let description = object["error_description"] as? String ?? ""
        let codes = (object["error_codes"] as? [Any] ?? []).map { "\($0)" }
        for key in explain.keys.sorted() {
            let number = key.uppercased().hasPrefix("AADSTS") ? String(key.dropFirst(6)) : key
            if key == error || codes.contains(number) || description.contains(key) || (number != key && description.contains("AADSTS" + number)) {
                return explain[key]
            }
        }
        return nil
    }

    /// Adds the client's id and secret (or its signed assertion) to a token request, as the
    /// connector says; the outcome that stops the attempt when the assertion cannot be signed.
    @discardableResult
    mutating func authenticateClient(_ oauth: OAuth2Settings, fields: inout [(String, String)], headers: inout [HeaderField]) -> TestOutcome? {
        if oauth.clientAuth == .privateKeyJWT {
            // RFC 7523 §2.2 and §3: issuer and subject are the client, the audience the token endpoint.
            do {
                let signer = try JWTSigner(algorithm: "RS256", secret: nil, keyFile: oauth.privateKeyFile)
                var claims = JWTSigner.timeClaims(now: clock(), lifetime: 300)
                claims["iss"] = oauth.clientId
                claims["sub"] = oauth.clientId
                claims["aud"] = oauth.audience ?? oauth.tokenURL
                let assertion = try signer.sign(claims)
                redactor.add(assertion)
                fields += [("client_id", oauth.clientId),
                           ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                           ("client_assertion", assertion)]
            } catch {
                return TestOutcome(kind: .notSent, line: "Not sent: \(error)")
            }
        } else if oauth.sendsClientInBody {
            fields.append(("client_id", oauth.clientId))
            if let secret = oauth.clientSecret { fields.append(("client_secret", secret)) }
        } else {
            let encoded = Data("\(OutgoingRequest.formEncode(oauth.clientId)):\(OutgoingRequest.formEncode(oauth.clientSecret ?? ""))".utf8).base64EncodedString()
            redactor.add(encoded)
            headers.append(HeaderField("Authorization", "Basic \(encoded)"))
        }
        return nil
    }

    /// Reads a token response; with `keeps`, the tokens are to be stored.
    mutating func read(_ result: ExchangeResult, oauth: OAuth2Settings, keeps: Bool) -> TokenResult {
        guard let body = result.body,
              let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let accessToken = object["access_token"] as? String, !accessToken.isEmpty else {
            // Some endpoints say a refusal in a 200 (Zoho: {"error": "invalid_code"}).
            let object = result.body.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            if let error = object?["error"] as? String {
                let said = ServiceMessage.shown(error + ((object?["error_description"] as? String).map { ": " + $0 } ?? ""), redactor: redactor)
                return .failure(TestOutcome(kind: .rejected, line: "Token request refused: 200, but the answer is an error — “\(said)”",
                                            status: 200, serviceMessage: said, exchangeIndex: result.exchange.index,
                                            hint: Self.explanation(of: result.body, in: oauth.explain)))
            }
            return .failure(TestOutcome(kind: .unreadableResponse,
                                        line: "Token request failed: the token endpoint answered 200 but with no access_token",
                                        status: 200, exchangeIndex: result.exchange.index))
        }
        redactor.add(accessToken)
        let refresh = object["refresh_token"] as? String
        if let refresh { redactor.add(refresh) }
        let type = (object["token_type"] as? String).map { $0.lowercased() == "bearer" ? "Bearer" : $0 } ?? "Bearer"
        let instance = oauth.tokenBaseURI.flatMap { object[$0] as? String }
        // A token goes into a header, and is stored: one with a control character in it
        // would split the header or be written escaped where redaction cannot find it.
        for (name, value) in [("access_token", accessToken), ("refresh_token", refresh ?? ""), ("token_type", type),
                              (oauth.tokenBaseURI ?? "instance_url", instance ?? "")] where ServiceText.hasControlCharacters(value) {
            return .failure(TestOutcome(kind: .unreadableResponse,
                                        line: "Token request failed: the token endpoint answered a \(name) with a control character in it; it was neither used nor stored",
                                        status: result.status, exchangeIndex: result.exchange.index))
        }
        if let instance, let why = Self.instanceProblem(instance, oauth: oauth, route: client.options.route) {
            return .failure(TestOutcome(kind: .notSent,
                                        line: "Not sent: the token endpoint named \(redactor.url(instance)) as \(oauth.tokenBaseURI ?? "the base URI"), \(why); the access token was not sent there",
                                        status: result.status, exchangeIndex: result.exchange.index,
                                        hint: "The service, or something between it and you, answered an address the token must not go to."))
        }
        if keeps {
            let lifetime = (object["expires_in"] as? NSNumber)?.doubleValue ?? (object["expires_in"] as? String).flatMap(Double.init)
            obtained = ObtainedCredentials(accessToken: accessToken,
                                           // A refresh answer usually carries no new refresh token: keep the old one.
                                           refreshToken: refresh ?? obtained?.refreshToken ?? subject.credentials?.refreshToken,
                                           expiresAt: lifetime.map { clock().addingTimeInterval($0) },
                                           instanceURL: instance ?? subject.credentials?.instanceURL, obtainedAt: clock())
            obtained?.callbackValues = subject.credentials?.callbackValues ?? [:]
        }
        return .success(AccessToken(accessToken: accessToken, type: type, baseURI: instance ?? (keeps ? nil : subject.credentials?.instanceURL)))
    }

    /// Why a base URI taken from a token response (Salesforce's `instance_url`) may not
    /// receive the access token; nil when it may. It must be https, except a loopback
    /// address while requests go to a sandbox, and within the connector's `allowedHosts`
    /// when it declares some.
    static func instanceProblem(_ instance: String, oauth: OAuth2Settings, route: RequestRoute) -> String? {
        guard let url = URL(string: instance), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(), !host.isEmpty else {
            return "which is not an address"
        }
        let sandboxed: Bool
        switch route {
        case .direct: sandboxed = false
        case .sandbox: sandboxed = true
        }
        let loopback = RedirectPolicy.zone(of: host) == .loopback
        guard scheme == "https" || (scheme == "http" && loopback && sandboxed) else {
            return "which is not https"
        }
        if !oauth.allowedHosts.isEmpty, !(loopback && sandboxed), AttemptRun.refusal(instance, allowed: oauth.allowedHosts) != nil {
            return "outside the valid domain names (\(oauth.allowedHosts.joined(separator: ", ")))"
        }
        return nil
    }
}
