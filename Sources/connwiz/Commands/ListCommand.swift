import ArgumentParser
import ConnectionCore
import Connections
import ConnectorSchema
import Foundation

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List saved connections.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    struct Row: Encodable {
        var id: String
        var name: String
        var connector: String
        var createdAt: Date
        var updatedAt: Date
        var lastTest: TestSummary?
        var needsAuthorization: Bool
    }

    func run() throws {
        let workspace = Workspace(global)
        // A listing sends nothing: the use cases get no network.
        let cases = workspace.useCases(nil)
        let listed = try workspace.guarded { try cases.listing() }
        if json {
            try Output.json(listed.map { Row(id: $0.connection.id, name: $0.connection.name, connector: $0.connection.connector,
                                             createdAt: $0.connection.createdAt, updatedAt: $0.connection.updatedAt,
                                             lastTest: $0.connection.lastTest, needsAuthorization: $0.needsAuthorization) },
                            listedAs: "connections")
            return
        }
        guard !listed.isEmpty else {
            Output.print("No connections yet. Create one with: connwiz new")
            return
        }
        let titles = Dictionary(workspace.catalog(reportProblems: false).entries.map { ($0.schema.id, $0.schema.title) },
                                uniquingKeysWith: { first, _ in first })
        Output.table(["NAME", "APPLICATION", "LAST TEST", "UPDATED"], listed.map { listed in
            let connection = listed.connection
            let test = listed.needsAuthorization ? "✗ needs authorization: connwiz authorize \(LogPrinter.quoted(connection.name))"
                : connection.lastTest.map { ($0.passed ? "✓ " : "✗ ") + $0.status } ?? "not tested"
            return [connection.name, titles[connection.connector] ?? connection.connector, test, Output.date(connection.updatedAt)]
        })
    }
}
