import Crypto
import Foundation

/// What the sandbox has been asked to create, kept in `state.json` in its folder so that
/// separate commands (and a sandbox in another process) see each other's work.
struct SandboxState: Codable, Equatable {
    static let currentVersion = 1

    /// An integrator.io connection document, kept as JSON text sealed with the sandbox's key
    /// (it holds the connection's token).
    struct IntegratorConnection: Codable, Equatable {
        var id: String
        var region: String
        var sealedDocument: String
    }

    /// A token the sandbox issued, kept only as its SHA-256, as a careful service would.
    struct IssuedToken: Codable, Equatable {
        var digest: String
        /// `celonis`, `salesforce-production` or `salesforce-sandbox`.
        var realm: String
        var subject: String
        var scopes: [String]
        var expiresAt: Date?
    }

    /// An authorization code waiting to be exchanged (the browser half comes with OAuth).
    struct AuthorizationCode: Codable, Equatable {
        /// SHA-256 of the code.
        var digest: String
        var realm: String
        var subject: String
        var clientID: String
        var redirectURI: String
        var codeChallenge: String?
        var expiresAt: Date
    }

    /// The hex SHA-256 under which a token or code is kept.
    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    var version = currentVersion
    var integratorConnections: [IntegratorConnection] = []
    var accessTokens: [IssuedToken] = []
    var refreshTokens: [IssuedToken] = []
    var authorizationCodes: [AuthorizationCode] = []

    /// Drops expired tokens and codes, and keeps the lists short.
    mutating func tidy(now: Date) {
        accessTokens.removeAll { ($0.expiresAt ?? .distantFuture) < now }
        authorizationCodes.removeAll { $0.expiresAt < now }
        if accessTokens.count > 500 { accessTokens.removeFirst(accessTokens.count - 500) }
        if refreshTokens.count > 500 { refreshTokens.removeFirst(refreshTokens.count - 500) }
    }
}

/// Loads and saves the sandbox state under a file lock; in memory when there is no folder.
final class SandboxStateStore: @unchecked Sendable {
    let folder: String?
    private let lock = NSLock()
    private var memory = SandboxState()
    private let key: SymmetricKey

    init(folder: String?) throws {
        self.folder = folder
        guard let folder else {
            key = SymmetricKey(size: .bits256)
            return
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let keyFile = folder + "/key"
        if let data = FileManager.default.contents(atPath: keyFile), data.count == 32 {
            key = SymmetricKey(data: data)
        } else {
            key = SymmetricKey(size: .bits256)
            let bytes = key.withUnsafeBytes { Data($0) }
            guard FileManager.default.createFile(atPath: keyFile, contents: bytes, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: keyFile])
            }
        }
    }

    /// Seals text (a stored document) with the sandbox's key.
    func seal(_ text: String) -> String {
        ((try? AES.GCM.seal(Data(text.utf8), using: key).combined) ?? Data()).base64EncodedString()
    }

    func unseal(_ sealed: String) -> String? {
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    /// Runs `body` on the current state and saves what it changed.
    func update<T>(_ body: (inout SandboxState) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        guard let folder else { return try body(&memory) }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let lockDescriptor = open(folder + "/state.lock", O_CREAT | O_RDWR, 0o600)
        if lockDescriptor >= 0 { flock(lockDescriptor, LOCK_EX) }
        defer {
            if lockDescriptor >= 0 {
                flock(lockDescriptor, LOCK_UN)
                close(lockDescriptor)
            }
        }
        let file = folder + "/state.json"
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        var state = (FileManager.default.contents(atPath: file)).flatMap { try? decoder.decode(SandboxState.self, from: $0) } ?? SandboxState()
        let before = state
        let result = try body(&state)
        state.tidy(now: Date())
        if state != before {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .secondsSince1970
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            if let data = try? encoder.encode(state) {
                let temporary = file + ".tmp"
                if FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) {
                    rename(temporary, file)
                }
            }
        }
        return result
    }
}
