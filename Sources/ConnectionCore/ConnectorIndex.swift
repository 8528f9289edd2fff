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

    var cacheFile: String { home.path + "/cache/connector-index.tsv" }

    /// Summaries in title order, the problems of user files, and which file defines each user id.
    public struct Listing: Sendable {
        public var summaries: [ConnectorSummary]
        public var diagnostics: [SchemaDiagnostic]
        public var userFiles: [String: String]
        /// How many user files had to be read (not taken from the cache).
        public var filesRead: Int
    }

    /// The index on disk: a version line, then one tab-separated line per file (`F`, path,
    /// size, time, then its summary: id, title, category, description, source and its auth
    /// types) and one per problem (`P`, path, line, column, `error`/`warning`, message), each
    /// field with `\\`, tab and newline escaped. Read by `IndexLines` in about a third of the
    /// time `JSONDecoder` took for the same rows as JSON (D61). Anything it cannot read is
    /// left out, so that file is read again: the index is only a cache.
    struct CacheFile: Equatable {
        /// 2: summaries carry their auth types. 3: rows of strings in JSON. 4: tab-separated lines.
        static let currentVersion = 4
        static let header = "connwiz connector index \(currentVersion)"
        var files: [String: Entry] = [:]

        init() {}

        /// The columns of a file's line before its auth types.
        static let fixedColumns = 9

        init(data: Data) {
            var problems: [String: [Problem]] = [:]
            var files: [String: Entry] = [:]
            var firstLine = true
            IndexLines.read(data) { fields in
                if firstLine {
                    firstLine = false
                    return fields == [Self.header]
                }
                switch fields.first {
                case "F" where fields.count >= Self.fixedColumns:
                    guard let size = Int64(fields[2]), let modified = Double(fields[3]) else { return true }
                    let summary = fields[4].isEmpty ? nil
                        : ConnectorSummary(id: fields[4], title: fields[5], category: fields[6], description: fields[7],
                                           source: fields[8], auth: Array(fields[Self.fixedColumns...]))
                    files[fields[1]] = Entry(size: size, modified: modified, summary: summary, problems: [])
                case "P" where fields.count == 6:
                    problems[fields[1], default: []].append(Problem(file: fields[1], line: Int(fields[2]), column: Int(fields[3]),
                                                                     error: fields[4] == "error", message: fields[5]))
                default:
                    break
                }
                return true
            }
            for (path, found) in problems where files[path] != nil { files[path]?.problems = found }
            self.files = files
        }

        func serialized() -> Data {
            var lines = [[Self.header]]
            for path in files.keys.sorted() {
                let entry = files[path]!
                let summary = entry.summary
                lines.append(["F", path, String(entry.size), String(entry.modified), summary?.id ?? "", summary?.title ?? "",
                              summary?.category ?? "", summary?.description ?? "", summary?.source ?? ""] + (summary?.auth ?? []))
                for problem in entry.problems {
                    lines.append(["P", path, problem.line.map(String.init) ?? "", problem.column.map(String.init) ?? "",
                                  problem.error ? "error" : "warning", problem.message])
                }
            }
            return IndexLines.write(lines)
        }
    }

    struct Entry: Equatable {
        var size: Int64
        var modified: Double
        var summary: ConnectorSummary?
        var problems: [Problem]
    }

    struct Problem: Equatable {
        var file: String
        var line: Int?
        var column: Int?
        var error: Bool
        var message: String

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
        guard let data = FileManager.default.contents(atPath: cacheFile) else { return CacheFile() }
        return CacheFile(data: data)
    }

    /// Best effort: a cache that cannot be written only costs the next start its speed.
    private func writeCache(_ cache: CacheFile) {
        let folder = (cacheFile as NSString).deletingLastPathComponent
        guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])) != nil else { return }
        try? PrivateFile.write(cache.serialized(), to: cacheFile, sync: false)
        // The JSON index of versions 2 and 3, which nothing reads any more.
        unlink(folder + "/connector-index.json")
    }
}

extension ConnectorIndex.Problem {
    /// Declared apart, so the memberwise initializer the index reader uses stays synthesized.
    init(_ diagnostic: SchemaDiagnostic) {
        self.init(file: diagnostic.file, line: diagnostic.line, column: diagnostic.column,
                  error: diagnostic.severity == .error, message: diagnostic.message)
    }
}
