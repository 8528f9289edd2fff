import ArgumentParser
import ConnectionCore
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
        let connections = try workspace.guarded { try workspace.store.all() }
        var schemas: [String: ConnectorSchema?] = [:]
        func needsAuthorization(_ connection: StoredConnection) -> Bool {
            guard connection.credentials == nil else { return false }
            if schemas[connection.connector] == nil { schemas[connection.connector] = .some(try? workspace.connector(connection.connector)) }
            return (schemas[connection.connector] ?? nil).map { connection.needsAuthorization(schema: $0) } ?? false
        }
        if json {
            try Output.json(connections.map { Row(id: $0.id, name: $0.name, connector: $0.connector, createdAt: $0.createdAt,
                                                 updatedAt: $0.updatedAt, lastTest: $0.lastTest, needsAuthorization: needsAuthorization($0)) },
                            listedAs: "connections")
            return
        }
        guard !connections.isEmpty else {
            Output.print("No connections yet. Create one with: connwiz new")
            return
        }
        let titles = Dictionary(workspace.catalog(reportProblems: false).entries.map { ($0.schema.id, $0.schema.title) },
                                uniquingKeysWith: { first, _ in first })
        Output.table(["NAME", "APPLICATION", "LAST TEST", "UPDATED"], connections.map { connection in
            let test = needsAuthorization(connection) ? "✗ needs authorization: connwiz authorize \(LogPrinter.quoted(connection.name))"
                : connection.lastTest.map { ($0.passed ? "✓ " : "✗ ") + $0.status } ?? "not tested"
            return [connection.name, titles[connection.connector] ?? connection.connector, test, Output.date(connection.updatedAt)]
        })
    }
}
