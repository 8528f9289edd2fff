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
    /// Where the key came from, for messages.
    public let origin: String
    public var place: KeyPlace = .environment

    public static let environmentVariable = "CONNWIZ_KEY"

    /// The key from the environment or the key file, if there is one.
    public static func existing(home: HomeFolder, environment: [String: String]) throws -> StoreKey? {
        if let encoded = environment[environmentVariable] {
            let trimmed = encoded.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else {
                throw StoreError.badKey("\(environmentVariable) is set but empty; set it to the key (base64 of 32 bytes), or unset it to use the key file \(home.keyFile)")
            }
            return try fromBase64(trimmed, origin: environmentVariable)
        }
        // The file first: reading it costs nothing, while asking the keyring runs secret-tool
        // and a D-Bus round trip (about 14 ms). Only one of the two holds the key after a move.
        if let inFile = try inFile(home: home) { return inFile }
        return try inKeyring(home: home, environment: environment)
    }

    /// The key the system keyring holds for this home; nil when it holds none, or when no
    /// keyring answers (no session bus, no Secret Service, a locked keyring that times out).
    public static func inKeyring(home: HomeFolder, environment: [String: String]) throws -> StoreKey? {
        guard environment["DBUS_SESSION_BUS_ADDRESS"]?.isEmpty == false,
              let text = try? SystemKeyring(home: home, environment: environment).read() else { return nil }
        var key = try fromBase64(text.trimmingCharacters(in: .whitespacesAndNewlines), origin: "the system keyring")
        key.place = .keyring
        return key
    }

    /// The key in the home folder's key file, nil when there is no file.
    public static func inFile(home: HomeFolder) throws -> StoreKey? {
        guard let data = FileManager.default.contents(atPath: home.keyFile) else { return nil }
        guard let text = String(data: data, encoding: .utf8) else { throw StoreError.badKey("\(home.keyFile) is not text") }
        var key = try fromBase64(text.trimmingCharacters(in: .whitespacesAndNewlines), origin: home.keyFile)
        key.place = .file(home.keyFile)
        return key
    }

    /// Makes a new random key: in the system keyring when one answers, else in the key file.
    public static func create(home: HomeFolder, environment: [String: String]) throws -> StoreKey {
        let key = StoreKey(key: SymmetricKey(size: .bits256), origin: "")
        let keyring = SystemKeyring(home: home, environment: environment)
        if environment["DBUS_SESSION_BUS_ADDRESS"]?.isEmpty == false, keyring.unreachableReason() == nil,
           (try? key.save(in: keyring)) != nil {
            return StoreKey(key: key.key, origin: "the system keyring", place: .keyring)
        }
        return try key.saveInFile(home: home)
    }

    /// Writes the key into `keyring` and reads it back, so a keyring that drops it is caught.
    public func save(in keyring: SystemKeyring) throws {
        try keyring.write(encoded)
        guard try keyring.read()?.trimmingCharacters(in: .whitespacesAndNewlines) == encoded else {
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
        return StoreKey(key: key, origin: home.keyFile, place: .file(home.keyFile))
    }

    /// A value that tells keys apart without revealing them: HMAC-SHA256 of a fixed label,
    /// cut to 128 bits. The store keeps it, so a write under another key is refused.
    public var checkValue: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("connwiz/key-check/v1".utf8), using: key)
        return Data(mac).prefix(16).base64EncodedString()
    }

    static func fromBase64(_ text: String, origin: String) throws -> StoreKey {
        guard let data = Data(base64Encoded: text) else { throw StoreError.badKey("\(origin) is not base64") }
        guard data.count == 32 else { throw StoreError.badKey("\(origin) holds \(data.count) bytes; a key is 32 bytes (base64 of 32 random bytes)") }
        return StoreKey(key: SymmetricKey(data: data), origin: origin)
    }
}
