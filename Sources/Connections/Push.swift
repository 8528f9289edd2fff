import ConnectionCore
import ConnectorSchema
import Foundation

/// How a push to an integrator.io account ended.
public struct PushOutcome: Sendable {
    /// The connection's `_id` in the account, when it is there.
    public var remoteID: String?
    /// A new connection in the account (else the one pushed before was updated).
    public var created: Bool
    /// The account refused or could not be reached; nil when it took the document.
    public var failure: String?
    /// The account's field errors (422), each naming the panel's field where one is behind it.
    public var fieldErrors: [String]
    /// The account's verdict on its own test (`--ping`): nil when not asked.
    public var ping: (passed: Bool, line: String)?
    /// Its number in the connection's log.
    public var attempt: Int
    public var notes: [String]

    public var passed: Bool { failure == nil && ping?.passed != false }
}

/// A connection as an integrator.io account lists it.
public struct RemoteConnection: Sendable, Encodable {
    public var id: String
    public var name: String
    public var type: String
    public var offline: Bool
    /// The local connection linked to it: pushed from this home, or pulled into it.
    public var pushedFrom: String?
    /// Whether that local connection differs from it (`remote diff` says how); nil when none
    /// is linked, or when it could not be compared (its secrets cannot be opened here).
    public var differs: Bool?
}

extension ConnectionUseCases {
    /// The account's API base (`https://api.eu.integrator.io/v1`) and its auth header, from a
    /// saved `celigo-integrator-io` connection.
    func account(_ account: StoredConnection, schema: ConnectorSchema) throws -> (base: String, header: HeaderField, token: String) {
        guard account.connector == "celigo-integrator-io" else {
            throw UseCaseFailure("“\(account.name)” is a \(account.connector) connection; --account takes a Celigo integrator.io connection")
        }
        let values = try store.openValues(of: account, schema: schema)
        let settings: HTTPSettings
        do { settings = try ConnectionResolver.resolve(schema: schema, values: values) } catch {
            throw UseCaseFailure("the account “\(account.name)” cannot be used: \(error)")
        }
        guard case .header(let header)? = settings.auth, !header.value.isEmpty else {
            throw UseCaseFailure("the account “\(account.name)” holds no API token")
        }
        var base = settings.baseURI
        while base.hasSuffix("/") { base.removeLast() }
        return (base, header.field, header.value)
    }

