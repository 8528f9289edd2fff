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
        var fields: [Field]
    }

    func run() throws {
        let workspace = Workspace(global)
        if !json {
            // The index: summaries only, each user file read once until it changes.
            let listing = ConnectorIndex(home: workspace.home).listing()
            workspace.report(listing.diagnostics)
            Output.table(["ID", "APPLICATION", "CATEGORY", "SOURCE"], listing.summaries.map { [$0.id, $0.title, $0.category, $0.source] })
            return
        }
        let catalog = workspace.catalog()
        if json {
            try Output.json(catalog.entries.map { entry in
                Row(id: entry.schema.id, title: entry.schema.title, description: entry.schema.description,
                    category: entry.schema.category, source: entry.source.label,
                    fields: entry.schema.fields.map {
                        Field(id: $0.id, label: $0.label, kind: $0.kind.rawValue, required: $0.required, advanced: $0.advanced,
                              secret: $0.kind.holdsSecret, options: $0.kind.hasOptions ? $0.options.map(\.value) : nil)
                    })
            }, listedAs: "connectors")
        }
    }
}
