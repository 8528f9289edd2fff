import ConnectorSchema
import Foundation

/// The tokens a sign-in obtained, sealed beside the connection they belong to.
extension ConnectionStore {
    // MARK: Obtained credentials

    /// Keeps credentials obtained for the connection `connectionID`, sealed, with the answers
    /// they were obtained with; they replace any held before.
    public func storeCredentials(_ credentials: ObtainedCredentials, connectionID: String, schema: ConnectorSchema) throws {
        try updateFile { file in
            guard let index = file.connections.firstIndex(where: { $0.id == connectionID }) else { throw StoreError.notFound(connectionID) }
            let box = try sealingBox(in: &file)
            var sealed: [String: String] = [:]
            for (name, token) in credentials.tokens {
                sealed[name] = try box.seal(token, at: .credential(connectionID: connectionID, name: name))
            }
            file.connections[index].credentials = SealedCredentials(
                sealed: sealed, expiresAt: credentials.expiresAt.map(Self.wholeSeconds), instanceURL: credentials.instanceURL,
                obtainedAt: Self.wholeSeconds(credentials.obtainedAt), basis: schema.credentialBasis(file.connections[index].values))
            if !credentials.callbackValues.isEmpty { file.connections[index].credentials?.callbackValues = credentials.callbackValues }
        }
    }

    /// The connection's credentials opened; nil when it holds none.
    public func openCredentials(of connection: StoredConnection) throws -> ObtainedCredentials? {
        guard let held = connection.credentials else { return nil }
        let box = try secretBox(for: connection)
        func open(_ name: String) throws -> String? {
            guard let sealed = held.sealed[name] else { return nil }
            guard let plain = box.open(sealed, at: .credential(connectionID: connection.id, name: name)) else {
                throw StoreError.secretUnreadable(connection: connection.name, key: name)
            }
            return plain
        }
        var opened = ObtainedCredentials(accessToken: try open(ObtainedCredentials.accessTokenName),
                                         refreshToken: try open(ObtainedCredentials.refreshTokenName),
                                         expiresAt: held.expiresAt, instanceURL: held.instanceURL, obtainedAt: held.obtainedAt)
        opened.callbackValues = held.callbackValues ?? [:]
        return opened
    }

    /// Forgets the connection's credentials if the refresh token they hold is still `refused`
    /// (or they hold none): compared under the store's lock, so a refused refresh cannot
    /// erase tokens another process stored after it read its own. True when forgotten; false
    /// when the store now holds other tokens, which the caller should read again and use.
    public func forgetCredentials(connectionID: String, ifRefreshTokenIs refused: String) throws -> Bool {
        try update { connections in
            guard let index = connections.firstIndex(where: { $0.id == connectionID }) else { throw StoreError.notFound(connectionID) }
            let connection = connections[index]
            guard connection.credentials != nil else { return true }
            let held = try openCredentials(of: connection)?.refreshToken
            guard held == nil || held == refused else { return false }
            connections[index].credentials = nil
            return true
        }
    }

    /// Forgets the connection's credentials; true when it held some.
    @discardableResult
    public func forgetCredentials(connectionID: String) throws -> Bool {
        try update { connections in
            guard let index = connections.firstIndex(where: { $0.id == connectionID }) else { throw StoreError.notFound(connectionID) }
            defer { connections[index].credentials = nil }
            return connections[index].credentials != nil
        }
    }

    /// Records the id the connection has in a remote account.
    public func recordRemoteID(_ remoteID: String, account: String, connectionID: String) throws {
        try update { connections in
            guard let index = connections.firstIndex(where: { $0.id == connectionID }) else { throw StoreError.notFound(connectionID) }
            connections[index].remoteIDs[account] = remoteID
        }
    }
}
