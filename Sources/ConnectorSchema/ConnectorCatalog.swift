import Foundation

/// Every connector the operator can choose: the built-in files shipped inside the binary, plus
/// the files in the user's connectors folder. A bad user file is reported and skipped, never fatal.
/// A user file with the id of a built-in connector replaces it, so a site can adjust one.
public struct ConnectorCatalog: Sendable {
    /// Where a connector came from.
    public enum Source: Hashable, Sendable {
        case builtin(file: String)
        case user(path: String)

        public var label: String {
            switch self {
            case .builtin: return "built-in"
            case .user(let path): return path
            }
        }
    }

    public struct Entry: Sendable {
        public var schema: ConnectorSchema
        public var source: Source
    }

    /// Connectors in title order.
    public private(set) var entries: [Entry]
    /// Problems of files that were skipped, and warnings of files that were kept.
    public private(set) var diagnostics: [SchemaDiagnostic]

    public init(entries: [Entry], diagnostics: [SchemaDiagnostic] = []) {
        self.entries = entries.sorted { NameOrder.precedes($0.schema.title, $1.schema.title) }
        self.diagnostics = diagnostics
    }

    /// The built-in connectors, as shipped inside the binary. They are decoded from JSON made at
    /// build time and not linted again here: the test suite lints their YAML sources.
    public static func builtin() -> ConnectorCatalog {
        var entries: [Entry] = []
        var diagnostics: [SchemaDiagnostic] = []
        let decoder = JSONDecoder()
        for file in embeddedConnectorFiles {
            do {
                let schema = try decoder.decode(ConnectorSchema.self, from: Data(file.json.utf8))
                entries.append(Entry(schema: schema, source: .builtin(file: file.name)))
            } catch {
                diagnostics.append(SchemaDiagnostic(file: "builtin:" + file.name, message: "\(error)"))
            }
        }
        return ConnectorCatalog(entries: entries, diagnostics: diagnostics)
    }

    /// What a list of applications shows of a connector: enough to choose, without its fields.
    public struct Summary: Hashable, Sendable {
        public var id: String
        public var title: String
        public var category: String
        public var description: String
        /// Each way of signing in it offers, as `ConnectorSchema.authFamilies` names them.
        public var auth: [String]

        public init(id: String, title: String, category: String, description: String, auth: [String] = []) {
            self.id = id
            self.title = title
            self.category = category
            self.description = description
            self.auth = auth
        }
    }

    /// The built-in connectors' summaries, read from their files at build time: listing them
    /// decodes nothing (decoding all four took 1.3–2.3 ms of the application list's start).
    public static var builtinSummaries: [Summary] { embeddedConnectorSummaries }

    /// The built-in connector `id` alone: only the embedded file named after it is decoded
    /// (user files are the connector index's business). Nil when no built-in has that id.
    public static func builtin(_ id: String) -> ConnectorSchema? {
        let decoder = JSONDecoder()
        for file in embeddedConnectorFiles where file.name.split(separator: ".").first.map(String.init) == id {
            if let schema = try? decoder.decode(ConnectorSchema.self, from: Data(file.json.utf8)), schema.id == id {
                return schema
            }
        }
        // A built-in whose file name differs from its id: fall back to decoding them all.
        return builtin().connector(id)
    }

    /// The built-in connectors plus every `*.yaml`/`*.yml` file in `userFolder` (if it exists).
    public static func load(userFolder: String?) -> ConnectorCatalog {
        var catalog = builtin()
        guard let userFolder, let names = try? FileManager.default.contentsOfDirectory(atPath: userFolder) else {
            return catalog
        }
        var byID = Dictionary(catalog.entries.map { ($0.schema.id, $0) }, uniquingKeysWith: { first, _ in first })
        var userIDs: [String: String] = [:]
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = (userFolder as NSString).appendingPathComponent(name)
            let result = SchemaLoader.load(path: path)
            catalog.diagnostics += result.diagnostics
            guard let schema = result.schema else { continue }
            if let other = userIDs[schema.id] {
                catalog.diagnostics.append(SchemaDiagnostic(file: path, severity: .error,
                    message: "connector id “\(schema.id)” is already defined by \(other); this file is skipped"))
                continue
            }
            userIDs[schema.id] = path
            byID[schema.id] = Entry(schema: schema, source: .user(path: path))
        }
        return ConnectorCatalog(entries: Array(byID.values), diagnostics: catalog.diagnostics)
    }

    /// The connector with `id`, if any.
    public func connector(_ id: String) -> ConnectorSchema? {
        entries.first { $0.schema.id == id }?.schema
    }

    /// The ids, for messages such as "unknown connector; choose one of …".
    public var ids: [String] { entries.map(\.schema.id).sorted() }

    /// Entries whose title, id or category contains every word of `query`, ignoring case.
    public func filter(_ query: String) -> [Entry] {
        let words = query.lowercased().split(separator: " ")
        guard !words.isEmpty else { return entries }
        return entries.filter { entry in
            let haystack = (entry.schema.title + " " + entry.schema.id + " " + entry.schema.category).lowercased()
            return words.allSatisfy { haystack.contains($0) }
        }
    }
}

extension ConnectorCatalog {
    /// The stand-in account that succeeds of each built-in connector declaring one, read when
    /// the binary was built: `connwiz sandbox --help` lists them without decoding a file.
    public static var builtinStandInAccounts: [(connector: String, name: String, answers: [(String, String)], needsSignIn: Bool)] {
        embeddedStandInAccounts
    }
}
