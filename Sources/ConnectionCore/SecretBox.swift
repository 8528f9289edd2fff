@preconcurrency import Crypto
import Foundation

/// Seals and opens secrets with AES-256-GCM.
///
/// Each secret is bound to its connection and field through the associated data, so a sealed
/// value copied onto another field or connection fails to open instead of being misused.
/// The stored form is base64 of nonce, ciphertext and tag (`AES.GCM.SealedBox.combined`).
public struct SecretBox: Sendable {
    public let key: StoreKey

    public init(key: StoreKey) { self.key = key }

    public func seal(_ secret: String, connectionID: String, field: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: key.key,
                                   authenticating: Self.context(connectionID: connectionID, field: field))
        guard let combined = box.combined else { throw StoreError.badKey("the cipher gave no output") }
        return combined.base64EncodedString()
    }

    /// The secret, or nil when the sealed text was altered or sealed with another key or place.
    public func open(_ sealed: String, connectionID: String, field: String) -> String? {
        guard let data = Data(base64Encoded: sealed),
              let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key.key,
                                            authenticating: Self.context(connectionID: connectionID, field: field)) else {
            return nil
        }
        return String(data: plain, encoding: .utf8)
    }

    static func context(connectionID: String, field: String) -> Data {
        Data("connwiz/secret/v1/\(connectionID)/\(field)".utf8)
    }
}
