import Foundation

/// What the sandbox has been asked to create, kept in `state.json` in its folder so that
/// separate commands (and a sandbox in another process) see each other's work.
struct SandboxState: Codable, Equatable {
    static let currentVersion = 1

    /// An integrator.io connection document, kept as JSON text.
    struct IntegratorConnection: Codable, Equatable {
        var id: String
        var region: String
        var document: String
    }

    /// A token the sandbox issued.
    struct IssuedToken: Codable, Equatable {
        var value: String
        /// `celonis`, `salesforce-production` or `salesforce-sandbox`.
        var realm: String
        var subject: String
        var scopes: [String]
        var expiresAt: Date?
    }

    /// An authorization code waiting to be exchanged (the browser half comes with OAuth).
    struct AuthorizationCode: Codable, Equatable {
        var code: String
        var realm: String
        var subject: String
        var clientID: String
        var redirectURI: String
        var codeChallenge: String?
        var expiresAt: Date
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

    init(folder: String?) {
        self.folder = folder
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
