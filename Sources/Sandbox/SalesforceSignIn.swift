import Foundation

/// The browser half of the sandbox's Salesforce: the sign-in page of the authorization-code
/// grant (username and password, then Allow or Deny) and the verification page of the device
/// flow. Tests play the browser against it with a plain HTTP client, so the pages are small
/// HTML forms with every field named.
struct SalesforceSignIn {
    let org: SalesforceSandbox.Org
    let service: SandboxService

    // MARK: Authorization code

    /// `GET /services/oauth2/authorize`: checks the request as Salesforce does, then asks for
    /// the username and password.
    func start(_ request: SandboxRequest) -> SandboxResponse {
        let query = request.query
        if let problem = Self.problem(with: query) { return problem }
        return loginPage(request, fields: Self.passedOn(query), message: nil)
    }

    /// `POST /services/oauth2/authorize`: the password step, then the Allow/Deny step.
    func submit(_ request: SandboxRequest) -> SandboxResponse {
        let form = request.formFields
        switch form["step"] {
        case "login":
            if let problem = Self.problem(with: form) { return problem }
            guard form["username"] == org.user, form["password"] == org.password else {
                return loginPage(request, fields: Self.passedOn(form),
                                 message: "Please check your username and password. If you still can't log in, contact your Salesforce administrator.")
            }
            let ticket = SandboxService.randomHex(16)
            service.store.update { state in
                state.consentTickets.append(.init(digest: SandboxState.digest(ticket), realm: org.rawValue, subject: org.user,
                                                  clientID: form["client_id"] ?? "", redirectURI: form["redirect_uri"] ?? "",
                                                  state: form["state"], codeChallenge: form["code_challenge"],
                                                  expiresAt: service.now().addingTimeInterval(600)))
            }
            return consentPage(request, ticket: ticket, user: org.user)
        case "consent":
            let digest = SandboxState.digest(form["ticket"] ?? "")
            let ticket = service.store.update { state -> SandboxState.ConsentTicket? in
                guard let index = state.consentTickets.firstIndex(where: { $0.digest == digest && $0.realm == org.rawValue }) else { return nil }
                return state.consentTickets.remove(at: index)
            }
            guard let ticket, ticket.expiresAt > service.now() else {
                return Self.page(400, "Sign-in expired", "<p>This sign-in page has expired or was already used. Start again from connwiz.</p>")
            }
            var parameters: [(String, String)] = []
            if form["decision"] == "allow" {
                let code = "aPr" + SandboxService.randomHex(24)
                service.store.update { state in
                    state.authorizationCodes.append(.init(digest: SandboxState.digest(code), realm: org.rawValue, subject: ticket.subject,
                                                          clientID: ticket.clientID, redirectURI: ticket.redirectURI,
                                                          codeChallenge: ticket.codeChallenge,
                                                          expiresAt: service.now().addingTimeInterval(Double(service.settings.codeLifetime))))
                }
                parameters.append(("code", code))
            } else {
                parameters.append(("error", "access_denied"))
                parameters.append(("error_description", "end-user denied authorization"))
            }
            if let state = ticket.state { parameters.append(("state", state)) }
            return SandboxResponse(status: 302, headers: [("Location", Self.url(ticket.redirectURI, adding: parameters)),
                                                          ("Cache-Control", "no-store")])
        default:
            return Self.page(400, "Bad request", "<p>The form is incomplete.</p>")
        }
    }

