@preconcurrency import Crypto
import Foundation

/// Seals and opens secrets with AES-256-GCM.
///
/// Each secret is bound to what it is through the associated data: an answer to its
/// connection and field, an obtained credential to its connection and name, a shared OAuth 2.0
/// client's secret to that client. A sealed value copied to another place fails to open
/// instead of being misused. The stored form is base64 of nonce, ciphertext and tag
/// (`AES.GCM.SealedBox.combined`).
public struct SecretBox: Sendable {
    public let key: StoreKey

    public init(key: StoreKey) { self.key = key }

    /// What a sealed value is, written into its associated data.
    public enum Place: Hashable, Sendable {
        /// A secret answer, or secret part of an answer, of a connection (`token`, `oauth2Client.clientSecret`).
        case answer(connectionID: String, key: String)
        /// A credential obtained after saving (`accessToken`, `refreshToken`).
        case credential(connectionID: String, name: String)
        /// The client secret of a stored OAuth 2.0 client that several connections may use.
        case oauthClient(clientID: String)

        var associatedData: Data {
            switch self {
            // Version 1 stores sealed answers with this label; it stays so they still open.
            case .answer(let connection, let key): return Data("connwiz/secret/v1/\(connection)/\(key)".utf8)
            case .credential(let connection, let name): return Data("connwiz/credential/v2/\(connection)/\(name)".utf8)
            case .oauthClient(let client): return Data("connwiz/oauth-client/v2/\(client)/clientSecret".utf8)
            }
        }
    }

    public func seal(_ secret: String, at place: Place) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: key.key, authenticating: place.associatedData)
        guard let combined = box.combined else { throw StoreError.badKey("the cipher gave no output") }
        return combined.base64EncodedString()
    }

    /// The secret, or nil when the sealed text was altered or sealed with another key or place.
    public func open(_ sealed: String, at place: Place) -> String? {
        guard let data = Data(base64Encoded: sealed),
              let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key.key, authenticating: place.associatedData) else {
            return nil
        }
        return String(data: plain, encoding: .utf8)
    }

    public func seal(_ secret: String, connectionID: String, field: String) throws -> String {
        try seal(secret, at: .answer(connectionID: connectionID, key: field))
    }

    public func open(_ sealed: String, connectionID: String, field: String) -> String? {
        open(sealed, at: .answer(connectionID: connectionID, key: field))
    }
}
