import ConnectorSchema
import Foundation

/// Connections refer to shared OAuth 2.0 clients: an `oauthClient` answer is held as
/// `{client: <stored client id>, clientId: …}`, and the client's secret stays sealed with the
/// client. An answer typed inline (client ID and secret) becomes such a reference when it is
/// saved, reusing the stored client with the same ID and secret, else adding one.
extension ConnectionStore {
    /// The part of an `oauthClient` answer that names a stored client.
    public static let clientReferencePart = FieldPart.storedClientReference

    /// The stored clients whose ids `values` refer to, with their secrets opened, written into
    /// those answers (`clientId`, `clientSecret`). Throws when a client is gone.
    func expandClientReferences(_ values: inout [String: FieldValue], connection: StoredConnection) throws {
        let referring = values.filter { _, value in !(value.part(Self.clientReferencePart) ?? "").isEmpty }
        guard !referring.isEmpty else { return }
        let clients = try read().oauthClients
        for (field, value) in referring {
            guard case .parts(var parts) = value, let id = parts[Self.clientReferencePart],
                  let client = clients.first(where: { $0.id == id }) else {
                throw StoreError.secretUnreadable(connection: connection.name, key: "\(field) (its stored OAuth 2.0 client was deleted)")
            }
            parts["clientId"] = client.clientId
            parts["clientSecret"] = try openSecret(of: client) ?? ""
            values[field] = .parts(parts)
        }
    }

    /// Turns inline clients in `values` into references, adding or reusing stored clients in
    /// `file`. `name` names a client added for this connection.
    func referenceClients(_ values: inout [String: FieldValue], schema: ConnectorSchema, named name: String,
                          in file: inout StoreFile, now: Date) throws {
        for field in schema.fields where field.kind == .oauthClient {
            if case .parts(let parts)? = values[field.id], let reference = parts[Self.clientReferencePart], !reference.isEmpty {
                // A reference that brings a new secret (the panel's `e`) updates its client; one
                // that brings only a new ID keeps the secret the store holds.
                if let clientId = parts["clientId"], !clientId.isEmpty, let index = file.oauthClients.firstIndex(where: { $0.id == reference }) {
                    if let secret = parts["clientSecret"], !secret.isEmpty {
                        let box = try sealingBox(in: &file)
                        file.oauthClients[index].clientId = clientId
                        file.oauthClients[index].sealedSecret = try box.seal(secret, at: .oauthClient(clientID: reference))
                        file.oauthClients[index].updatedAt = now
                    } else if file.oauthClients[index].clientId != clientId {
                        file.oauthClients[index].clientId = clientId
                        file.oauthClients[index].updatedAt = now
                    }
                }
                let clientId = file.oauthClients.first { $0.id == reference }?.clientId ?? parts["clientId"] ?? ""
                values[field.id] = .parts([Self.clientReferencePart: reference, "clientId": clientId])
                continue
            }
            guard case .parts(let parts)? = values[field.id], (parts[Self.clientReferencePart] ?? "").isEmpty,
                  let clientId = parts["clientId"], !clientId.isEmpty, let secret = parts["clientSecret"], !secret.isEmpty else { continue }
            let box = try sealingBox(in: &file)
            let reused = file.oauthClients.first { client in
                client.clientId == clientId && client.sealedSecret.flatMap { box.open($0, at: .oauthClient(clientID: client.id)) } == secret
            }
            let client: StoredOAuthClient
            if let reused {
                client = reused
            } else {
                var wanted = "\(name) client"
                var number = 2
                while file.oauthClients.contains(where: { $0.name.lowercased() == wanted.lowercased() }) {
                    wanted = "\(name) client (\(number))"
                    number += 1
                }
                let id = "k" + String(Self.newID().dropFirst())
                client = StoredOAuthClient(id: id, name: wanted, clientId: clientId,
                                           sealedSecret: try box.seal(secret, at: .oauthClient(clientID: id)), createdAt: now, updatedAt: now)
                file.oauthClients.append(client)
            }
            values[field.id] = .parts([Self.clientReferencePart: client.id, "clientId": clientId])
        }
    }

