import Foundation

/// An OAuth 2.0 client (client ID and sealed client secret) kept once and shared by any
/// number of connections, as integrator.io's iClients are (store version 2).
public struct StoredOAuthClient: Codable, Hashable, Sendable {
    public var id: String
    public var name: String
    public var clientId: String
    /// The client secret, sealed and bound to this client's id.
    public var sealedSecret: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// The client's id in each remote account it was pushed to (an integrator.io iClient `_id`).
    public var remoteIDs: [String: String]

    public init(id: String, name: String, clientId: String, sealedSecret: String?, createdAt: Date, updatedAt: Date,
                remoteIDs: [String: String] = [:]) {
        self.id = id
        self.name = name
        self.clientId = clientId
        self.sealedSecret = sealedSecret
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.remoteIDs = remoteIDs
    }
}
