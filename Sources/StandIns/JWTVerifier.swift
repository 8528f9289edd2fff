import _CryptoExtras
import ConnectionCore
import Crypto
import Foundation

/// Checks a JWT the way a service does before trusting it: its signature by the account's
/// key (the public half of the private key file the stand-in published, or the shared HS256
/// secret), each claim the connector declares, and a lifetime of at most an hour.
struct JWTVerifier: Sendable {
    enum Key: Sendable {
        case shared(Data)
        case rsa(Data)   // DER of the public key (swift-crypto's key type is not Sendable)
        case ec(Data)    // raw P-256 public key
    }

    let key: Key
    /// The claims the token must carry, as the account's answers fill them.
    let claims: [String: String]

    /// The key of `algorithm` from a shared secret or a private key file.
    init(algorithm: String, secret: String?, keyFile: String?, claims: [String: String]) throws {
        self.claims = claims
        switch algorithm.uppercased() {
        case "HS256":
            guard let secret, !secret.isEmpty else { throw Problem("no HS256 secret") }
            key = .shared(Data(secret.utf8))
        case "RS256":
            let pem = try PrivateKeyFile.pem(at: keyFile ?? "")
            key = .rsa(try _RSA.Signing.PrivateKey(pemRepresentation: pem).publicKey.derRepresentation)
        case "ES256":
            let pem = try PrivateKeyFile.pem(at: keyFile ?? "")
            key = .ec(try P256.Signing.PrivateKey(pemRepresentation: pem).publicKey.rawRepresentation)
        default:
            throw Problem("\(algorithm) is not an algorithm the stand-in checks")
        }
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Nil when `token` is good at `now`; else what is wrong with it, as a service would say.
    func problem(with token: String, now: Date) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let body = Self.decode(parts[1]), let signature = Self.decode(parts[2]),
              let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return "the JWT is malformed" }
        let input = Data(parts[0..<2].joined(separator: ".").utf8)
        guard verifies(signature, input) else { return "the JWT signature is invalid" }
        for (name, expected) in claims.sorted(by: { $0.key < $1.key }) {
            let actual = object[name].map { "\($0)" }
            guard actual == expected else { return "the JWT's \(name) claim is not this account's" }
        }
        let seconds = now.timeIntervalSince1970
        guard let exp = (object["exp"] as? NSNumber)?.doubleValue, exp > seconds else { return "the JWT has expired" }
        if let iat = (object["iat"] as? NSNumber)?.doubleValue {
            guard iat <= seconds + 60 else { return "the JWT was issued in the future" }
            guard exp - iat <= 3600 else { return "the JWT is valid for more than an hour" }
        }
        return nil
    }

    func verifies(_ signature: Data, _ input: Data) -> Bool {
        switch key {
        case .shared(let secret):
            return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: input, using: SymmetricKey(data: secret))
        case .rsa(let der):
            guard let key = try? _RSA.Signing.PublicKey(derRepresentation: der) else { return false }
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: input, padding: .insecurePKCS1v1_5)
        case .ec(let raw):
            guard let key = try? P256.Signing.PublicKey(rawRepresentation: raw),
                  let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: input)
        }
    }

    static func decode(_ part: Substring) -> Data? {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text)
    }
}
