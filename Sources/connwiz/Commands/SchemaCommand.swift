import ArgumentParser
import ConnectorSchema
import Foundation
import StandIns

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Work with connector files.",
        subcommands: [LintCommand.self, CatalogCommand.self]
    )

    struct CatalogCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "catalog",
            abstract: "Print the catalog page (docs/connectors.md): each built-in application, its auth types, what its test calls and its stand-in."
        )

        func run() throws {
            Output.write(Data(CatalogPage.markdown(ConnectorCatalog.builtin()).utf8), to: STDOUT_FILENO)
        }
    }

    struct LintCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Check connector files; problems print as file:line:column: message. Exit 1 when any file has errors."
        )

        @Argument(help: ArgumentHelp("Connector files to check.", valueName: "file"), completion: .file(extensions: ["yaml", "yml", "json"])) var files: [String]
        @Flag(help: "Print JSON.") var json = false

        struct Report: Encodable {
            var file: String
            var connector: String?
            var ok: Bool
            var diagnostics: [Item]
        }

        struct Item: Encodable {
            var line: Int?
            var column: Int?
            var severity: String
            var message: String
        }

        func validate() throws {
            if files.isEmpty { throw ValidationError("name at least one connector file") }
        }

        func run() throws {
            var reports: [Report] = []
            for file in files {
                let result = SchemaLoader.load(path: file)
                reports.append(Report(file: file, connector: result.schema?.id, ok: result.schema != nil,
                                      diagnostics: result.diagnostics.map {
                                          Item(line: $0.line, column: $0.column, severity: $0.severity.rawValue, message: $0.message)
                                      }))
                if !json {
                    for diagnostic in result.diagnostics { Output.print(diagnostic.description) }
                    if let schema = result.schema {
                        Output.print("\(file): ok (\(schema.id), \(schema.fields.count) fields)")
                    }
                }
            }
            if json { try Output.json(reports, listedAs: "files") }
            if reports.contains(where: { !$0.ok }) { throw CLIFailure.quiet(1) }
        }
    }
}
