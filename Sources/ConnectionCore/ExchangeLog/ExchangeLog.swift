import Foundation

/// The persisted View log: the last `keep` attempts of each connection, under
/// `<home>/logs/<connection id>/<number>-<time>/` with `attempt.json` and one file per large
/// response body. Attempts of a connection not yet saved live under its form's draft id
/// (`draft-<random hex>`) and move to the connection when it is saved.
public struct ExchangeLog: Sendable {
    public let folder: URL
    public let keep: Int
    /// The most bytes the attempts of one connection may take on disk (64 MB by default):
    /// older attempts go first, the newest is always kept.
    public let keepBytes: Int

    public init(home: HomeFolder, keep: Int = 20, keepBytes: Int = 64 << 20) {
        folder = URL(fileURLWithPath: home.path).appendingPathComponent("logs")
        self.keep = keep
        self.keepBytes = keepBytes
    }

    /// A fresh log key for a connection not yet saved: `draft-` and 16 random hex digits. It
    /// names the form, not the name typed in it, so a rename or a later draft of the same
    /// name never takes another draft's attempts.
    public static func newDraftID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "draft-" + String(format: "%016llx", generator.next() as UInt64)
    }

    /// The most drafts kept: beginning another forgets the least recently tested beyond it
    /// (a form the operator abandoned without saving or discarding, say when its terminal closed).
    public static let keptDrafts = 50

    /// The draft whose latest attempt was made under `name` (compared without case), the most
    /// recently tested when there are several: how `connwiz log NAME` finds a draft's tests.
    public func draftKey(named name: String) -> String? {
        let wanted = name.lowercased()
        let keys = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var best: (key: String, at: Date)?
        for key in keys where key.hasPrefix("draft-") {
            guard let latest = entries(key, exchanges: false).last,
                  latest.attempt.connectionName.lowercased() == wanted else { continue }
            if best == nil || latest.attempt.startedAt > best!.at { best = (key, latest.attempt.startedAt) }
        }
        return best?.key
    }

    /// A numbered attempt in progress: its folder exists (mode 0700) so bodies can stream in.
    public struct Slot: Sendable {
        public let key: String
        public let number: Int
        public let id: String
        public let folder: URL
    }

    /// Opens the folder of the next attempt for `key`.
    public func begin(key: String, at date: Date = Date()) throws -> Slot {
        let connectionFolder = folder.appendingPathComponent(key)
        try FileManager.default.createDirectory(at: connectionFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder.path)
        if key.hasPrefix("draft-") { pruneDrafts(sparing: key) }
        let number = (numberedFolders(key).last?.number ?? 0) + 1
        let id = TestAttempt.newID(at: date)
        let slotFolder = connectionFolder.appendingPathComponent(String(format: "%06d-", number) + id)
        try FileManager.default.createDirectory(at: slotFolder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        return Slot(key: key, number: number, id: id, folder: slotFolder)
    }

    /// Writes the finished attempt and forgets all but the newest `keep`: the header to
    /// `attempt.json`, then the exchanges to `exchanges.jsonl`, one per line.
    public func finish(_ attempt: TestAttempt, in slot: Slot) throws {
        let encoder = Self.encoder()
        var header = attempt
        header.exchanges = []
        header.exchangeCount = attempt.exchanges.count
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var lines = Data()
        for exchange in attempt.exchanges {
            lines.append(try encoder.encode(exchange))
            lines.append(0x0A)
        }
        try LogFile.create(slot.folder.appendingPathComponent(Self.exchangesFile).path, contents: lines)
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try LogFile.create(slot.folder.appendingPathComponent(Self.attemptFile).path, contents: try encoder.encode(header))
        prune(slot.key)
    }

    static let attemptFile = "attempt.json"
    static let exchangesFile = "exchanges.jsonl"

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(UTCTimestamp.string(from: date))
        }
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = UTCTimestamp.date(from: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
            }
            return date
        }
        return decoder
    }

    /// The attempts of `key`, oldest first, as (number, folder) pairs.
    public func numberedFolders(_ key: String) -> [(number: Int, folder: URL)] {
        let connectionFolder = folder.appendingPathComponent(key)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: connectionFolder.path)) ?? []
        return names.compactMap { name -> (Int, URL)? in
            guard let dash = name.firstIndex(of: "-"), let number = Int(name[..<dash]) else { return nil }
            return (number, connectionFolder.appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }
    }

    /// A stored attempt with the folder its body files are in.
    public struct Entry: Sendable {
        public let number: Int
        public let folder: URL
        /// The attempt; its `exchanges` are empty when it was read as a header only.
        public let attempt: TestAttempt

        /// How many exchanges the attempt made, loaded or not.
        public var exchangeCount: Int { attempt.exchangeCount ?? attempt.exchanges.count }

        /// The entry with every exchange loaded (for printing and HAR files).
        public func withExchanges() throws -> Entry {
            guard attempt.exchanges.count < exchangeCount else { return self }
            let reader = try ExchangeReader(self)
            var full = attempt
            full.exchanges = try (0..<reader.count).map { try reader.decode($0) }
            return Entry(number: number, folder: folder, attempt: full)
        }

        /// The redacted bytes of a body that is not text (nil for text, or when not kept),
        /// up to `limit`, and how many more there are: for a hex view.
        public func binaryBody(_ body: BodyRecord, limit: Int = 64 * 1024) -> (bytes: Data, clipped: Int)? {
            guard body.text == nil, let file = body.file,
                  let handle = FileHandle(forReadingAtPath: folder.appendingPathComponent(file).path) else { return nil }
            defer { try? handle.close() }
            let data = (try? handle.read(upToCount: 1 << 20)) ?? Data()
            for trim in 0...min(3, data.count) {
                if let text = String(data: data.dropLast(trim), encoding: .utf8), !text.contains("\u{0}") { return nil }
            }
            let total = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(file).path)[.size] as? Int) ?? data.count
            return (data.prefix(limit), max(0, total - min(limit, data.count)))
        }

        /// The redacted body of a response or request: inline text or its file's contents.
        public func bodyText(_ body: BodyRecord, limit: Int = 1 << 20) -> (text: String, clipped: Int)? {
            if let text = body.text { return (text, 0) }
            guard let file = body.file, let handle = FileHandle(forReadingAtPath: folder.appendingPathComponent(file).path) else { return nil }
            defer { try? handle.close() }
            let data = (try? handle.read(upToCount: limit)) ?? Data()
            let total = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(file).path)[.size] as? Int) ?? data.count
            let clipped = max(0, total - data.count)
            // A window may end inside a character; anything else that is not UTF-8 is binary.
            for trim in 0...min(3, data.count) {
                if let text = String(data: data.dropLast(trim), encoding: .utf8), !text.contains("\u{0}") {
                    return (text, clipped + trim)
                }
            }
            return ("(\(ByteSize.text(total)) of binary data, not shown; it is in \(file))", 0)
        }
    }

    /// Reads the attempts of `key`, oldest first; unreadable ones are skipped. With
    /// `exchanges` false only the headers are read, which stays fast for any log size.
    public func entries(_ key: String, exchanges: Bool = true) -> [Entry] {
        numberedFolders(key).compactMap { number, folder in
            guard let attempt = try? Self.read(folder.appendingPathComponent(Self.attemptFile)) else { return nil }
            let entry = Entry(number: number, folder: folder, attempt: attempt)
            return exchanges ? try? entry.withExchanges() : entry
        }
    }

    static func read(_ file: URL) throws -> TestAttempt {
        try decoder().decode(TestAttempt.self, from: Data(contentsOf: file))
    }

    /// Moves the attempts of an unsaved draft to the connection it became.
    public func adopt(draftKey: String, as connectionID: String) {
        let source = folder.appendingPathComponent(draftKey)
        guard FileManager.default.fileExists(atPath: source.path) else { return }
        let target = folder.appendingPathComponent(connectionID)
        let offset = numberedFolders(connectionID).last?.number ?? 0
        try? FileManager.default.createDirectory(at: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for (number, old) in numberedFolders(draftKey) {
            let rest = old.lastPathComponent.drop { $0 != "-" }
            try? FileManager.default.moveItem(at: old, to: target.appendingPathComponent(String(format: "%06d", number + offset) + rest))
        }
        try? FileManager.default.removeItem(at: source)
        prune(connectionID)
    }

    /// Forgets the least recently changed drafts beyond `keptDrafts`, never `key`.
    private func pruneDrafts(sparing key: String) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasPrefix("draft-") && $0 != key }
        guard names.count >= Self.keptDrafts else { return }
        let dated = names.map { name -> (String, Date) in
            let path = folder.appendingPathComponent(name).path
            return (name, (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast)
        }.sorted { $0.1 > $1.1 }
        for (name, _) in dated.dropFirst(Self.keptDrafts - 1) { remove(name) }
    }

    /// Removes every attempt of `key` (when its connection is deleted).
    public func remove(_ key: String) {
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(key))
    }

    /// Forgets all but the newest `keep` attempts of `key`, then the oldest ones until the
    /// rest fit in `keepBytes`.
    private func prune(_ key: String) {
        var all = numberedFolders(key)
        for (_, old) in all.dropLast(keep) { try? FileManager.default.removeItem(at: old) }
        all = Array(all.suffix(keep))
        var sizes = all.map { Self.bytes(in: $0.folder) }
        while all.count > 1, sizes.reduce(0, +) > keepBytes {
            try? FileManager.default.removeItem(at: all.removeFirst().folder)
            sizes.removeFirst()
        }
    }

    /// The bytes of the files directly in `folder` (an attempt's folder holds no subfolders).
    static func bytes(in folder: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.reduce(0) { total, name in
            var info = stat()
            return total + (lstat(folder.appendingPathComponent(name).path, &info) == 0 ? Int(info.st_size) : 0)
        }
    }
}
