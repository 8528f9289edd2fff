import ArgumentParser
import ConnectionCore
import ConnectorSchema

struct ConnectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connectors",
        abstract: "List the applications connwiz can connect to: built-in ones and files in <home>/connectors."
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON, with each connector's fields.") var json = false
    @Option(help: ArgumentHelp("List only the applications of this category (ERP, CRM, E-commerce …; any case).", valueName: "name"))
    var category: String?

    /// A table cell of auth types: the first three and how many more (`--json` has them all).
    static func shortList(_ names: [String]) -> String {
        names.count <= 3 ? names.joined(separator: ", ") : names.prefix(3).joined(separator: ", ") + " +\(names.count - 3) more"
    }

    /// Whether a connector's category is the one asked for, if any.
    func wanted(_ name: String) -> Bool {
        category.map { $0.trimmingCharacters(in: .whitespaces).lowercased() == name.lowercased() } ?? true
    }

    /// Refuses a category no application has, naming the ones there are.
    func refuseUnknownCategory(among categories: [String]) throws {
        guard let category, !categories.contains(where: wanted) else { return }
        throw CLIFailure.usage("no application has the category “\(category)”; categories: " + Set(categories).sorted().joined(separator: ", "))
    }

    struct Field: Encodable {
        var id: String
        var label: String
        var kind: String
        var required: Bool
        var advanced: Bool
        var secret: Bool
        var options: [String]?
    }

    struct Row: Encodable {
        var id: String
        var title: String
        var description: String
        var category: String
        var source: String
        /// The ways of signing in it offers (`token`, `Basic`, `OAuth 2.0 sign-in` …).
        var auth: [String]
        var fields: [Field]
    }

    func run() throws {
        let workspace = Workspace(global)
        if !json {
            // The index: summaries only, each user file read once until it changes.
            let listing = ConnectorIndex(home: workspace.home).listing()
            workspace.report(listing.diagnostics)
            try refuseUnknownCategory(among: listing.summaries.map(\.category))
            let rows = listing.summaries.filter { wanted($0.category) }
            Output.table(["ID", "APPLICATION", "CATEGORY", "AUTH", "SOURCE"],
                         rows.map { [$0.id, $0.title, $0.category, Self.shortList($0.auth), $0.source] })
            return
        }
        let catalog = workspace.catalog()
        try refuseUnknownCategory(among: catalog.entries.map(\.schema.category))
        let entries = catalog.entries.filter { wanted($0.schema.category) }
        try Output.json(entries.map { entry in
            Row(id: entry.schema.id, title: entry.schema.title, description: entry.schema.description,
                category: entry.schema.category, source: entry.source.label, auth: entry.schema.authFamilies,
                fields: entry.schema.fields.map {
                    Field(id: $0.id, label: $0.label, kind: $0.kind.rawValue, required: $0.required, advanced: $0.advanced,
                          secret: $0.kind.holdsSecret, options: $0.kind.hasOptions ? $0.options.map(\.value) : nil)
                })
        }, listedAs: "connectors")
    }
}