    /// Moves the inline OAuth 2.0 clients of connections saved before clients were shared into
    /// stored clients (a value with a `clientId` part and a sealed `<field>.clientSecret`).
    /// Writes only when there is something to move; returns how many answers moved.
    @discardableResult
    public func migrateInlineClients() throws -> Int {
        func inline(_ connection: StoredConnection) -> [String] {
            connection.values.compactMap { field, value in
                guard case .parts(let parts) = value, parts["clientId"] != nil, (parts[Self.clientReferencePart] ?? "").isEmpty,
                      connection.secrets["\(field).clientSecret"] != nil else { return nil }
                return field
            }
        }
        guard try read().connections.contains(where: { !inline($0).isEmpty }) else { return 0 }
        return try updateFile { file in
            var moved = 0
            let now = Self.wholeSeconds(Date())
            for index in file.connections.indices {
                let connection = file.connections[index]
                let fields = inline(connection)
                guard !fields.isEmpty else { continue }
                let box = try sealingBox(in: &file)
                for field in fields {
                    let key = "\(field).clientSecret"
                    guard let sealed = connection.secrets[key], let secret = box.open(sealed, connectionID: connection.id, field: key),
                          let clientId = connection.values[field]?.part("clientId") else { continue }
                    // A schema-free stand-in: only the oauthClient parts matter here.
                    let spec = FieldSpec(id: field, label: field, kind: .oauthClient)
                    var values: [String: FieldValue] = [field: .parts(["clientId": clientId, "clientSecret": secret])]
                    try referenceClients(&values, schema: ConnectorSchema(id: connection.connector, title: connection.connector, fields: [spec]),
                                         named: connection.name, in: &file, now: now)
                    file.connections[index].values[field] = values[field]
                    file.connections[index].secrets.removeValue(forKey: key)
                    moved += 1
                }
            }
            return moved
        }
    }

    /// Records the id a stored client has in a remote account (an integrator.io iClient).
    public func recordClientRemoteID(_ remoteID: String, account: String, clientID: String) throws {
        try updateFile { file in
            guard let index = file.oauthClients.firstIndex(where: { $0.id == clientID }) else { throw StoreError.notFound(clientID) }
            file.oauthClients[index].remoteIDs[account] = remoteID
        }
    }
}

extension ConnectionStore {
    // MARK: Shared OAuth 2.0 clients

    /// Every stored OAuth 2.0 client, in name order.
    public func oauthClients() throws -> [StoredOAuthClient] {
        try read().oauthClients.sorted { NameOrder.precedes($0.name, $1.name) }
    }

    /// Adds an OAuth 2.0 client, or replaces the one with the same name (ignoring case); the
    /// secret is sealed to the client, so any connection that uses it can open it.
    @discardableResult
    public func saveOAuthClient(name: String, clientId: String, clientSecret: String?, now: Date = Date()) throws -> StoredOAuthClient {
        let now = Self.wholeSeconds(now)
        return try updateFile { file in
            let wanted = name.trimmingCharacters(in: .whitespaces)
            let existing = file.oauthClients.firstIndex { $0.name.lowercased() == wanted.lowercased() }
            let id = existing.map { file.oauthClients[$0].id } ?? "k" + String(Self.newID().dropFirst())
            var sealed: String?
            if let clientSecret, !clientSecret.isEmpty {
                sealed = try sealingBox(in: &file).seal(clientSecret, at: .oauthClient(clientID: id))
            }
            let client = StoredOAuthClient(id: id, name: wanted, clientId: clientId, sealedSecret: sealed,
                                           createdAt: existing.map { file.oauthClients[$0].createdAt } ?? now, updatedAt: now,
                                           remoteIDs: existing.map { file.oauthClients[$0].remoteIDs } ?? [:])
            if let existing { file.oauthClients[existing] = client } else { file.oauthClients.append(client) }
            return client
        }
    }

    /// The client secret of a stored client; nil when it has none.
    public func openSecret(of client: StoredOAuthClient) throws -> String? {
        guard let sealed = client.sealedSecret else { return nil }
        guard let key = try StoreKey.existing(home: home, environment: environment) else {
            throw StoreError.keyMissing(home.keyFile, sealedSecrets: 1)
        }
        guard let plain = SecretBox(key: key).open(sealed, at: .oauthClient(clientID: client.id)) else {
            throw StoreError.secretUnreadable(connection: "OAuth 2.0 client " + client.name, key: "clientSecret")
        }
        return plain
    }

    /// Deletes the stored client named `name`.
    @discardableResult
    public func deleteOAuthClient(named name: String) throws -> StoredOAuthClient {
        try updateFile { file in
            guard let index = file.oauthClients.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw StoreError.notFound(name)
            }
            return file.oauthClients.remove(at: index)
        }
    }
}
