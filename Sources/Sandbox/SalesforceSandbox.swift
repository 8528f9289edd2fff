import _CryptoExtras
import Crypto
import Foundation

/// Salesforce's login hosts and one org instance each (production and sandbox): the token
/// endpoint for every grant, userinfo and limits, with Salesforce's error bodies.
struct SalesforceSandbox {
    static let productionInstanceHost = "acme.my.salesforce.com"
    static let sandboxInstanceHost = "acme--sbx.sandbox.my.salesforce.com"

    enum Org: String {
        case production = "salesforce-production"
        case sandbox = "salesforce-sandbox"

        var loginURL: String { self == .production ? "https://login.salesforce.com" : "https://test.salesforce.com" }
        var instanceURL: String { "https://" + (self == .production ? productionInstanceHost : sandboxInstanceHost) }
        var user: String { self == .production ? SandboxAccounts.salesforceProductionUser : SandboxAccounts.salesforceSandboxUser }
        var password: String { self == .production ? SandboxAccounts.salesforceProductionPassword : SandboxAccounts.salesforceSandboxPassword }
        var orgID: String { self == .production ? "00D5g000000sbxPRD" : "00D5g000000sbxTST" }
        var userID: String { self == .production ? "0055g000000opPRD" : "0055g000000opTST" }
    }

    let org: Org
    let service: SandboxService

    /// The org a host belongs to: its login host or its instance.
    static func org(of host: String) -> Org? {
        switch host {
        case "login.salesforce.com", productionInstanceHost: return .production
        case "test.salesforce.com", sandboxInstanceHost: return .sandbox
        default: return nil
        }
    }

    func handle(_ request: SandboxRequest) -> SandboxResponse {
        let signIn = SalesforceSignIn(org: org, service: service)
        switch (request.method, request.path) {
        case ("POST", "/services/oauth2/token"):
            return token(request)
        case ("GET", "/services/oauth2/authorize"):
            return signIn.start(request)
        case ("POST", "/services/oauth2/authorize"):
            return signIn.submit(request)
        case ("GET", "/setup/connect"):
            return signIn.verificationPage(request)
        case ("POST", "/setup/connect"):
            return signIn.verify(request)
        case ("POST", "/services/oauth2/revoke"):
            return revoke(request)
        case ("GET", "/services/oauth2/userinfo"), ("POST", "/services/oauth2/userinfo"):
            guard let issued = session(request) else { return invalidSession() }
            return .json(200, [
                "sub": "\(org.loginURL)/id/\(org.orgID)/\(org.userID)", "user_id": org.userID, "organization_id": org.orgID,
                "preferred_username": issued.subject, "email": "operator@example.com", "name": "Sandbox Operator",
                "urls": ["rest": "\(org.instanceURL)/services/data/v{version}/"],
            ])
        default:
            if request.method == "GET", request.path.hasPrefix("/services/data/v"), request.path.hasSuffix("/limits") || request.path.hasSuffix("/limits/") {
                guard session(request) != nil else { return invalidSession() }
                return .json(200, [
                    "DailyApiRequests": ["Max": 15000, "Remaining": 14987],
                    "ConcurrentAsyncGetReportInstances": ["Max": 200, "Remaining": 200],
                    "DailyBulkApiBatches": ["Max": 15000, "Remaining": 15000],
                ])
            }
            return .json(404, [["errorCode": "NOT_FOUND", "message": "The requested resource does not exist"]])
        }
    }

    private func invalidSession() -> SandboxResponse {
        .json(401, [["message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"]])
    }

    private func session(_ request: SandboxRequest) -> SandboxState.IssuedToken? {
        guard let token = request.bearerToken else { return nil }
        return service.store.update { state in
            state.accessTokens.first { $0.digest == SandboxState.digest(token) && $0.realm == org.rawValue && ($0.expiresAt ?? .distantFuture) > service.now() }
        }
    }

    static func error(_ code: String, _ description: String, status: Int = 400) -> SandboxResponse {
        .json(status, ["error": code, "error_description": description])
    }

    // MARK: Token endpoint

