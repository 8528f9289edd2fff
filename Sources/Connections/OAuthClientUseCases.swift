import ConnectionCore
import Foundation

/// A stored OAuth 2.0 client as every list of clients shows it: who uses it, and whether its
/// secret still decrypts.
public struct OAuthClientListing: Sendable {
    public var client: StoredOAuthClient
    /// The connections that name it, in name order.
    public var usedBy: [StoredConnection]
    public var secretReadable: Bool
}

/// Managing the stored OAuth 2.0 clients that several connections share (`connwiz
/// oauth-client`): the rules (one name each, no deleting a client in use, an edit keeps what it
/// does not change) live here, not in the command.
extension ConnectionUseCases {
    /// Every stored client with its users.
    public func oauthClients() throws -> [OAuthClientListing] {
        let connections = try store.all()
        return try store.oauthClients().map { listing($0, among: connections) }
    }

    /// The client named `name` (any case), nil when none is.
    public func oauthClient(named name: String) throws -> OAuthClientListing? {
        try oauthClients().first { $0.client.name.lowercased() == name.lowercased() }
    }

    /// Stores a new client; a name already taken is refused.
    public func addOAuthClient(name: String, clientId: String, secret: String?) throws -> OAuthClientListing {
        if try oauthClient(named: name) != nil {
            throw UseCaseFailure("a client named “\(name)” is already stored; use connwiz oauth-client edit")
        }
        return listing(try store.saveOAuthClient(name: name, clientId: clientId, clientSecret: secret), among: try store.all())
    }

    /// Changes a client's ID, secret or both; every connection naming it follows.
    public func editOAuthClient(_ client: StoredOAuthClient, clientId: String?, secret: String?) throws -> OAuthClientListing {
        let kept = try secret ?? store.openSecret(of: client)
        let saved = try store.saveOAuthClient(name: client.name, clientId: clientId ?? client.clientId, clientSecret: kept)
        return listing(saved, among: try store.all())
    }

    /// Deletes a client that no connection uses.
    public func deleteOAuthClient(_ client: StoredOAuthClient) throws {
        let users = listing(client, among: try store.all()).usedBy
        guard users.isEmpty else {
            throw UseCaseFailure("“\(client.name)” is used by " + users.map { "“\($0.name)”" }.joined(separator: ", ")
                                 + "; edit them to use another client (--set oauth2Client=NAME), then delete it")
        }
        _ = try store.deleteOAuthClient(named: client.name)
    }

    private func listing(_ client: StoredOAuthClient, among connections: [StoredConnection]) -> OAuthClientListing {
        let users = connections.filter { connection in
            connection.values.values.contains { $0.part(ConnectionStore.clientReferencePart) == client.id }
        }
        return OAuthClientListing(client: client, usedBy: users, secretReadable: (try? store.openSecret(of: client)) != nil)
    }
}
