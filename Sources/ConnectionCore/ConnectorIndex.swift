import ConnectorSchema
import Foundation

/// What a list of applications shows of a connector, without its fields.
public struct ConnectorSummary: Codable, Hashable, Sendable {
    public var id: String
    public var title: String
    public var category: String
    public var description: String
    /// `built-in`, or the path of the user's file.
    public var source: String
    /// Each way of signing in it offers (`ConnectorSchema.authFamilies`), so that
    /// `connwiz connectors` shows them without decoding a file.
    public var auth: [String]

    public init(id: String, title: String, category: String, description: String, source: String, auth: [String] = []) {
        self.id = id
        self.title = title
        self.category = category
        self.description = description
        self.source = source
        self.auth = auth
    }

    init(_ schema: ConnectorSchema, source: String) {
        self.init(id: schema.id, title: schema.title, category: schema.category, description: schema.description, source: source,
                  auth: schema.authFamilies)
    }
}

/// The catalog's summaries and problems, cached in `<home>/cache/connector-index.json` per
/// user file (keyed by path, size and modification time), so a folder of 1,000 connector files
/// is read and linted once, not on every start. A file is decoded again only when it changes;
/// the full schema of one connector is decoded when it is used.
public struct ConnectorIndex: Sendable {
    public let home: HomeFolder

    public init(home: HomeFolder) {
        self.home = home
    }

    var cacheFile: String { home.path + "/cache/connector-index.json" }

    /// Summaries in title order, the problems of user files, and which file defines each user id.
    public struct Listing: Sendable {
        public var summaries: [ConnectorSummary]
        public var diagnostics: [SchemaDiagnostic]
        public var userFiles: [String: String]
        /// How many user files had to be read (not taken from the cache).
        public var filesRead: Int
    }

    /// The index on disk. Each file is one row of strings (path, size, time, then its summary:
    /// id, title, category, description, source and its auth types), and the problems apart,
    /// by path, for the few files that have any: `JSONDecoder` reads rows of strings in about
    /// half the time it takes for keyed objects (1,000 files: 3.5 ms against 7.5 ms), which
    /// is a third of a warm `connwiz connectors`.
    struct CacheFile: Codable {
        /// 2: summaries carry their auth types. 3: rows of strings.
        static let currentVersion = 3
        var version = currentVersion
        var files: [String: Entry] = [:]

        init() {}