    private func token(_ request: SandboxRequest) -> SandboxResponse {
        let form = request.formFields
        let basic = request.basicCredentials
        let clientID = form["client_id"] ?? basic?.0
        let clientSecret = form["client_secret"] ?? basic?.1
        func checkClient(secretRequired: Bool) -> SandboxResponse? {
            guard clientID == SandboxAccounts.salesforceClientID else { return Self.error("invalid_client_id", "client identifier invalid") }
            if secretRequired || clientSecret != nil, clientSecret != SandboxAccounts.salesforceClientSecret {
                return Self.error("invalid_client", "invalid client credentials")
            }
            return nil
        }
        if form["response_type"] == "device_code" {
            return SalesforceSignIn(org: org, service: service).beginDevice(form)
        }
        switch form["grant_type"] ?? "" {
        case "device":
            if let problem = checkClient(secretRequired: false) { return problem }
            switch SalesforceSignIn(org: org, service: service).poll(form) {
            case .refused(let response): return response
            case .approved(let subject): return issue(subject: subject, withRefresh: true)
            }
        case "password":
            if let problem = checkClient(secretRequired: true) { return problem }
            guard form["username"] == org.user, form["password"] == org.password else {
                return Self.error("invalid_grant", "authentication failure")
            }
            return issue(subject: org.user, withRefresh: false)
        case "client_credentials":
            if let problem = checkClient(secretRequired: true) { return problem }
            return issue(subject: org.user, withRefresh: false)
        case "authorization_code":
            if let problem = checkClient(secretRequired: true) { return problem }
            let code = form["code"] ?? ""
            let waiting = service.store.update { state -> SandboxState.AuthorizationCode? in
                guard let index = state.authorizationCodes.firstIndex(where: { $0.digest == SandboxState.digest(code) && $0.realm == org.rawValue }) else { return nil }
                return state.authorizationCodes.remove(at: index)
            }
            guard let waiting, waiting.expiresAt > service.now(), waiting.clientID == clientID else {
                return Self.error("invalid_grant", "invalid authorization code")
            }
            if waiting.codeChallenge != nil, (form["code_verifier"] ?? "").isEmpty {
                return Self.error("invalid_grant", "code_verifier required")
            }
            guard waiting.redirectURI == form["redirect_uri"] else { return Self.error("redirect_uri_mismatch", "redirect_uri must match configuration") }
            if let challenge = waiting.codeChallenge {
                let verifier = form["code_verifier"] ?? ""
                let computed = Self.base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
                guard computed == challenge else { return Self.error("invalid_grant", "invalid code verifier") }
            }
            return issue(subject: waiting.subject, withRefresh: true)
        case "refresh_token":
            if let problem = checkClient(secretRequired: false) { return problem }
            let refresh = form["refresh_token"] ?? ""
            let known = service.store.update { state in state.refreshTokens.first { $0.digest == SandboxState.digest(refresh) && $0.realm == org.rawValue } }
            guard let known else { return Self.error("invalid_grant", "expired access/refresh token") }
            if service.settings.rotatesRefreshTokens {
                service.store.update { state in state.refreshTokens.removeAll { $0.digest == known.digest } }
            }
            return issue(subject: known.subject, withRefresh: service.settings.rotatesRefreshTokens, family: known.family)
        case "urn:ietf:params:oauth:grant-type:jwt-bearer":
            switch verify(assertion: form["assertion"] ?? "") {
            case .failure(let response): return response
            case .success(let subject): return issue(subject: subject, withRefresh: false)
            }
        case "":
            return Self.error("unsupported_grant_type", "grant type not supported")
        default:
            return Self.error("unsupported_grant_type", "grant type not supported")
        }
    }

