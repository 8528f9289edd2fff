import ConnectorSchema
import _CryptoExtras
import Crypto
import Foundation

/// The signed JWT of the OAuth 2.0 JWT bearer grant (RFC 7523), as Salesforce expects it:
/// RS256, issuer = consumer key, subject = username, audience = login host, expiring in
/// three minutes.
public enum JWTAssertion {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case unreadable(String, String)
        case notRSA(String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): return "the private key file \(path) cannot be read: \(reason)"
            case .notRSA(let path): return "the private key file \(path) holds no RSA private key in PEM form (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)"
            }
        }
    }

    /// Reads the key at `path` (PEM, or a Google service-account JSON key) and signs the claims.
    public static func make(keyFile path: String, issuer: String, subject: String, audience: String,
                            now: Date = Date(), lifetime: TimeInterval = 180) throws -> String {
        try sign(key: key(at: path), issuer: issuer, subject: subject, audience: audience, now: now, lifetime: lifetime)
    }

    /// The RSA private key in the PEM file at `path` (`~` expanded).
    static func key(at path: String) throws -> _RSA.Signing.PrivateKey {
        let pem: String
        do { pem = try PrivateKeyFile.pem(at: path) } catch let problem as PrivateKeyFile.Unreadable {
            throw Problem.unreadable(path, problem.reason)
        }
        let key: _RSA.Signing.PrivateKey
        do { key = try _RSA.Signing.PrivateKey(pemRepresentation: pem) } catch { throw Problem.notRSA(path) }
        return key
    }

    /// The check the forms run when a private key file is entered: it exists, can be read and
    /// holds an RSA private key. The key itself goes nowhere.
    public static let keyFileInspector = FileInspector { path, requirement in
        switch requirement {
        case .rsaPrivateKey:
            do { _ = try key(at: path) } catch { return "\(error)" }
            return nil
        }
    }

    static func sign(key: _RSA.Signing.PrivateKey, issuer: String, subject: String, audience: String,
                     now: Date, lifetime: TimeInterval) throws -> String {
        let header = #"{"alg":"RS256","typ":"JWT"}"#
        let claims: [String: Any] = ["iss": issuer, "sub": subject, "aud": audience, "exp": Int(now.timeIntervalSince1970 + lifetime)]
        let claimData = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys, .withoutEscapingSlashes])
        let signingInput = base64URL(Data(header.utf8)) + "." + base64URL(claimData)
        let signature = try key.signature(for: Data(signingInput.utf8), padding: .insecurePKCS1v1_5)
        return signingInput + "." + base64URL(signature.rawRepresentation)
    }

    public static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
