import Foundation

/// The PEM text of a private key file an operator names: a PEM file, or a Google
/// service-account key file (JSON whose `private_key` holds the PEM), so the file Google
/// downloads works as it is. The key is read when a token is signed and goes nowhere else.
public enum PrivateKeyFile {
    /// Why the file gives no key text; `JWTSigner` and `JWTAssertion` word it with the path.
    public struct Unreadable: Error {
        public var reason: String
    }

    /// The PEM text in the file at `path` (`~` expanded).
    public static func pem(at path: String) throws -> String {
        let expanded = (path as NSString).expandingTildeInPath
        guard let text = try? String(contentsOfFile: expanded, encoding: .utf8) else {
            throw Unreadable(reason: FileManager.default.fileExists(atPath: expanded) ? "it is not readable text" : "no such file")
        }
        guard text.drop(while: \.isWhitespace).first == "{" else { return text }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw Unreadable(reason: "it looks like JSON but does not parse")
        }
        guard let pem = object["private_key"] as? String else {
            throw Unreadable(reason: "it is JSON without a private_key (a Google service-account key file has one)")
        }
        return pem
    }
}