    private func issue(subject: String, withRefresh: Bool, family: String? = nil) -> SandboxResponse {
        let access = org.orgID + "!" + SandboxService.randomHex(24)
        let refresh = withRefresh ? "5Aep" + SandboxService.randomHex(20) : nil
        let issuedAt = String(Int(service.now().timeIntervalSince1970 * 1000))
        let id = "\(org.loginURL)/id/\(org.orgID)/\(org.userID)"
        let family = family ?? SandboxService.randomHex(8)
        let lifetime = Double(service.settings.tokenLifetime)
        service.store.update { state in
            state.accessTokens.append(.init(digest: SandboxState.digest(access), realm: org.rawValue, subject: subject, scopes: ["api", "refresh_token"],
                                            expiresAt: service.now().addingTimeInterval(lifetime), family: family))
            if let refresh { state.refreshTokens.append(.init(digest: SandboxState.digest(refresh), realm: org.rawValue, subject: subject, scopes: ["api"], expiresAt: nil, family: family)) }
        }
        let signature = HMAC<SHA256>.authenticationCode(for: Data((id + issuedAt).utf8),
                                                         using: SymmetricKey(data: Data(SandboxAccounts.salesforceClientSecret.utf8)))
        var body: [String: Any] = [
            "access_token": access, "instance_url": org.instanceURL, "id": id, "token_type": "Bearer",
            "issued_at": issuedAt, "signature": Data(signature).base64EncodedString(), "scope": "api refresh_token",
        ]
        if let refresh { body["refresh_token"] = refresh }
        return .json(200, body)
    }

    /// `POST /services/oauth2/revoke` with `token=`: an access token ends alone; a refresh
    /// token ends with every access token issued from it.
    private func revoke(_ request: SandboxRequest) -> SandboxResponse {
        let digest = SandboxState.digest(request.formFields["token"] ?? request.query["token"] ?? "")
        let found = service.store.update { state -> Bool in
            if let refresh = state.refreshTokens.first(where: { $0.digest == digest && $0.realm == org.rawValue }) {
                state.refreshTokens.removeAll { $0.digest == digest }
                if let family = refresh.family { state.accessTokens.removeAll { $0.family == family } }
                return true
            }
            let before = state.accessTokens.count
            state.accessTokens.removeAll { $0.digest == digest && $0.realm == org.rawValue }
            return state.accessTokens.count != before
        }
        return found ? .empty(200) : Self.error("unsupported_token_type", "this token type is not supported")
    }

    enum Verified {
        case success(String)
        case failure(SandboxResponse)
    }

    /// Checks a JWT bearer assertion: RS256 by the connected app's key, iss = consumer key,
    /// sub = a user of this org, aud = this login host, expiring within three minutes.
    private func verify(assertion: String) -> Verified {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let headerData = Self.data(base64URL: parts[0]), let claimData = Self.data(base64URL: parts[1]),
              let signatureData = Self.data(base64URL: parts[2]),
              let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any],
              let claims = (try? JSONSerialization.jsonObject(with: claimData)) as? [String: Any] else {
            return .failure(Self.error("invalid_grant", "invalid assertion"))
        }
        guard header["alg"] as? String == "RS256" else { return .failure(Self.error("invalid_grant", "invalid assertion")) }
        let signed = Data((parts[0] + "." + parts[1]).utf8)
        let valid = service.salesforceKey.publicKey.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signatureData),
                                                                     for: signed, padding: .insecurePKCS1v1_5)
        guard claims["iss"] as? String == SandboxAccounts.salesforceClientID else {
            return .failure(Self.error("invalid_client_id", "client identifier invalid"))
        }
        guard valid else { return .failure(Self.error("invalid_grant", "invalid assertion")) }
        guard let audience = claims["aud"] as? String, audience.trimmingCharacters(in: CharacterSet(charactersIn: "/")) == org.loginURL else {
            return .failure(Self.error("invalid_grant", "audience is invalid"))
        }
        guard let expiry = (claims["exp"] as? NSNumber)?.doubleValue else { return .failure(Self.error("invalid_grant", "invalid assertion")) }
        let now = service.now().timeIntervalSince1970
        guard expiry > now else { return .failure(Self.error("invalid_grant", "expired authorization code")) }
        guard expiry <= now + 300 else { return .failure(Self.error("invalid_grant", "invalid assertion")) }
        guard let subject = claims["sub"] as? String, subject == org.user else {
            return .failure(Self.error("invalid_grant", "user hasn't approved this consumer"))
        }
        return .success(subject)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func data(base64URL text: String) -> Data? {
        var base = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base.count % 4 != 0 { base += "=" }
        return Data(base64Encoded: base)
    }
}

extension SalesforceSandbox: ServiceEmulator {
    static var hosts: [String] { ["login.salesforce.com", "test.salesforce.com", productionInstanceHost, sandboxInstanceHost] }

    static func emulator(for host: String, service: SandboxService) -> SalesforceSandbox? {
        org(of: host).map { SalesforceSandbox(org: $0, service: service) }
    }
}
