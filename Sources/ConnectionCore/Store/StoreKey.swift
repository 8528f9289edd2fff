@preconcurrency import Crypto
import Foundation

/// The 256-bit key that seals secrets at rest.
///
/// Taken from `CONNWIZ_KEY` (base64 of 32 bytes) when set, so a deployment can keep it in a
/// secret manager; otherwise from the key file in the home folder, created on first use with
/// mode 0600 from the system's random source. Never a fixed or derived-from-nothing key.
public struct StoreKey: Sendable {
    public let key: SymmetricKey
    /// Where the key came from, for messages.
    public let origin: String

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
        guard let data = FileManager.default.contents(atPath: home.keyFile) else { return nil }
        guard let text = String(data: data, encoding: .utf8) else { throw StoreError.badKey("\(home.keyFile) is not text") }
        return try fromBase64(text.trimmingCharacters(in: .whitespacesAndNewlines), origin: home.keyFile)
    }

    /// Makes a new random key and writes it to the key file (mode 0600), refusing to replace one.
    public static func create(home: HomeFolder) throws -> StoreKey {
        try home.create()
        let key = SymmetricKey(size: .bits256)
        let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        let fd = open(home.keyFile, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw StoreError.cannotWrite(home.keyFile, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        let bytes = Array(encoded.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw StoreError.cannotWrite(home.keyFile, reason: String(cString: strerror(errno)))
        }
        return StoreKey(key: key, origin: home.keyFile)
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