        enum CodingKeys: String, CodingKey { case version, rows, problems }
        /// The columns of a row before the auth types.
        static let fixedColumns = 8

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            version = try c.decode(Int.self, forKey: .version)
            guard version == Self.currentVersion else { return }
            let problems = try c.decodeIfPresent([String: [Problem]].self, forKey: .problems) ?? [:]
            for row in try c.decode([[String]].self, forKey: .rows) where row.count >= Self.fixedColumns {
                guard let size = Int64(row[1]), let modified = Double(row[2]) else { continue }
                let summary = row[3].isEmpty ? nil
                    : ConnectorSummary(id: row[3], title: row[4], category: row[5], description: row[6], source: row[7],
                                       auth: Array(row[Self.fixedColumns...]))
                files[row[0]] = Entry(size: size, modified: modified, summary: summary, problems: problems[row[0]] ?? [])
            }
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(version, forKey: .version)
            let rows = files.keys.sorted().map { path -> [String] in
                let entry = files[path]!
                let summary = entry.summary
                return [path, String(entry.size), String(entry.modified), summary?.id ?? "", summary?.title ?? "",
                        summary?.category ?? "", summary?.description ?? "", summary?.source ?? ""] + (summary?.auth ?? [])
            }
            try c.encode(rows, forKey: .rows)
            try c.encode(files.filter { !$0.value.problems.isEmpty }.mapValues(\.problems), forKey: .problems)
        }
    }

    struct Entry: Codable, Equatable {
        var size: Int64
        var modified: Double
        var summary: ConnectorSummary?
        var problems: [Problem]
    }

    struct Problem: Codable, Equatable {
        var file: String
        var line: Int?
        var column: Int?
        var error: Bool
        var message: String

        init(_ diagnostic: SchemaDiagnostic) {
            file = diagnostic.file
            line = diagnostic.line
            column = diagnostic.column
            error = diagnostic.severity == .error
            message = diagnostic.message
        }

        var diagnostic: SchemaDiagnostic {
            SchemaDiagnostic(file: file, line: line, column: column, severity: error ? .error : .warning, message: message)
        }
    }

    /// - Parameter builtins: false leaves the built-ins out (and undecoded), for a command
    ///   that only needs to know which user file defines a connector.
    public func listing(builtins: Bool = true) -> Listing {
        var byID: [String: ConnectorSummary] = [:]
        if builtins {
            for summary in ConnectorCatalog.builtinSummaries {
                byID[summary.id] = ConnectorSummary(id: summary.id, title: summary.title, category: summary.category,
                                                    description: summary.description, source: "built-in", auth: summary.auth)
            }
        }
        var diagnostics: [SchemaDiagnostic] = []
        var userFiles: [String: String] = [:]
        var filesRead = 0

        let folder = home.connectorsFolder
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        let cached = readCache()
        var fresh = CacheFile()
        // Each file's size and time, then the changed ones read on every core at once.
        var stamps: [(path: String, size: Int64, modified: Double)] = []
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            var status = stat()
            guard stat(path, &status) == 0 else { continue }
            stamps.append((path, Int64(status.st_size), Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9))
        }
        let changed = stamps.indices.filter { index in
            guard let hit = cached.files[stamps[index].path] else { return true }
            return hit.size != stamps[index].size || hit.modified != stamps[index].modified
        }
        let loadedAt = Dictionary(uniqueKeysWithValues: zip(changed, Self.loadEach(changed.map { stamps[$0].path })))
        filesRead = changed.count
        for (index, stamp) in stamps.enumerated() {
            let path = stamp.path
            let entry: Entry
            if let result = loadedAt[index] {
                entry = Entry(size: stamp.size, modified: stamp.modified,
                              summary: result.schema.map { ConnectorSummary($0, source: path) },
                              problems: result.diagnostics.map(Problem.init))
            } else {
                entry = cached.files[path]!
            }
            fresh.files[path] = entry
            diagnostics += entry.problems.map(\.diagnostic)
            guard let summary = entry.summary else { continue }
            if let other = userFiles[summary.id] {
                diagnostics.append(SchemaDiagnostic(file: path, severity: .error,
                    message: "connector id “\(summary.id)” is already defined by \(other); this file is skipped"))
                continue
            }
            userFiles[summary.id] = path
            byID[summary.id] = summary
        }
        if fresh.files != cached.files { writeCache(fresh) }
        // Same titles fall back to ids, so the order does not change from run to run.
        // Each title is made ready once: a sort of 1,000 compares each about ten times.
        let summaries = byID.values.map { (key: NameOrder.Key($0.title), summary: $0) }.sorted {
            NameOrder.precedes($0.key, $1.key) || (!NameOrder.precedes($1.key, $0.key) && $0.summary.id < $1.summary.id)
        }.map(\.summary)
        return Listing(summaries: summaries, diagnostics: diagnostics, userFiles: userFiles, filesRead: filesRead)
    }

    /// The full schema of connector `id`: the user's file that defines it, else the built-in.
    public func schema(_ id: String, listing: Listing? = nil) -> ConnectorSchema? {
        let listing = listing ?? self.listing(builtins: false)
        if let path = listing.userFiles[id] { return SchemaLoader.load(path: path).schema }
        return ConnectorCatalog.builtin(id)
    }

    /// Loads `paths` in order, spread over the machine's cores: a cold folder of 1,000 files is
    /// mostly YAML parsing, which shares nothing between files.
    static func loadEach(_ paths: [String]) -> [SchemaLoader.Result] {
        guard paths.count > 1 else { return paths.map(SchemaLoader.load(path:)) }
        final class Slots: @unchecked Sendable {
            var results: [SchemaLoader.Result?]
            let lock = NSLock()
            init(_ count: Int) { results = Array(repeating: nil, count: count) }
        }
        let slots = Slots(paths.count)
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, paths.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: paths.count, by: workers) {
                let result = SchemaLoader.load(path: paths[index])
                slots.lock.withLock { slots.results[index] = result }
            }
        }
        return slots.results.map { $0! }
    }

    private func readCache() -> CacheFile {
        guard let data = FileManager.default.contents(atPath: cacheFile),
              let cache = try? JSONDecoder().decode(CacheFile.self, from: data), cache.version == CacheFile.currentVersion else {
            return CacheFile()
        }
        return cache
    }

    /// Best effort: a cache that cannot be written only costs the next start its speed.
    private func writeCache(_ cache: CacheFile) {
        let folder = (cacheFile as NSString).deletingLastPathComponent
        guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])) != nil,
              let data = try? JSONEncoder().encode(cache) else { return }
        try? PrivateFile.write(data, to: cacheFile, sync: false)
    }
}
