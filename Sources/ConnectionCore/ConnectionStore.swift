import ConnectorSchema
import FormEngine
import Foundation

/// Saved connections under the home folder, with secrets sealed before they touch disk.
///
/// Every change is a locked read-modify-write: an exclusive `flock` on `connections.lock`,
/// a fresh read, the change, then a new file written beside the old one, flushed with `fsync`,
/// and renamed over it. A store that cannot be read is reported and never overwritten.
public struct ConnectionStore: Sendable {
    public let home: HomeFolder
    let environment: [String: String]

    public init(home: HomeFolder, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.home = home
        self.environment = environment
    }

    // MARK: Reading

    /// Every saved connection, in name order. An absent file means none.
    public func all() throws -> [StoredConnection] {
        try read().connections.sorted { NameOrder.precedes($0.name, $1.name) }
    }

    /// The connection named `name` (ignoring case), or `StoreError.notFound`.
    public func connection(named name: String) throws -> StoredConnection {
        let wanted = name.lowercased()
        guard let found = try read().connections.first(where: { $0.name.lowercased() == wanted }) else {
            throw StoreError.notFound(name)
        }
        return found
    }

    /// The connection's answers with its secrets opened. Throws when a secret cannot be opened.
    public func openValues(of connection: StoredConnection, schema: ConnectorSchema) throws -> [String: FieldValue] {
        var values = connection.values
        guard !connection.secrets.isEmpty else { return values }
        let box = try secretBox(for: connection)
        for (secretKey, sealed) in connection.secrets.sorted(by: { $0.key < $1.key }) {
            guard let plain = box.open(sealed, connectionID: connection.id, field: secretKey) else {
                throw StoreError.secretUnreadable(connection: connection.name, key: secretKey)
            }
            let fieldID = Template.fieldID(of: secretKey)
            if secretKey == fieldID {
                values[fieldID] = .string(plain)
            } else {
                var parts: [String: String] = [:]
                if case .parts(let held)? = values[fieldID] { parts = held }
                parts[String(secretKey.dropFirst(fieldID.count + 1))] = plain
                values[fieldID] = .parts(parts)
            }
        }
        return values
    }

    /// Whether each sealed secret of the connection opens, by key (for `show`).
    public func checkSecrets(of connection: StoredConnection) -> [String: Result<Void, StoreError>] {
        guard !connection.secrets.isEmpty else { return [:] }
        let box: SecretBox
        do { box = try secretBox(for: connection) } catch {
            let failure = error as? StoreError ?? .badKey("\(error)")
            return connection.secrets.mapValues { _ in .failure(failure) }
        }
        return connection.secrets.reduce(into: [:]) { results, secret in
            results[secret.key] = box.open(secret.value, connectionID: connection.id, field: secret.key) == nil
                ? .failure(.secretUnreadable(connection: connection.name, key: secret.key)) : .success(())
        }
    }

    /// The box that opens the connection's secrets, or why there is none.
    func secretBox(for connection: StoredConnection) throws -> SecretBox {
        guard let key = try StoreKey.existing(home: home, environment: environment) else {
            throw StoreError.keyMissing(home.keyFile, sealedSecrets: connection.secrets.count)
        }
        return SecretBox(key: key)
    }

    // MARK: Changing

    /// Saves a draft as a new connection, or over the one it edits; secrets are sealed first.
    @discardableResult
    public func save(_ draft: ConnectionDraft, schema: ConnectorSchema, now: Date = Date()) throws -> StoredConnection {
        // Whole seconds, as the file keeps them, so the record returned is the record stored.
        let now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        return try update { connections in
            let name = draft.name.trimmingCharacters(in: .whitespaces)
            let existing = draft.connectionID.flatMap { id in connections.firstIndex { $0.id == id } }
            if let clash = connections.first(where: { $0.name.lowercased() == name.lowercased() && $0.id != draft.connectionID }) {
                throw StoreError.nameTaken(clash.name)
            }
            if draft.connectionID != nil && existing == nil { throw StoreError.notFound(name) }
            let id = draft.connectionID ?? Self.newID()
            var plain: [String: FieldValue] = [:]
            var secret: [String: String] = [:]
            for field in schema.fields {
                guard let value = draft.values[field.id] else { continue }
                for part in field.kind.parts {
                    guard let text = value.part(part.id), part.isSecret else { continue }
                    if !text.isEmpty { secret[part.key(in: field.id)] = text }
                }
                plain[field.id] = field.withoutSecrets(value)
            }
            let sealed = try seal(secret, connectionID: id, sealedElsewhere: connections.reduce(0) { $0 + $1.secrets.count })
            let record = StoredConnection(
                id: id, name: name, connector: schema.id,
                createdAt: existing.map { connections[$0].createdAt } ?? now, updatedAt: now,
                values: plain, secrets: sealed, lastTest: nil)
            if let existing { connections[existing] = record } else { connections.append(record) }
            return record
        }
    }

