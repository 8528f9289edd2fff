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
        return loginPage(request, fields: SignInPage.passedOn(query), message: nil)
    }

    /// `POST /services/oauth2/authorize`: the password step, then the Allow/Deny step.
    func submit(_ request: SandboxRequest) -> SandboxResponse {
        let form = request.formFields
        switch form["step"] {
        case "login":
            if let problem = Self.problem(with: form) { return problem }
            guard form["username"] == org.user, form["password"] == org.password else {
                return loginPage(request, fields: SignInPage.passedOn(form),
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
                return SignInPage.page(400, "Sign-in expired", "<p>This sign-in page has expired or was already used. Start again from connwiz.</p>")
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
            return SignInPage.redirect(ticket.redirectURI, parameters)
        default:
            return SignInPage.page(400, "Bad request", "<p>The form is incomplete.</p>")
        }
    }

    /// What Salesforce refuses before showing its sign-in page.
    static func problem(with query: [String: String]) -> SandboxResponse? {
        guard query["response_type"] == "code" else {
            return SignInPage.page(400, "Error", "<p>error=unsupported_response_type: response type not supported</p>")
        }
        guard query["client_id"] == SandboxAccounts.salesforceClientID else {
            return SignInPage.page(400, "Error", "<p>error=invalid_client_id: client identifier invalid</p>")
        }
        guard let redirect = query["redirect_uri"], let url = URL(string: redirect), let host = url.host,
              url.scheme == "https" || (url.scheme == "http" && ["127.0.0.1", "localhost", "::1"].contains(host)) else {
            return SignInPage.page(400, "Error", "<p>error=redirect_uri_mismatch: redirect_uri must match configuration</p>")
        }
        if query["code_challenge"] != nil, query["code_challenge_method"] != "S256" {
            return SignInPage.page(400, "Error", "<p>error=invalid_request: code_challenge_method must be S256</p>")
        }
        return nil
    }

    func loginPage(_ request: SandboxRequest, fields: [(String, String)], message: String?) -> SandboxResponse {
        SignInPage.login(request, title: "Login | Salesforce (connwiz sandbox)", heading: "Log in to \(org.loginURL)",
                         hint: "connwiz sandbox. Users: \(org.user) / \(org.password).", fields: fields, message: message)
    }

    func consentPage(_ request: SandboxRequest, ticket: String, user: String) -> SandboxResponse {
        SignInPage.consent(request, title: "Allow Access? (connwiz sandbox)",
                           question: "connwiz is asking to access \(org.loginURL) as \(user): access and manage your data (api), and perform requests at any time (refresh_token).",
                           ticket: ticket)
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
        let warning = message.map { "<p class=\"error\" id=\"error\">\(SignInPage.escape($0))</p>\n" } ?? ""
        return SignInPage.page(200, "Connect Your Device (connwiz sandbox)", """
            <h1>Connect your device to \(SignInPage.escape(org.loginURL))</h1>
            \(warning)<form method="post" action="\(SignInPage.escape(SignInPage.action(request)))">
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
        return SignInPage.page(200, allow ? "Connected" : "Denied",
                         allow ? "<p id=\"done\">Your device is connected. Return to the terminal.</p>" : "<p id=\"done\">Access denied.</p>")
    }
}
