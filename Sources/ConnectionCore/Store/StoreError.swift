import Foundation

/// Why the store could not do what was asked, in words the operator can act on.
public enum StoreError: LocalizedError, Equatable, Sendable, CustomStringConvertible {
    /// The same words wherever the error is shown, `localizedDescription` included (which
    /// otherwise reads "StoreError error 3").
    public var errorDescription: String? { description }

    case notAFolder(String)
    case unreadable(String, reason: String)
    case unsupportedVersion(String, Int)
    case cannotWrite(String, reason: String)
    case badKey(String)
    case keyMissing(String, sealedSecrets: Int)
    case wrongKey(origin: String)
    case unsafe(String, String)
    case secretUnreadable(connection: String, key: String)
    case notFound(String)
    case nameTaken(String)
    case locked(String)
    case keyring(String)

    public var description: String {
        switch self {
        case .notAFolder(let path):
            return "\(path) exists but is not a folder; connwiz keeps its state in a folder there (see --home)"
        case .unreadable(let path, let reason):
            return "\(path) cannot be read: \(reason). It was left exactly as it is: restore a backup, or move it aside to start with no connections"
        case .unsupportedVersion(let path, let version):
            return "\(path) was written by a newer connwiz (store version \(version)); it was left untouched. Use that connwiz, or move the file aside"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .badKey(let reason):
            return "the encryption key is not usable: \(reason)"
        case .keyMissing(let path, let count):
            return "the key file \(path) is missing, so the \(count) saved secret(s) cannot be opened. Restore the key file, or set CONNWIZ_KEY to the key; connwiz will not make a new key while old secrets exist"
        case .unsafe(let path, let problem):
            return "\(path) is not safe to use: \(problem). Nothing was read or written"
        case .wrongKey(let origin):
            return "the key from \(origin) is not the key this store's secrets were sealed with, so nothing was written (the store is untouched). Use the key they were sealed with: set CONNWIZ_KEY to it, or restore the key file"
        case .secretUnreadable(let connection, let key):
            return "the secret “\(key)” of connection “\(connection)” cannot be decrypted: the store was altered or the key is not the one it was sealed with. Edit the connection to enter the secret again"
        case .notFound(let name):
            return "no connection is named “\(name)”"
        case .nameTaken(let name):
            return "a connection named “\(name)” already exists"
        case .locked(let path):
            return "another connwiz is writing \(path); try again when it has finished"
        case .keyring(let reason):
            return reason
        }
    }
}
