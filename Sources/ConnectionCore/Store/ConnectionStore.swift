import ConnectorSchema
import Foundation

/// Saved connections under the home folder, with secrets sealed before they touch disk.
///
/// Every change is a locked read-modify-write: an exclusive `flock` on `connections.lock`,
/// a fresh read, the change, then a new file written beside the old one, flushed with `fsync`,
/// and renamed over it. A store that cannot be read is reported and never overwritten.
public struct ConnectionStore: Sendable {
    public let home: HomeFolder
    let environment: [String: String]

    /// Told of what the store fixed on its own (a store file others could read, tightened).
    let notice: @Sendable (String) -> Void

    public init(home: HomeFolder, environment: [String: String] = ProcessInfo.processInfo.environment,
                notice: @escaping @Sendable (String) -> Void = { _ in }) {
        self.home = home
        self.environment = environment
        self.notice = notice
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
        try expandClientReferences(&values, connection: connection)
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
            throw StoreError.keyMissing(home.keyFile, sealedSecrets: connection.sealedCount)
        }
        return SecretBox(key: key)
    }

    // MARK: Changing

    /// What a save did.
    public struct SaveRecord: Hashable, Sendable {
        public var connection: StoredConnection
        /// The edit changed an answer the held credentials depend on, so they were dropped and
        /// the connection must be authorized again.
        public var droppedCredentials: Bool
    }

    /// Saves a draft as a new connection, or over the one it edits; secrets are sealed first.
    @discardableResult
    public func save(_ draft: ConnectionDraft, schema: ConnectorSchema, now: Date = Date()) throws -> StoredConnection {
        try saveRecord(draft, schema: schema, now: now).connection
    }

    /// Saves a draft as `save` does and says whether held credentials were dropped. An edit
    /// keeps the credentials and remote ids of the connection unless an answer the credentials
    /// depend on changed (`ConnectorSchema.credentialBasisFields`).
    public func saveRecord(_ draft: ConnectionDraft, schema: ConnectorSchema, now: Date = Date()) throws -> SaveRecord {
        // Whole seconds, as the file keeps them, so the record returned is the record stored.
        let now = Self.wholeSeconds(now)
        return try updateFile { file in
            let connections = file.connections
            let name = draft.name.trimmingCharacters(in: .whitespaces)
            let existing = draft.connectionID.flatMap { id in connections.firstIndex { $0.id == id } }
            if let clash = connections.first(where: { $0.name.lowercased() == name.lowercased() && $0.id != draft.connectionID }) {
                throw StoreError.nameTaken(clash.name)
            }
            if draft.connectionID != nil && existing == nil { throw StoreError.notFound(name) }
            let id = draft.connectionID ?? Self.newID()
            var values = draft.values
            try referenceClients(&values, schema: schema, named: name, in: &file, now: now)
            var plain: [String: FieldValue] = [:]
            var secret: [String: String] = [:]
            for field in schema.fields {
                guard let value = values[field.id] else { continue }
                for part in field.kind.parts {
                    guard let text = value.part(part.id), part.isSecret else { continue }
                    if !text.isEmpty { secret[part.key(in: field.id)] = text }
                }
                plain[field.id] = field.withoutSecrets(value)
            }
            let sealed = try seal(secret, connectionID: id, in: &file)
            let previous = existing.map { connections[$0] }
            var credentials = previous?.credentials
            var dropped = false
            if let held = credentials, held.basis != schema.credentialBasis(plain) {
                credentials = nil
                dropped = true
            }
            let record = StoredConnection(
                id: id, name: name, connector: schema.id,
                createdAt: previous?.createdAt ?? now, updatedAt: now,
                values: plain, secrets: sealed, lastTest: nil,
                credentials: credentials, remoteIDs: (previous?.remoteIDs ?? [:]).merging(draft.remoteIDs) { _, pulled in pulled })
            if let existing { file.connections[existing] = record } else { file.connections.append(record) }
            return SaveRecord(connection: record, droppedCredentials: dropped)
        }
    }

    /// Records the outcome of a test on the connection with `id`.
    public func recordTest(_ summary: TestSummary, connectionID: String) throws {
        try update { connections in
            guard let index = connections.firstIndex(where: { $0.id == connectionID }) else { throw StoreError.notFound(connectionID) }
            connections[index].lastTest = summary
        }
    }

    /// Records the outcomes of many tests in one locked write (`test --all`): a write per
    /// connection rewrote and flushed the whole store each time. Connections deleted meanwhile
    /// are skipped.
    public func recordTests(_ summaries: [String: TestSummary]) throws {
        guard !summaries.isEmpty else { return }
        try update { connections in
            for index in connections.indices {
                if let summary = summaries[connections[index].id] { connections[index].lastTest = summary }
            }
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
        try updateFile { file in try change(&file.connections) }
    }

    /// A locked read-modify-write of the whole store file. A version 1 file is copied to
    /// `connections.json.v1` (once) before it is first written as version 2.
    func updateFile<T>(_ change: (inout StoreFile) throws -> T) throws -> T {
        try home.create()
        let lock = open(home.lockFile, O_RDWR | O_CREAT, 0o600)
        guard lock >= 0 else { throw StoreError.cannotWrite(home.lockFile, reason: String(cString: strerror(errno))) }
        defer { close(lock) }
        guard flock(lock, LOCK_EX) == 0 else { throw StoreError.locked(home.connectionsFile) }
        defer { flock(lock, LOCK_UN) }
        // Under the lock no writer is mid-write: a temporary file found now was left by one
        // that was killed, and holds a whole copy of the store.
        PrivateFile.removeLeftovers(of: home.connectionsFile)
        var file = try read()
        let result = try change(&file)
        if file.version < StoreFile.currentVersion { try keepCopyOfVersion1() }
        file.version = StoreFile.currentVersion
        try writeFile(file)
        return result
    }

    /// Copies the version 1 file to `connections.json.v1`, atomically, unless a copy exists.
    func keepCopyOfVersion1() throws {
        let copy = home.connectionsFile + ".v1"
        guard !FileManager.default.fileExists(atPath: copy),
              let data = FileManager.default.contents(atPath: home.connectionsFile) else { return }
        try writeAtomically(data, to: copy)
    }

    // MARK: Files

    func read() throws -> StoreFile {
        try home.checkSafety()
        let path = home.connectionsFile
        guard FileManager.default.fileExists(atPath: path) else {
            return StoreFile()
        }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o077 != 0, chmod(path, 0o600) == 0 {
            notice("warning: \(path) could be read by other users (mode \(String(info.st_mode & 0o777, radix: 8))); it is now 0600")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.unreadable(path, reason: "permission denied or not a file")
        }
        return try Self.decode(data, path: path)
    }

    /// The store file in `data`, or why it cannot be used (named after `path`).
    static func decode(_ data: Data, path: String) throws -> StoreFile {
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
        try writeAtomically(try Self.encoder.encode(file), to: home.connectionsFile)
    }

    /// Writes `data` beside `path`, flushes it and renames it over `path`.
    func writeAtomically(_ data: Data, to path: String) throws {
        do { try PrivateFile.write(data, to: path) } catch let failure as PrivateFile.Failure {
            throw StoreError.cannotWrite(failure.path, reason: failure.reason)
        }
    }

    func seal(_ secrets: [String: String], connectionID: String, in file: inout StoreFile) throws -> [String: String] {
        guard !secrets.isEmpty else { return [:] }
        let box = try sealingBox(in: &file)
        var sealed: [String: String] = [:]
        for (name, secret) in secrets {
            sealed[name] = try box.seal(secret, connectionID: connectionID, field: name)
        }
        return sealed
    }

    /// The box new secrets are sealed with: the existing key, or a new one when no value sealed
    /// before would be lost by it. A key that is not the one the store's values were sealed
    /// with is refused, so one store never holds secrets under two keys. The store's key check
    /// value is set from the key (version 1 stores, without one, are checked by opening a
    /// sealed value).
    func sealingBox(in file: inout StoreFile) throws -> SecretBox {
        let sealedCount = file.connections.reduce(0) { $0 + $1.sealedCount } + file.oauthClients.filter { $0.sealedSecret != nil }.count
        let key: StoreKey
        if let existing = try StoreKey.existing(home: home, environment: environment) {
            key = existing
        } else if sealedCount > 0 {
            throw StoreError.keyMissing(home.keyFile, sealedSecrets: sealedCount)
        } else {
            key = try StoreKey.create(home: home, environment: environment)
        }
        let box = SecretBox(key: key)
        if let check = file.keyCheck {
            guard check == key.checkValue else { throw StoreError.wrongKey(origin: key.origin) }
        } else if let (connection, secret) = file.connections.lazy.compactMap({ c in c.secrets.first.map { (c, $0) } }).first,
                  box.open(secret.value, connectionID: connection.id, field: secret.key) == nil {
            throw StoreError.wrongKey(origin: key.origin)
        }
        file.keyCheck = key.checkValue
        return box
    }

    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
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