    /// What Salesforce refuses before showing its sign-in page.
    static func problem(with query: [String: String]) -> SandboxResponse? {
        guard query["response_type"] == "code" else {
            return page(400, "Error", "<p>error=unsupported_response_type: response type not supported</p>")
        }
        guard query["client_id"] == SandboxAccounts.salesforceClientID else {
            return page(400, "Error", "<p>error=invalid_client_id: client identifier invalid</p>")
        }
        guard let redirect = query["redirect_uri"], let url = URL(string: redirect), let host = url.host,
              url.scheme == "https" || (url.scheme == "http" && ["127.0.0.1", "localhost", "::1"].contains(host)) else {
            return page(400, "Error", "<p>error=redirect_uri_mismatch: redirect_uri must match configuration</p>")
        }
        if query["code_challenge"] != nil, query["code_challenge_method"] != "S256" {
            return page(400, "Error", "<p>error=invalid_request: code_challenge_method must be S256</p>")
        }
        return nil
    }

    /// The authorization request's parameters, carried from page to page.
    static func passedOn(_ fields: [String: String]) -> [(String, String)] {
        ["response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"]
            .compactMap { name in fields[name].map { (name, $0) } }
    }

    func loginPage(_ request: SandboxRequest, fields: [(String, String)], message: String?) -> SandboxResponse {
        let hidden = fields.map { "<input type=\"hidden\" name=\"\(Self.escape($0.0))\" value=\"\(Self.escape($0.1))\">" }.joined(separator: "\n")
        let warning = message.map { "<p class=\"error\" id=\"error\">\(Self.escape($0))</p>\n" } ?? ""
        return Self.page(200, "Login | Salesforce (connwiz sandbox)", """
            <h1>Log in to \(Self.escape(org.loginURL))</h1>
            <p>connwiz sandbox. Users: \(Self.escape(org.user)) / \(Self.escape(org.password)).</p>
            \(warning)<form method="post" action="\(Self.escape(action(request)))">
            <input type="hidden" name="step" value="login">
            \(hidden)
            <label>Username <input type="text" name="username"></label>
            <label>Password <input type="password" name="password"></label>
            <button type="submit">Log In</button>
            </form>
            """)
    }

    func consentPage(_ request: SandboxRequest, ticket: String, user: String) -> SandboxResponse {
        Self.page(200, "Allow Access? (connwiz sandbox)", """
            <h1>Allow access?</h1>
            <p>connwiz is asking to access \(Self.escape(org.loginURL)) as \(Self.escape(user)): access and manage your data (api), and perform requests at any time (refresh_token).</p>
            <form method="post" action="\(Self.escape(action(request)))">
            <input type="hidden" name="step" value="consent">
            <input type="hidden" name="ticket" value="\(ticket)">
            <button type="submit" name="decision" value="allow">Allow</button>
            <button type="submit" name="decision" value="deny">Deny</button>
            </form>
            """)
    }

    // MARK: Device flow

    /// `POST /services/oauth2/token` with `response_type=device_code`.
    func beginDevice(_ form: [String: String]) -> SandboxResponse {
        guard form["client_id"] == SandboxAccounts.salesforceClientID else {
            return SalesforceSandbox.error("invalid_client_id", "client identifier invalid")
        }
        let deviceCode = "dvc" + SandboxService.randomHex(24)
        let letters = Array("BCDFGHJKLMNPQRSTVWXZ")
        let userCode = String((0..<8).map { _ in letters.randomElement()! })
        let settings = service.settings
        service.store.update { state in
            state.deviceGrants.append(.init(digest: SandboxState.digest(deviceCode), userCode: userCode, realm: org.rawValue,
                                            clientID: SandboxAccounts.salesforceClientID,
                                            expiresAt: service.now().addingTimeInterval(Double(settings.deviceCodeLifetime)),
                                            lastPoll: nil, interval: settings.deviceInterval, subject: nil))
        }
        return .json(200, ["device_code": deviceCode, "user_code": userCode, "verification_uri": "\(org.loginURL)/setup/connect",
                           "interval": settings.deviceInterval, "expires_in": settings.deviceCodeLifetime])
    }

    enum Poll {
        case approved(String)
        case refused(SandboxResponse)
    }