    /// `connwiz push NAME --account IO`: creates the connection in the account
    /// (`POST /v1/connections`) with its real secrets, or updates the one pushed before
    /// (`PUT`); remembers the `_id`; with `ping`, asks the account to test it. The exchanges
    /// are logged under the connection, secrets as fingerprints.
    public func push(_ connection: StoredConnection, schema: ConnectorSchema, to account: StoredConnection,
                     accountSchema: ConnectorSchema, ping: Bool) async throws -> PushOutcome {
        let target = try self.account(account, schema: accountSchema)
        let values = try store.openValues(of: connection, schema: schema)
        var document: [String: Any]
        do { document = try CeligoDocument.make(connection: connection, schema: schema, values: values, revealing: true) } catch {
            throw UseCaseFailure("cannot push “\(connection.name)”: \(error)")
        }
        var notes: [String] = []
        if let borrowed = document["_borrowConcurrencyFromConnectionId"] as? String {
            // The account knows the connection borrowed from by its own id, if it was pushed there.
            if let remote = try self.connection(id: borrowed)?.remoteIDs[account.id] {
                document["_borrowConcurrencyFromConnectionId"] = remote
            } else {
                document.removeValue(forKey: "_borrowConcurrencyFromConnectionId")
                notes.append("Its Borrow concurrency from connection is not in that account yet; push it first, then push this one again.")
            }
        }
        let secrets = [target.token] + schema.secretTexts(in: values)
        var session = try LoggedExchanges(client: try await transport.client(), log: log, key: connection.id, name: connection.name,
                                          connectorID: schema.id, secrets: secrets, at: clock())
        func request(_ purpose: String, _ method: String, _ path: String, body: Data? = nil) -> OutgoingRequest {
            OutgoingRequest(purpose: purpose, method: method, url: target.base + path,
                            headers: [HeaderField("Accept", "application/json"), target.header], body: body,
                            contentType: body == nil ? nil : "application/json", bodyCarriesCredential: body != nil)
        }
        // A stored OAuth 2.0 client goes first, as the account's iClient, and the connection
        // refers to it instead of carrying the secret.
        let reference = values.values.lazy.compactMap { $0.part(ConnectionStore.clientReferencePart) }.first { !$0.isEmpty }
        if let reference, let client = try store.oauthClients().first(where: { $0.id == reference }) {
            var oauth: [String: Any] = ["clientId": client.clientId, "clientSecret": try store.openSecret(of: client) ?? ""]
            if let auth = (document["http"] as? [String: Any])?["auth"] as? [String: Any], let settings = auth["oauth"] as? [String: Any] {
                oauth["scope"] = settings["scope"] ?? []
                oauth["scopeDelimiter"] = settings["scopeDelimiter"] ?? " "
            }
            let iClient: [String: Any] = ["name": client.name, "provider": "custom_oauth2", "oauth2": oauth]
            let iBody = (try? JSONSerialization.data(withJSONObject: iClient, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            var sent: ExchangeResult
            if let known = client.remoteIDs[account.id] {
                sent = await session.send(request("Update iClient “\(client.name)”", "PUT", "/iclients/\(RemoteID.segment(known))", body: iBody))
                if sent.status == 404 { sent = await session.send(request("Create iClient “\(client.name)”", "POST", "/iclients", body: iBody)) }
            } else {
                sent = await session.send(request("Create iClient “\(client.name)”", "POST", "/iclients", body: iBody))
            }
            guard (200..<300).contains(sent.status ?? 0),
                  let id = sent.body.flatMap({ try? JSONSerialization.jsonObject(with: $0) as? [String: Any] })?["_id"] as? String,
                  RemoteID.isValid(id) else {
                let why = (200..<300).contains(sent.status ?? 0) ? "answered \(LoggedExchanges.statusLine(sent)) without a usable _id" : "refused the iClient “\(client.name)”: \(LoggedExchanges.statusLine(sent))"
                let line = "Not pushed: the account \(why)"
                let number = session.finish(TestOutcome(kind: .clientError, line: line, status: sent.status, exchangeIndex: sent.exchange.index), at: clock())
                return PushOutcome(remoteID: connection.remoteIDs[account.id], created: false, failure: line, fieldErrors: [], ping: nil,
                                   attempt: number, notes: notes)
            }
            try store.recordClientRemoteID(id, account: account.id, clientID: client.id)
            if var http = document["http"] as? [String: Any] {
                http["_iClientId"] = id
                if var auth = http["auth"] as? [String: Any], var settings = auth["oauth"] as? [String: Any] {
                    settings.removeValue(forKey: "clientSecret")
                    auth["oauth"] = settings
                    http["auth"] = auth
                }
                document["http"] = http
            }
        }
        let body = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        var remoteID = connection.remoteIDs[account.id]
        var created = remoteID == nil
        var result: ExchangeResult
        if let known = remoteID {
            result = await session.send(request("Update in \(account.name)", "PUT", "/connections/\(RemoteID.segment(known))", body: body))
            if result.status == 404 {
                // Deleted in the account since: create it again.
                created = true
                result = await session.send(request("Create in \(account.name)", "POST", "/connections", body: body))
            }
        } else {
            result = await session.send(request("Create in \(account.name)", "POST", "/connections", body: body))
        }
        let status = result.status ?? 0
        func finish(_ failure: String?, ping verdict: (Bool, String)? = nil, fieldErrors: [String] = []) -> PushOutcome {
            let line = failure ?? verdict.map { $0.0 ? "Pushed; the account's test passed: \($0.1)" : "Pushed, but the account's test failed: \($0.1)" }
                ?? "Pushed to \(account.name)"
            let number = session.finish(TestOutcome(kind: failure == nil && verdict?.0 != false ? .succeeded : .clientError, line: line,
                                                    status: result.status, exchangeIndex: result.exchange.index), at: clock())
            return PushOutcome(remoteID: remoteID, created: created, failure: failure, fieldErrors: fieldErrors,
                               ping: verdict.map { (passed: $0.0, line: $0.1) }, attempt: number, notes: notes)
        }
        guard (200..<300).contains(status) else {
            if status == 422 {
                let errors = Self.fieldErrors(result.body, schema: schema, redactor: session.redactor)
                return finish("The account refused the connection (422 Unprocessable Entity)", fieldErrors: errors)
            }
            let said = result.body.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
                .flatMap { ($0["errors"] as? [[String: Any]])?.first?["message"] as? String }
                .map { " — “\(session.redactor.text($0))”" } ?? ""
            return finish("Not pushed: \(LoggedExchanges.statusLine(result))\(said)")
        }
        guard let answer = result.body.flatMap({ try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }),
              let id = answer["_id"] as? String, !id.isEmpty else {
            return finish("Not pushed: the account answered \(LoggedExchanges.statusLine(result)) with no _id")
        }
        guard RemoteID.isValid(id) else {
            return finish("Not pushed: the account answered \(LoggedExchanges.statusLine(result)) with an _id that is not an id (\(RemoteID.shown(id))); nothing was recorded")
        }
        remoteID = id
        try store.recordRemoteID(id, account: account.id, connectionID: connection.id)
        guard ping else { return finish(nil) }
        let pinged = await session.send(request("Test in \(account.name)", "POST", "/connections/\(RemoteID.segment(id))/ping"))
        if schema.http?.signsInThroughBrowser({ values[$0] }) == true, !(200..<300).contains(pinged.status ?? 0) || pinged.body.map({ String(decoding: $0, as: UTF8.self).contains("\"errors\"") }) == true {
            // Tokens stay on this machine: in the account the connection is not signed in
            // until someone authorizes it there, so its test cannot pass before.
            notes.append("The account has no sign-in for “\(connection.name)” yet: authorize it there first (connwiz oauth-url \(ShellWord.quoted(connection.name)) --account \(ShellWord.quoted(account.name)) prints the address), then ping again.")
        }
        let object = pinged.body.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        if let errors = object?["errors"] as? [[String: Any]] {
            // An errors array means the test failed, whatever the status.
            let message = errors.compactMap { $0["message"] as? String }.map(session.redactor.text).joined(separator: "; ")
            return finish(nil, ping: (false, message.isEmpty ? LoggedExchanges.statusLine(pinged) : "“\(message)”"))
        }
        guard (200..<300).contains(pinged.status ?? 0) else { return finish(nil, ping: (false, LoggedExchanges.statusLine(pinged))) }
        let said = (object?["message"] as? String).map { " — “\(session.redactor.text($0))”" } ?? ""
        return finish(nil, ping: (true, LoggedExchanges.statusLine(pinged) + said))
    }

    /// The account's 422 errors, each with the panel's field behind its document path.
    static func fieldErrors(_ body: Data?, schema: ConnectorSchema, redactor: Redactor) -> [String] {
        guard let object = body.flatMap({ try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }),
              let errors = object["errors"] as? [[String: Any]] else { return [] }
        return errors.map { error in
            let message = redactor.text(error["message"] as? String ?? "invalid")
            guard let path = error["field"] as? String else { return message }
            let labels = CeligoDocument.fields(behind: path, schema: schema).compactMap { schema.field($0)?.label }
            return labels.isEmpty ? "\(path): \(message)" : "\(labels.joined(separator: ", ")) (\(path)): \(message)"
        }
    }
}

/// What `oauthURL` found.
public struct AuthorizationLink: Sendable, Encodable {
    /// The address a customer opens to authorize the connection in the account.
    public var authorizationURL: String
    /// The same page on the sandbox, when requests go to one.
    public var sandboxURL: String?
    /// The redirect set first, when one was asked for.
    public var redirectURL: String?
}

extension ConnectionUseCases {
    /// `connwiz oauth-url NAME --account IO [--redirect-url URL]`: sets where the customer
    /// lands after authorizing (`PUT /v1/connections/:_id`), when asked, then reads the
    /// authorization URL (`GET /v1/connection/:_id/oauth2`). The connection must have been
    /// pushed to the account.
    public func oauthURL(_ connection: StoredConnection, in account: StoredConnection, accountSchema: ConnectorSchema,
                         redirectURL: String?) async throws -> AuthorizationLink {
        guard let remoteID = connection.remoteIDs[account.id] else {
            throw UseCaseFailure("“\(connection.name)” is not in the account of “\(account.name)” yet; push it first: connwiz push “\(connection.name)” --account “\(account.name)”")
        }
        let target = try self.account(account, schema: accountSchema)
        let client = try await transport.client()
        var session = try LoggedExchanges(client: client, log: log, key: connection.id, name: connection.name,
                                          connectorID: connection.connector, secrets: [target.token], at: clock())
        let headers = [HeaderField("Accept", "application/json"), target.header]
        func fail(_ line: String, _ result: ExchangeResult) -> UseCaseFailure {
            session.finish(TestOutcome(kind: .clientError, line: line, status: result.status, exchangeIndex: result.exchange.index), at: clock())
            return UseCaseFailure(line)
        }
        if let redirectURL {
            let body = try JSONSerialization.data(withJSONObject: ["http": ["auth": ["oauth": ["oauth2RedirectUrl": redirectURL]]]],
                                                  options: [.withoutEscapingSlashes])
            let put = await session.send(OutgoingRequest(purpose: "Set the redirect URL", method: "PUT", url: target.base + "/connections/\(RemoteID.segment(remoteID))",
                                                         headers: headers, body: body, contentType: "application/json"))
            guard (200..<300).contains(put.status ?? 0) else { throw fail("The redirect URL was not set: \(LoggedExchanges.statusLine(put))", put) }
        }
        let get = await session.send(OutgoingRequest(purpose: "Authorization URL", method: "GET", url: target.base + "/connection/\(RemoteID.segment(remoteID))/oauth2",
                                                     headers: headers))
        let said = get.body.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        guard get.status == 200, let url = said?["authorizationURL"] as? String else {
            let message = ((said?["errors"] as? [[String: Any]])?.first?["message"] as? String).map { " — “\($0)”" } ?? ""
            throw fail("No authorization URL: \(LoggedExchanges.statusLine(get))\(message)", get)
        }
        session.finish(TestOutcome(kind: .succeeded, line: "Authorization URL: \(LoggedExchanges.statusLine(get))", status: 200,
                                   exchangeIndex: get.exchange.index), at: clock())
        let shown = AuthorizationRequest.browserURL(url, route: client.options.route)
        return AuthorizationLink(authorizationURL: url, sandboxURL: shown == url ? nil : shown, redirectURL: redirectURL)
    }
}
