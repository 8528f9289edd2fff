import ConnectionCore
import Crypto
import Foundation
import Sandbox

/// The OAuth 2.0 side of a declared stand-in: its token endpoint (client credentials, password,
/// a given or issued refresh token, an authorization code, a JWT bearer assertion) and the
/// sign-in page that hands out codes. Tickets and codes are sealed, not stored (D59).
extension DeclaredStandIn {
    /// An OAuth 2.0 token request to an account's token endpoint: the client must be the
    /// account's (Basic or in the body), and for the password grant its user too; a JWT
    /// bearer assertion must be signed by an account's key with its claims.
    func tokenRequest(_ request: SandboxRequest) -> SandboxResponse? {
        let clients = accounts.compactMap { account -> (ResolvedAccount, OAuth2Settings, String)? in
            guard case .oauth2(let host, let path, let settings, let token, _) = account.credential,
                  host == request.host, path == request.path else { return nil }
            return (account, settings, token)
        }
        let signers = accounts.compactMap { account -> (JWTVerifier, String)? in
            guard case .jwt(let verifier, _, let exchange?, let token) = account.credential,
                  exchange.host?.lowercased() == request.host, exchange.path == request.path else { return nil }
            return (verifier, token)
        }
        guard !clients.isEmpty || !signers.isEmpty else { return nil }
        guard request.method == "POST" else { return .json(405, ["error": "invalid_request", "error_description": "Use POST."]) }
        let form = request.formFields
        if form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer", !signers.isEmpty {
            let assertion = form["assertion"] ?? ""
            let problems = signers.map { $0.0.problem(with: assertion, now: clock()) }
            guard let good = problems.firstIndex(where: { $0 == nil }) else {
                return respond("invalidGrant", fallback: 400, default: ["error": "invalid_grant", "error_description": problems.compactMap { $0 }.first ?? "no assertion"])
            }
            return issue(signers[good].1, refresh: nil)
        }
        var clientID = form["client_id"], clientSecret = form["client_secret"]
        if let (user, password) = request.basicCredentials {
            clientID = user
            clientSecret = password
        }
        // A request may name the client in the form as well as in Basic; either way it must be the account's.
        let known = clients.filter { $0.1.clientId == clientID && $0.1.clientSecret == clientSecret }
        guard let (account, settings, token) = known.first(where: {
            $0.1.givenRefreshToken == nil || form["refresh_token"] == nil || form["refresh_token"] == $0.1.givenRefreshToken
        }) ?? known.first else {
            return respond("invalidClient", fallback: 401, default: ["error": "invalid_client", "error_description": "Client authentication failed."])
        }
        let issued = refreshToken(of: account)
        switch settings.grant {
        case .password:
            guard form["grant_type"] == "password", form["username"] == settings.username, form["password"] == settings.password else {
                return respond("invalidGrant", fallback: 400, default: ["error": "invalid_grant", "error_description": "The user name or password is wrong."])
            }
        case .clientCredentials:
            guard form["grant_type"] == "client_credentials" else {
                return .json(400, ["error": "unsupported_grant_type", "error_description": "This client uses client_credentials."])
            }
        case .refreshToken where settings.givenRefreshToken != nil:
            guard form["grant_type"] == "refresh_token", form["refresh_token"] == settings.givenRefreshToken else {
                return respond("invalidGrant", fallback: 400, default: ["error": "invalid_grant", "error_description": "The refresh token is not valid."])
            }
        case .authorizationCode, .refreshToken:
            switch form["grant_type"] {
            case "authorization_code":
                guard let code = tickets.open(form["code"] ?? "", now: clock(), once: true), code["kind"] == "code",
                      code["account"] == String(account.index), code["redirect_uri"] == form["redirect_uri"] else {
                    return respond("invalidGrant", fallback: 400, default: ["error": "invalid_grant", "error_description": "The authorization code is invalid, expired or already used."])
                }
                if let challenge = code["code_challenge"], !challenge.isEmpty,
                   SealedTickets.base64URL(Data(SHA256.hash(data: Data((form["code_verifier"] ?? "").utf8)))) != challenge {
                    return respond("invalidGrant", fallback: 400, default: ["error": "invalid_grant", "error_description": "The PKCE code verifier does not match the challenge."])
                }
                return issue(token, refresh: issued)
            case "refresh_token":
                guard form["refresh_token"] == issued else {
                    return respond("invalidGrant", fallback: 400, default: ["error": "invalid_grant", "error_description": "The refresh token is invalid or revoked."])
                }
            default:
                return .json(400, ["error": "unsupported_grant_type"])
            }
        case .jwtBearer:
            return .json(400, ["error": "unsupported_grant_type"])
        }
        return issue(token, refresh: nil)
    }

    /// The refresh token a sign-in issues an account: the same in every sandbox run, so one
    /// stored by `connwiz authorize` still works in the next.
    func refreshToken(of account: ResolvedAccount) -> String { "sbx-\(connector)-refresh-\(account.index + 1)" }

    func issue(_ accessToken: String, refresh: String?) -> SandboxResponse {
        var body: [String: Any] = ["access_token": accessToken, "token_type": "Bearer", "expires_in": 3600]
        if let refresh { body["refresh_token"] = refresh }
        return .json(200, body, headers: [("Cache-Control", "no-store")])
    }

    // MARK: Sign-in page

    /// The stand-in's sign-in page at an account's authorize address: the account's user and
    /// password, then Allow or Deny, then back to the redirect address with a code (and the
    /// account's callback values).
    func signInRequest(_ request: SandboxRequest) -> SandboxResponse? {
        let here = accounts.filter {
            guard case .oauth2(_, _, _, _, let authorize?) = $0.credential else { return false }
            return authorize.host?.lowercased() == request.host && authorize.path == request.path
        }
        guard !here.isEmpty else { return nil }
        let title = "Sign in | \(connector) (connwiz sandbox)"
        let clientOf: (ResolvedAccount) -> String? = { if case .oauth2(_, _, let settings, _, _) = $0.credential { return settings.clientId } else { return nil } }
        let fields = request.method == "POST" ? request.formFields : request.query
        func refused(_ text: String) -> SandboxResponse { SignInPage.page(400, "Error", "<p>\(SignInPage.escape(text))</p>") }
        guard fields["step"] != "consent" else {
            guard let ticket = tickets.open(fields["ticket"] ?? "", now: clock(), once: true), ticket["kind"] == "ticket",
                  let redirect = ticket["redirect_uri"], let index = ticket["account"].flatMap(Int.init),
                  let account = here.first(where: { $0.index == index }) else {
                return SignInPage.page(400, "Sign-in expired", "<p>This sign-in page has expired or was already used. Start again from connwiz.</p>")
            }
            var parameters: [(String, String)] = []
            if fields["decision"] == "allow" {
                let code = tickets.seal(["kind": "code", "account": String(index), "redirect_uri": redirect,
                                         "code_challenge": ticket["code_challenge"] ?? "", "exp": String(clock().timeIntervalSince1970 + 600)])
                parameters.append(("code", code))
                parameters += (account.account.signIn?.callback ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            } else {
                parameters += [("error", "access_denied"), ("error_description", "The user denied the request.")]
            }
            if let state = ticket["state"], !state.isEmpty { parameters.append(("state", state)) }
            return SignInPage.redirect(redirect, parameters)
        }
        guard fields["response_type"] == "code" else { return refused("error=unsupported_response_type") }
        let ofClient = here.filter { clientOf($0) == fields["client_id"] }
        guard !ofClient.isEmpty else { return refused("error=invalid_client: the client ID is not registered") }
        guard let redirect = fields["redirect_uri"], let url = URL(string: redirect), let host = url.host,
              url.scheme == "https" || (url.scheme == "http" && ["127.0.0.1", "localhost", "::1"].contains(host)) else {
            return refused("error=redirect_uri_mismatch: the redirect URI is not registered for this client")
        }
        if fields["code_challenge"] != nil, fields["code_challenge_method"] != "S256" {
            return refused("error=invalid_request: code_challenge_method must be S256")
        }
        let users = ofClient.compactMap(\.account.signIn).map { "\($0.username) / \($0.password)" }.joined(separator: ", ")
        let login = { (message: String?) in
            SignInPage.login(request, title: title, heading: "Sign in to \(request.host)", hint: "connwiz sandbox. Users: \(users).",
                             fields: SignInPage.passedOn(fields), message: message)
        }
        guard request.method == "POST", fields["step"] == "login" else { return login(nil) }
        guard let account = ofClient.first(where: { $0.account.signIn?.username == fields["username"] && $0.account.signIn?.password == fields["password"] }) else {
            return login("The username or password is not right.")
        }
        let ticket = tickets.seal(["kind": "ticket", "account": String(account.index), "redirect_uri": redirect, "state": fields["state"] ?? "",
                                   "code_challenge": fields["code_challenge"] ?? "", "exp": String(clock().timeIntervalSince1970 + 600)])
        return SignInPage.consent(request, title: title, question: "connwiz is asking to reach \(connector) as \(fields["username"] ?? "").", ticket: ticket)
    }
}
