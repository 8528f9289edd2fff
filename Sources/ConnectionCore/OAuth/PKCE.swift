import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636) with S256: a fresh random verifier for each sign-in,
/// and the challenge sent in its place. Only the verifier proves who asked for the code, so it
/// never leaves memory except in the token request, where the log shows its fingerprint.
public struct PKCE: Sendable, CustomStringConvertible {
    /// 43 characters of base64url: 32 random bytes (RFC 7636 §4.1 asks for 43 to 128).
    public let verifier: String
    public var challenge: String { Self.challenge(for: verifier) }
    public let method = "S256"

    public init() { verifier = Self.randomToken(bytes: 32) }

    public init(verifier: String) { self.verifier = verifier }

    public static func challenge(for verifier: String) -> String {
        base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// Never prints the verifier.
    public var description: String { "PKCE(S256, challenge \(challenge))" }

    /// `bytes` random bytes from the system's generator, as base64url without padding.
    public static func randomToken(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL(Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
