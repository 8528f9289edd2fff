@preconcurrency import Crypto
import Foundation

/// Where the store key is kept (`connwiz home` and `show` say which).
public enum KeyPlace: Sendable, Equatable, CustomStringConvertible {
    /// `CONNWIZ_KEY`: a deployment's secret manager hands it over.
    case environment
    /// The system keyring (the Secret Service on Linux).
    case keyring
    /// The key file in the home folder, mode 0600.
    case file(String)

    public var description: String {
        switch self {
        case .environment: return StoreKey.environmentVariable
        case .keyring: return "the system keyring"
        case .file(let path): return path
        }
    }
}

/// The 256-bit key that seals secrets at rest.
///
/// Taken from `CONNWIZ_KEY` (base64 of 32 bytes) when set, so a deployment can keep it in a
/// secret manager; otherwise from the key file in the home folder when there is one, else
/// from the system keyring when one is reachable. A new key is made from the system's random
/// source on first use, in the keyring when one answers, else in the file (mode 0600). Never a
/// fixed or derived-from-nothing key.
public struct StoreKey: Sendable {
    public let key: SymmetricKey
    /// Where the key is kept.
    public let place: KeyPlace
    /// Where the key came from, for messages.
    public var origin: String { place.description }

    public static let environmentVariable = "CONNWIZ_KEY"

    /// The key from the environment, the key file or the system keyring, if there is one.
    public static func existing(home: HomeFolder, environment: [String: String]) throws -> StoreKey? {
        if let encoded = environment[environmentVariable] {
            let trimmed = encoded.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else {
                throw StoreError.badKey("\(environmentVariable) is set but empty; set it to the key (base64 of 32 bytes), or unset it to use the key file \(home.keyFile)")
            }
            return try fromBase64(trimmed, place: .environment)
        }
        // The file first: reading it costs nothing, while asking the keyring runs secret-tool
        // and a D-Bus round trip (about 14 ms). Only one of the two holds the key after a move.
        if let inFile = try inFile(home: home) { return inFile }
        return try inKeyring(home: home, environment: environment)
    }

    /// The key the system keyring holds for this home; nil when it holds none, or when no
    /// keyring answers (no session bus, no Secret Service, a locked keyring that times out).
    public static func inKeyring(home: HomeFolder, environment: [String: String]) throws -> StoreKey? {
        let keyring = SystemKeyring(home: home, environment: environment)
        guard keyring.unavailableReason == nil, let text = try? keyring.read() else { return nil }
        return try fromBase64(text.trimmingCharacters(in: .whitespacesAndNewlines), place: .keyring)
    }

    /// The key in the home folder's key file, nil when there is no file.
    public static func inFile(home: HomeFolder) throws -> StoreKey? {
        guard let data = FileManager.default.contents(atPath: home.keyFile) else { return nil }
        guard let text = String(data: data, encoding: .utf8) else { throw StoreError.badKey("\(home.keyFile) is not text") }
        return try fromBase64(text.trimmingCharacters(in: .whitespacesAndNewlines), place: .file(home.keyFile))
    }

    /// Makes a new random key: in the system keyring when one answers, else in the key file.
    public static func create(home: HomeFolder, environment: [String: String]) throws -> StoreKey {
        let key = SymmetricKey(size: .bits256)
        let keyring = SystemKeyring(home: home, environment: environment)
        // The write is read back, so a keyring that does not answer or drops the key is caught
        // there, with no lookup spent before it.
        if keyring.unavailableReason == nil, (try? StoreKey(key: key, place: .keyring).save(in: keyring)) != nil {
            return StoreKey(key: key, place: .keyring)
        }
        return try StoreKey(key: key, place: .file(home.keyFile)).saveInFile(home: home)
    }

    /// Writes the key into `keyring` and reads it back, so a keyring that drops it is caught.
    public func save(in keyring: SystemKeyring) throws {
        try keyring.write(encoded)
        guard try keyring.read(fresh: true)?.trimmingCharacters(in: .whitespacesAndNewlines) == encoded else {
            throw StoreError.keyring("the system keyring did not give the key back as it was written")
        }
    }

    /// The key as it is written down: base64 of its 32 bytes.
    var encoded: String { key.withUnsafeBytes { Data($0).base64EncodedString() } }

    /// Writes the key to the key file (mode 0600, synced), refusing to replace one.
    public func saveInFile(home: HomeFolder) throws -> StoreKey {
        try home.create()
        let encoded = self.encoded + "\n"
        let fd = open(home.keyFile, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw StoreError.cannotWrite(home.keyFile, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        let bytes = Array(encoded.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw StoreError.cannotWrite(home.keyFile, reason: String(cString: strerror(errno)))
        }
        return StoreKey(key: key, place: .file(home.keyFile))
    }

    /// A value that tells keys apart without revealing them: HMAC-SHA256 of a fixed label,
    /// cut to 128 bits. The store keeps it, so a write under another key is refused.
    public var checkValue: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("connwiz/key-check/v1".utf8), using: key)
        return Data(mac).prefix(16).base64EncodedString()
    }

    static func fromBase64(_ text: String, place: KeyPlace) throws -> StoreKey {
        guard let data = Data(base64Encoded: text) else { throw StoreError.badKey("\(place) is not base64") }
        guard data.count == 32 else { throw StoreError.badKey("\(place) holds \(data.count) bytes; a key is 32 bytes (base64 of 32 random bytes)") }
        return StoreKey(key: SymmetricKey(data: data), place: place)
    }
}
