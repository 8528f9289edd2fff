import Foundation

/// integrator.io's REST API for one region: token information and connections, with its
/// `{"errors":[…]}` envelope. A token works only in the region it was made in.
struct IntegratorSandbox {
    enum Region: String {
        case northAmerica = "na"
        case europe = "eu"

        var token: String {
            self == .northAmerica ? SandboxAccounts.integratorNorthAmericaToken : SandboxAccounts.integratorEuropeToken
        }
        var host: String { self == .northAmerica ? "api.integrator.io" : "api.eu.integrator.io" }
    }

    let region: Region
    let service: SandboxService

    static func error(_ status: Int, _ code: String, _ message: String, field: String? = nil) -> SandboxResponse {
        var entry = ["code": code, "message": message]
        if let field { entry["field"] = field }
        return .json(status, ["errors": [entry]])
    }

    func handle(_ request: SandboxRequest) -> SandboxResponse {
        let segments = request.path.split(separator: "/").map(String.init)
        guard segments.first == "v1" else { return Self.error(404, "not_found", "There is no API at \(request.path); the API lives under /v1.") }
        guard let token = request.bearerToken else {
            return Self.error(401, "unauthorized", "This request needs an API token in an Authorization: Bearer header.")
        }
        guard token == region.token else {
            return Self.error(401, "unauthorized", "The API token is not valid for this account.")
        }
        let rest = Array(segments.dropFirst())
        switch (request.method, rest.count, rest.first) {
        case ("GET", 1, "tokenInfo"):
            return .json(200, ["_userId": "5f0c0ffee0\(region.rawValue)0000000001", "scope": "*"])
        case ("GET", 1, "connections"):
            let list = service.store.update { state in state.integratorConnections.filter { $0.region == region.rawValue } }
            if list.isEmpty { return .empty(204) }
            return .json(200, list.compactMap { service.store.unseal($0.sealedDocument).flatMap(masked) })
        case ("POST", 1, "connections"):
            return create(request)
        case ("GET", 1, "iclients"):
            let list = service.store.update { state in state.integratorIClients.filter { $0.region == region.rawValue } }
            return .json(200, list.compactMap { service.store.unseal($0.sealedDocument).flatMap(masked) })
        case ("POST", 1, "iclients"):
            return create(request, in: \.integratorIClients)
        case (let method, 2, "iclients"):
            return single(id: rest[1], method: method, request: request, in: \.integratorIClients)
        case ("POST", 2, "connections") where rest[1] == "ping":
            guard let document = request.jsonObject else { return Self.error(400, "invalid_json", "The body is not a JSON object.") }
            return ping(document)
        case (let method, 2, "connections"):
            return single(id: rest[1], method: method, request: request)
        case (let method, 3, _) where (rest[0] == "connections" || rest[0] == "connection") && rest[2] == "ping" && (method == "GET" || method == "POST"):
            guard let stored = find(rest[1]) else { return notFound(rest[1]) }
            return ping(stored)
        case ("GET", 3, _) where (rest[0] == "connections" || rest[0] == "connection") && rest[2] == "oauth2":
            guard let stored = find(rest[1]) else { return notFound(rest[1]) }
            let auth = (stored["http"] as? [String: Any])?["auth"] as? [String: Any]
            guard auth?["type"] as? String == "oauth" else {
                return Self.error(422, "invalid_auth_type", "This connection does not use OAuth 2.0, so it has no authorization URL.")
            }
            // The provider's sign-in page for this connection's OAuth client, sending the customer
            // back to oauth2RedirectUrl when one is set, else to integrator.io's own callback.
            let oauth = auth?["oauth"] as? [String: Any] ?? [:]
            guard let authorize = oauth["authURI"] as? String, let clientID = oauth["clientId"] as? String else {
                return Self.error(422, "invalid_field", "This connection has no authURI or clientId to sign in with.", field: "http.auth.oauth.authURI")
            }
            let callback = "https://\(region.host.replacingOccurrences(of: "api.", with: ""))/connection/oauth2callback"
            let redirect = oauth["oauth2RedirectUrl"] as? String ?? callback
            let scopes = (oauth["scope"] as? [String] ?? []).joined(separator: oauth["scopeDelimiter"] as? String ?? " ")
            var parameters = [("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirect), ("state", rest[1])]
            if !scopes.isEmpty { parameters.append(("scope", scopes)) }
            return .json(200, ["authorizationURL": SignInPage.url(authorize, adding: parameters)])
        default:
            return Self.error(404, "not_found", "No \(request.method) \(request.path) in this API.")
        }
    }

    private func notFound(_ id: String) -> SandboxResponse {
        Self.error(404, "not_found", "No connection has the id \(id).")
    }

    private func find(_ id: String, in list: WritableKeyPath<SandboxState, [SandboxState.IntegratorConnection]> = \.integratorConnections) -> [String: Any]? {
        let stored = service.store.update { state in state[keyPath: list].first { $0.id == id && $0.region == region.rawValue } }
        return stored.flatMap { service.store.unseal($0.sealedDocument) }.flatMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    private func validate(_ document: [String: Any], in list: WritableKeyPath<SandboxState, [SandboxState.IntegratorConnection]>) -> SandboxResponse? {
        if list == \SandboxState.integratorIClients {
            guard let name = document["name"] as? String, !name.isEmpty else { return Self.error(422, "invalid_field", "An iClient needs a name.", field: "name") }
            guard let oauth = document["oauth2"] as? [String: Any], (oauth["clientId"] as? String)?.isEmpty == false else {
                return Self.error(422, "invalid_field", "An iClient needs oauth2.clientId.", field: "oauth2.clientId")
            }
            return nil
        }
        if let client = (document["http"] as? [String: Any])?["_iClientId"] as? String, find(client, in: \.integratorIClients) == nil {
            return Self.error(422, "invalid_field", "No iClient has the id \(client).", field: "http._iClientId")
        }
        guard let name = document["name"] as? String, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            return Self.error(422, "invalid_field", "A connection needs a name.", field: "name")
        }
        guard let type = document["type"] as? String, ["http", "rest", "salesforce", "netsuite", "ftp"].contains(type) else {
            return Self.error(422, "invalid_field", "The connection type is missing or not one this account supports.", field: "type")
        }
        if type == "http" {
            guard let http = document["http"] as? [String: Any], let base = http["baseURI"] as? String, base.hasPrefix("http") else {
                return Self.error(422, "invalid_field", "An HTTP connection needs http.baseURI.", field: "http.baseURI")
            }
            if let level = http["concurrencyLevel"] as? Int, !(1...25).contains(level) {
                return Self.error(422, "invalid_field", "The concurrency level must be between 1 and 25.", field: "http.concurrencyLevel")
            }
        }
        return nil
    }

    private func create(_ request: SandboxRequest,
                        in list: WritableKeyPath<SandboxState, [SandboxState.IntegratorConnection]> = \.integratorConnections) -> SandboxResponse {
        guard var document = request.jsonObject else { return Self.error(400, "invalid_json", "The body is not a JSON object.") }
        if let problem = validate(document, in: list) { return problem }
        let id = SandboxService.randomHex(12)
        let now = ISO8601DateFormatter().string(from: service.now())
        document["_id"] = id
        document["createdAt"] = now
        document["lastModified"] = now
        let text = String(decoding: (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        service.store.update { state in state[keyPath: list].append(.init(id: id, region: region.rawValue, sealedDocument: service.store.seal(text))) }
        return .json(201, masked(text) ?? [:])
    }

    private func single(id: String, method: String, request: SandboxRequest,
                        in list: WritableKeyPath<SandboxState, [SandboxState.IntegratorConnection]> = \.integratorConnections) -> SandboxResponse {
        switch method {
        case "GET":
            guard let stored = find(id, in: list) else { return notFound(id) }
            return .json(200, masked(stored))
        case "PUT":
            guard let existing = find(id, in: list) else { return notFound(id) }
            guard let update = request.jsonObject else { return Self.error(400, "invalid_json", "The body is not a JSON object.") }
            var merged = Self.merge(existing, update)
            merged["_id"] = id
            merged["lastModified"] = ISO8601DateFormatter().string(from: service.now())
            if let problem = validate(merged, in: list) { return problem }
            let text = String(decoding: (try? JSONSerialization.data(withJSONObject: merged, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
            service.store.update { state in
                if let index = state[keyPath: list].firstIndex(where: { $0.id == id }) { state[keyPath: list][index].sealedDocument = service.store.seal(text) }
            }
            return .json(200, masked(merged))
        case "DELETE":
            let removed = service.store.update { state -> Bool in
                let before = state[keyPath: list].count
                state[keyPath: list].removeAll { $0.id == id && $0.region == region.rawValue }
                return state[keyPath: list].count < before
            }
            return removed ? .empty(204) : notFound(id)
        default:
            return Self.error(405, "method_not_allowed", "\(method) is not allowed on a connection.")
        }
    }

    /// Deep merge, as PUT with a partial document behaves here (`http.auth.oauth.oauth2RedirectUrl`).
    static func merge(_ base: [String: Any], _ update: [String: Any]) -> [String: Any] {
        var result = base
        for (key, value) in update {
            if let nested = value as? [String: Any], let old = base[key] as? [String: Any] {
                result[key] = merge(old, nested)
            } else {
                result[key] = value
            }
        }
        return result
    }

    private func masked(_ text: String) -> [String: Any]? {
        ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]).map(masked)
    }

    /// The keys whose values the API never returns: every credential of every auth type.
    static let secretKeys: Set<String> = ["token", "password", "clientSecret", "refreshToken", "accessToken", "consumerKey", "consumerSecret",
                                          "tokenSecret", "secret", "secretAccessKey", "sessionToken", "passphrase", "accessKeyId"]

    /// The document with every secret as `******`, as the API returns it.
    private func masked(_ document: [String: Any]) -> [String: Any] {
        var result: [String: Any] = [:]
        for (key, value) in document {
            if Self.secretKeys.contains(key), value is String {
                result[key] = "******"
            } else if let nested = value as? [String: Any] {
                result[key] = masked(nested)
            } else {
                result[key] = value
            }
        }
        return result
    }

    /// Tests a connection document by sending its ping through the sandbox itself.
    private func ping(_ document: [String: Any]) -> SandboxResponse {
        guard let http = document["http"] as? [String: Any], let base = http["baseURI"] as? String,
              let baseURL = URL(string: base), let host = baseURL.host else {
            return .json(200, ["errors": [["code": "invalid_connection", "message": "The connection has no http.baseURI to ping."]]])
        }
        let ping = http["ping"] as? [String: Any]
        var path = baseURL.path
        while path.hasSuffix("/") { path.removeLast() }
        let relative = ping?["relativeURI"] as? String ?? "/"
        let target = path + (relative.hasPrefix("/") ? relative : "/" + relative)
        var headers: [String: String] = [:]
        // The connection's own headers go with every request, the ping included.
        for header in http["headers"] as? [[String: Any]] ?? [] {
            if let name = header["name"] as? String, let value = header["value"] as? String { headers[name] = value }
        }
        if let auth = http["auth"] as? [String: Any], let token = auth["token"] as? [String: Any], let value = token["token"] as? String {
            let scheme = token["scheme"] as? String ?? "Bearer"
            let name = token["headerName"] as? String ?? "Authorization"
            headers[name] = scheme.lowercased() == "none" || scheme.isEmpty ? value : "\(scheme) \(value)"
        }
        let inner = SandboxRequest(method: ping?["method"] as? String ?? "GET", hostHeader: host, target: target, headers: headers, body: Data())
        let answer = service.handle(inner)
        if (200...299).contains(answer.status) {
            return .json(200, ["code": 200, "message": "The connection answered \(answer.status)."])
        }
        let said = ((try? JSONSerialization.jsonObject(with: answer.data)) as? [String: Any]).flatMap {
            (($0["errors"] as? [[String: Any]])?.first?["message"] as? String) ?? ($0["detail"] as? String)
        }
        return .json(200, ["errors": [["code": String(answer.status),
                                       "message": "The connection's ping got \(answer.status)" + (said.map { ": \($0)" } ?? ".")]]])
    }
}

extension IntegratorSandbox: ServiceEmulator {
    static var hosts: [String] { [Region.northAmerica.host, Region.europe.host] }

    static func emulator(for host: String, service: SandboxService) -> IntegratorSandbox? {
        [Region.northAmerica, .europe].first { $0.host == host }.map { IntegratorSandbox(region: $0, service: service) }
    }
}