    /// `POST /services/oauth2/token` with `grant_type=device`.
    func poll(_ form: [String: String]) -> Poll {
        let digest = SandboxState.digest(form["code"] ?? "")
        let now = service.now()
        let outcome = service.store.update { state -> Poll in
            guard let index = state.deviceGrants.firstIndex(where: { $0.digest == digest && $0.realm == org.rawValue }),
                  state.deviceGrants[index].clientID == form["client_id"] else {
                return .refused(SalesforceSandbox.error("invalid_grant", "invalid device code"))
            }
            var grant = state.deviceGrants[index]
            defer { if index < state.deviceGrants.count { state.deviceGrants[index] = grant } }
            if grant.expiresAt < now { return .refused(SalesforceSandbox.error("expired_token", "the device code has expired")) }
            if let last = grant.lastPoll, now.timeIntervalSince(last) < Double(grant.interval) - 0.5 {
                grant.lastPoll = now
                grant.interval += 5
                return .refused(SalesforceSandbox.error("slow_down", "polling too quickly"))
            }
            grant.lastPoll = now
            switch grant.subject {
            case nil: return .refused(SalesforceSandbox.error("authorization_pending", "the user has not yet approved"))
            case ""?: return .refused(SalesforceSandbox.error("access_denied", "end-user denied authorization"))
            case let subject?:
                grant.expiresAt = .distantPast   // single use
                return .approved(subject)
            }
        }
        return outcome
    }

    /// `GET /setup/connect`: enter the code shown in the terminal, and sign in.
    func verificationPage(_ request: SandboxRequest, message: String? = nil) -> SandboxResponse {
        let warning = message.map { "<p class=\"error\" id=\"error\">\(Self.escape($0))</p>\n" } ?? ""
        return Self.page(200, "Connect Your Device (connwiz sandbox)", """
            <h1>Connect your device to \(Self.escape(org.loginURL))</h1>
            \(warning)<form method="post" action="\(Self.escape(action(request)))">
            <label>Code <input type="text" name="user_code"></label>
            <label>Username <input type="text" name="username"></label>
            <label>Password <input type="password" name="password"></label>
            <button type="submit" name="decision" value="allow">Connect</button>
            <button type="submit" name="decision" value="deny">Deny</button>
            </form>
            """)
    }

    /// `POST /setup/connect`.
    func verify(_ request: SandboxRequest) -> SandboxResponse {
        let form = request.formFields
        let code = (form["user_code"] ?? "").uppercased().filter { $0.isLetter }
        guard form["username"] == org.user, form["password"] == org.password else {
            return verificationPage(request, message: "Please check your username and password.")
        }
        let allow = form["decision"] == "allow"
        let found = service.store.update { state -> Bool in
            guard let index = state.deviceGrants.firstIndex(where: { $0.userCode == code && $0.realm == org.rawValue && $0.subject == nil && $0.expiresAt > service.now() }) else { return false }
            state.deviceGrants[index].subject = allow ? org.user : ""
            return true
        }
        guard found else { return verificationPage(request, message: "That code is not valid or has expired.") }
        return Self.page(200, allow ? "Connected" : "Denied",
                         allow ? "<p id=\"done\">Your device is connected. Return to the terminal.</p>" : "<p id=\"done\">Access denied.</p>")
    }

    // MARK: Pages

    /// Where a page's form posts: the same path, keeping the host the browser's address named.
    func action(_ request: SandboxRequest) -> String {
        guard let host = request.query[SandboxService.browserHostParameter] else { return request.path }
        return request.path + "?" + SandboxService.browserHostParameter + "=" + host
    }

    static func page(_ status: Int, _ title: String, _ body: String) -> SandboxResponse {
        .text(status, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>\(escape(title))</title></head>\n<body>\n\(body)\n</body></html>\n",
              type: "text/html; charset=utf-8")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// `base` with query parameters added.
    static func url(_ base: String, adding parameters: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let query = parameters.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
        return base + (base.contains("?") ? "&" : "?") + query
    }
}