    /// Records the outcome of a test on the connection with `id`.
    public func recordTest(_ summary: TestSummary, connectionID: String) throws {
        try update { connections in
            guard let index = connections.firstIndex(where: { $0.id == connectionID }) else { throw StoreError.notFound(connectionID) }
            connections[index].lastTest = summary
        }
    }

    /// Deletes the connection named `name`; connections that borrowed from it keep a dangling
    /// reference, which their next edit reports.
    @discardableResult
    public func delete(named name: String) throws -> StoredConnection {
        try update { connections in
            guard let index = connections.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw StoreError.notFound(name)
            }
            return connections.remove(at: index)
        }
    }

    /// A locked read-modify-write of the connection list.
    public func update<T>(_ change: (inout [StoredConnection]) throws -> T) throws -> T {
        try home.create()
        let lock = open(home.lockFile, O_RDWR | O_CREAT, 0o600)
        guard lock >= 0 else { throw StoreError.cannotWrite(home.lockFile, reason: String(cString: strerror(errno))) }
        defer { close(lock) }
        guard flock(lock, LOCK_EX) == 0 else { throw StoreError.locked(home.connectionsFile) }
        defer { flock(lock, LOCK_UN) }
        var file = try read()
        let result = try change(&file.connections)
        try writeFile(file)
        return result
    }

    // MARK: Files

    func read() throws -> StoreFile {
        let path = home.connectionsFile
        guard FileManager.default.fileExists(atPath: path) else {
            return StoreFile(version: StoreFile.currentVersion, connections: [])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.unreadable(path, reason: "permission denied or not a file")
        }
        struct Version: Decodable { var version: Int? }
        guard let header = try? JSONDecoder().decode(Version.self, from: data) else {
            throw StoreError.unreadable(path, reason: "it is not valid JSON")
        }
        guard let version = header.version else { throw StoreError.unreadable(path, reason: "it has no version") }
        guard version <= StoreFile.currentVersion else { throw StoreError.unsupportedVersion(path, version) }
        do {
            return try Self.decoder.decode(StoreFile.self, from: data)
        } catch {
            throw StoreError.unreadable(path, reason: "its content is not a connection list (\(Self.describe(error)))")
        }
    }

    func writeFile(_ file: StoreFile) throws {
        let path = home.connectionsFile
        let data = try Self.encoder.encode(file)
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw StoreError.cannotWrite(temporary, reason: String(cString: strerror(errno))) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced else {
            unlink(temporary)
            throw StoreError.cannotWrite(path, reason: "the disk refused the write (\(String(cString: strerror(errno))))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StoreError.cannotWrite(path, reason: reason)
        }
        let folder = open(home.path, O_RDONLY)
        if folder >= 0 { fsync(folder); close(folder) }
    }

    func seal(_ secrets: [String: String], connectionID: String, sealedElsewhere: Int) throws -> [String: String] {
        guard !secrets.isEmpty else { return [:] }
        let key: StoreKey
        if let existing = try StoreKey.existing(home: home, environment: environment) {
            key = existing
        } else if sealedElsewhere > 0 {
            throw StoreError.keyMissing(home.keyFile, sealedSecrets: sealedElsewhere)
        } else {
            key = try StoreKey.create(home: home)
        }
        let box = SecretBox(key: key)
        var sealed: [String: String] = [:]
        for (name, secret) in secrets {
            sealed[name] = try box.seal(secret, connectionID: connectionID, field: name)
        }
        return sealed
    }

    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "c" + (0..<12).map { _ in String(Int.random(in: 0..<16, using: &generator), radix: 16) }.joined()
    }

    static func describe(_ error: Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        switch decoding {
        case .keyNotFound(let key, let context): return "missing \(key.stringValue) at \(path(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "bad value at \(path(context.codingPath))"
        @unknown default: return "\(error)"
        }
    }

    static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
