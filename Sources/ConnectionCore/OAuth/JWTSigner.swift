import _CryptoExtras
import Crypto
import Foundation

/// Signs a JSON Web Token (RFC 7519) with HS256, RS256 or ES256 (RFC 7518 §3): the `jwt` auth
/// type's token and the `private_key_jwt` client assertion (RFC 7523 §2.2). Keys come from a
/// shared secret or a PEM file; nothing of either is ever written out.
public struct JWTSigner: Sendable {
    public enum Algorithm: String, Sendable, CaseIterable {
        case hs256 = "HS256"
        case rs256 = "RS256"
        case es256 = "ES256"
    }

    enum Key: Sendable {
        case shared(Data)
        case rsa(_RSA.Signing.PrivateKey)
        /// The P-256 key's raw scalar (swift-crypto's key type is not Sendable).
        case ec(Data)
    }

    public let algorithm: Algorithm
    let key: Key

    public enum Problem: Error, CustomStringConvertible {
        case unknownAlgorithm(String)
        case emptySecret
        case unreadable(String, String)
        case wrongKey(String, Algorithm)

        public var description: String {
            switch self {
            case .unknownAlgorithm(let name): return "“\(name)” is not a JWT algorithm connwiz signs with; use HS256, RS256 or ES256"
            case .emptySecret: return "the HS256 signing secret is empty"
            case .unreadable(let path, let reason): return "the private key file \(path) cannot be read: \(reason)"
            case .wrongKey(let path, let algorithm):
                return "the private key file \(path) holds no \(algorithm == .es256 ? "P-256 EC" : "RSA") private key in PEM form, which \(algorithm.rawValue) needs"
            }
        }
    }

    /// - Parameters:
    ///   - secret: the shared secret of HS256.
    ///   - keyFile: the PEM private key of RS256 (RSA) or ES256 (P-256).
    public init(algorithm name: String, secret: String?, keyFile: String?) throws {
        guard let algorithm = Algorithm(rawValue: name.uppercased()) else { throw Problem.unknownAlgorithm(name) }
        self.algorithm = algorithm
        switch algorithm {
        case .hs256:
            guard let secret, !secret.isEmpty else { throw Problem.emptySecret }
            key = .shared(Data(secret.utf8))
        case .rs256, .es256:
            let path = keyFile ?? ""
            let pem: String
            do { pem = try PrivateKeyFile.pem(at: path) } catch let problem as PrivateKeyFile.Unreadable {
                throw Problem.unreadable(path, problem.reason)
            }
            if algorithm == .rs256 {
                guard let rsa = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) else { throw Problem.wrongKey(path, algorithm) }
                key = .rsa(rsa)
            } else {
                guard let ec = try? P256.Signing.PrivateKey(pemRepresentation: pem) else { throw Problem.wrongKey(path, algorithm) }
                key = .ec(ec.rawRepresentation)
            }
        }
    }

    /// The compact JWT of `claims` (sorted keys, so the same claims give the same token).
    public func sign(_ claims: [String: Any]) throws -> String {
        let header = #"{"alg":"\#(algorithm.rawValue)","typ":"JWT"}"#
        let body = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys, .withoutEscapingSlashes])
        let input = JWTAssertion.base64URL(Data(header.utf8)) + "." + JWTAssertion.base64URL(body)
        let data = Data(input.utf8)
        let signature: Data
        switch key {
        case .shared(let secret): signature = Data(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: secret)))
        case .rsa(let rsa): signature = try rsa.signature(for: data, padding: .insecurePKCS1v1_5).rawRepresentation
        case .ec(let raw): signature = try P256.Signing.PrivateKey(rawRepresentation: raw).signature(for: data).rawRepresentation
        }
        return input + "." + JWTAssertion.base64URL(signature)
    }

    /// The registered time and id claims RFC 7519 §4.1 names, for a token made now.
    public static func timeClaims(now: Date, lifetime: TimeInterval) -> [String: Any] {
        let issued = Int(now.timeIntervalSince1970)
        return ["iat": issued, "exp": issued + Int(lifetime), "jti": UUID().uuidString.lowercased()]
    }
}
