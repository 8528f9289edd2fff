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
        /// The grant it came from: revoking a refresh token revokes its access tokens too.
        var family: String?
    }

    /// A sign-in that passed the password step and waits for Allow or Deny.
    struct ConsentTicket: Codable, Equatable {
        var digest: String
        var realm: String
        var subject: String
        var clientID: String
        var redirectURI: String
        var state: String?
        var codeChallenge: String?
        var expiresAt: Date
    }

    /// A device sign-in (RFC 8628) waiting for the operator at the verification page.
    struct DeviceGrant: Codable, Equatable {
        /// SHA-256 of the device code.
        var digest: String
        var userCode: String
        var realm: String
        var clientID: String
        var expiresAt: Date
        var lastPoll: Date?
        var interval: Int
        /// Nil while pending; the user once approved; "" when denied.
        var subject: String?
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
    /// integrator.io iClients (shared OAuth 2.0 clients), kept as connections are.
    var integratorIClients: [IntegratorConnection] = []
    var accessTokens: [IssuedToken] = []
    var refreshTokens: [IssuedToken] = []
    var authorizationCodes: [AuthorizationCode] = []
    var consentTickets: [ConsentTicket] = []
    var deviceGrants: [DeviceGrant] = []

    init() {}

    enum CodingKeys: String, CodingKey {
        case version, integratorConnections, integratorIClients, accessTokens, refreshTokens, authorizationCodes, consentTickets, deviceGrants
    }

    /// Reads the state of an older sandbox too (it had no tickets or device grants).
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? Self.currentVersion
        integratorConnections = try c.decodeIfPresent([IntegratorConnection].self, forKey: .integratorConnections) ?? []
        integratorIClients = try c.decodeIfPresent([IntegratorConnection].self, forKey: .integratorIClients) ?? []
        accessTokens = try c.decodeIfPresent([IssuedToken].self, forKey: .accessTokens) ?? []
        refreshTokens = try c.decodeIfPresent([IssuedToken].self, forKey: .refreshTokens) ?? []
        authorizationCodes = try c.decodeIfPresent([AuthorizationCode].self, forKey: .authorizationCodes) ?? []
        consentTickets = try c.decodeIfPresent([ConsentTicket].self, forKey: .consentTickets) ?? []
        deviceGrants = try c.decodeIfPresent([DeviceGrant].self, forKey: .deviceGrants) ?? []
    }

    /// Drops expired tokens and codes, and keeps the lists short.
    mutating func tidy(now: Date) {
        accessTokens.removeAll { ($0.expiresAt ?? .distantFuture) < now }
        authorizationCodes.removeAll { $0.expiresAt < now }
        consentTickets.removeAll { $0.expiresAt < now }
        // An expired device grant is kept a while so that a poll hears `expired_token`.
        deviceGrants.removeAll { $0.expiresAt.addingTimeInterval(3600) < now }
        if deviceGrants.count > 100 { deviceGrants.removeFirst(deviceGrants.count - 100) }
        if consentTickets.count > 100 { consentTickets.removeFirst(consentTickets.count - 100) }
        if authorizationCodes.count > 100 { authorizationCodes.removeFirst(authorizationCodes.count - 100) }
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
    private let clock: @Sendable () -> Date

    init(folder: String?, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.folder = folder
        self.clock = clock
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
        state.tidy(now: clock())
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
