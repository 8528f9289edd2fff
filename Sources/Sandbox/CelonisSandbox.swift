import Foundation

/// A Celonis team (`acme.eu-1.celonis.cloud`): the OAuth token endpoint, knowledge models of
/// the Intelligence API, and data push jobs per pool, with Celonis's error shapes.
struct CelonisSandbox {
    let team: String
    let service: SandboxService

    /// Who a request acts as.
    enum Caller {
        case application
        case user
        case client(scopes: [String])

        func may(_ anyOf: [String]) -> Bool {
            guard case .client(let scopes) = self else { return true }
            return scopes.contains { anyOf.contains($0) }
        }
    }

    func handle(_ request: SandboxRequest) -> SandboxResponse {
        guard team == SandboxAccounts.celonisTeam else {
            return .json(404, ["title": "Not Found", "status": 404, "detail": "There is no Celonis team at \(team).celonis.cloud."])
        }
        if request.path == "/oauth2/token" {
            return request.method == "POST" ? token(request) : .json(405, ["error": "invalid_request", "error_description": "Use POST."])
        }
        let caller: Caller
        switch authenticate(request) {
        case .success(let who): caller = who
        case .failure(let failure): return failure.response
        }
        let segments = request.path.split(separator: "/").map(String.init)
        if request.method == "GET", request.path == "/intelligence/api/knowledge-models" {
            guard caller.may(["studio", "intelligence.knowledge-models:read"]) else { return denied() }
            let size = Int(request.query["pageSize"] ?? "") ?? 50
            let page = Int(request.query["page"] ?? "") ?? 0
            let models: [[String: Any]] = [
                ["id": "km-orders", "name": "Order to cash", "spaceId": "space-1"],
                ["id": "km-purchasing", "name": "Purchase to pay", "spaceId": "space-1"],
            ]
            let content = Array(models.dropFirst(page * size).prefix(size))
            return .json(200, ["page": page, "pageSize": size, "total": models.count, "content": content])
        }
        if request.method == "GET", segments.count >= 6, Array(segments.prefix(4)) == ["integration", "api", "v1", "data-push"],
           segments.count == 6, segments[5] == "jobs" {
            guard caller.may(["integration.data-pools", "integration.data-pools:data_push"]) else { return .empty(403) }
            guard segments[4] == SandboxAccounts.celonisPool else { return .empty(404) }
            return .json(200, [["id": "job-0001", "targetName": "orders", "status": "DONE", "dataPoolId": SandboxAccounts.celonisPool]])
        }
        return .json(404, ["title": "Not Found", "status": 404, "detail": "No resource at \(request.path)."])
    }

    private func denied() -> SandboxResponse {
        .json(403, ["title": "Access Denied.", "status": 403,
                    "detail": "The caller lacks the permission this resource needs.", "errorCode": "ADMIN_ACCESS_ERROR"])
    }

    private func authenticate(_ request: SandboxRequest) -> Result<Caller, Failure> {
        let value = request.header("authorization") ?? ""
        let unauthorized = SandboxResponse.json(401, ["title": "Unauthorized", "status": 401,
                                                      "detail": "The credentials are not valid for this team."])
        if value.hasPrefix("AppKey ") {
            return String(value.dropFirst(7)) == SandboxAccounts.celonisAppKey ? .success(.application) : .failure(Failure(unauthorized))
        }
        if value.hasPrefix("Bearer ") {
            let token = String(value.dropFirst(7))
            if token == SandboxAccounts.celonisAPIKey { return .success(.user) }
            let issued = service.store.update { state in
                state.accessTokens.first { $0.digest == SandboxState.digest(token) && $0.realm == "celonis" && ($0.expiresAt ?? .distantFuture) > service.now() }
            }
            if let issued { return .success(.client(scopes: issued.scopes)) }
            return .failure(Failure(unauthorized))
        }
        return .failure(Failure(.json(401, ["title": "Unauthorized", "status": 401,
                                            "detail": #"Invalid "Authorization" header format. Should start either with "Bearer " or "AppKey ""#])))
    }

    struct Failure: Error {
        let response: SandboxResponse
        init(_ response: SandboxResponse) { self.response = response }
    }

    /// `POST /oauth2/token`: client credentials, the client by HTTP Basic (or in the body).
    private func token(_ request: SandboxRequest) -> SandboxResponse {
        let form = request.formFields
        let client = request.basicCredentials ?? (form["client_id"].map { ($0, form["client_secret"] ?? "") })
        guard let client, client.0 == SandboxAccounts.celonisClientID, client.1 == SandboxAccounts.celonisClientSecret else {
            return .json(401, ["error": "invalid_client", "error_description": "Client authentication failed."])
        }
        guard form["grant_type"] == "client_credentials" else {
            return .json(400, ["error": "unsupported_grant_type", "error_description": "This client may use client_credentials only."])
        }
        let asked = (form["scope"] ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        if let refused = asked.first(where: { !SandboxAccounts.celonisScopes.contains($0) }) {
            return .json(400, ["error": "invalid_scope", "error_description": "The client may not ask for the scope \(refused)."])
        }
        let scopes = asked.isEmpty ? SandboxAccounts.celonisScopes : asked
        let token = "sbx-celonis-at-" + SandboxService.randomHex(16)
        service.store.update { state in
            state.accessTokens.append(.init(digest: SandboxState.digest(token), realm: "celonis", subject: client.0, scopes: scopes, expiresAt: service.now().addingTimeInterval(3600)))
        }
        return .json(200, ["access_token": token, "token_type": "Bearer", "expires_in": 3599, "scope": scopes.joined(separator: " ")])
    }
}

extension CelonisSandbox: ServiceEmulator {
    static var hosts: [String] { ["\(SandboxAccounts.celonisTeam).celonis.cloud"] }

    /// Any team's host: a team other than the sandbox's gets Celonis's 404.
    static func emulator(for host: String, service: SandboxService) -> CelonisSandbox? {
        guard host.hasSuffix(".celonis.cloud"), host.count > ".celonis.cloud".count else { return nil }
        return CelonisSandbox(team: String(host.dropLast(".celonis.cloud".count)), service: service)
    }
}
