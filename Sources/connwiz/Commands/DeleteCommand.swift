import ArgumentParser
import ConnectionCore
import Connections
import PromptUI

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a saved connection and its secrets.")

    @Argument(help: ArgumentHelp("The connection's name.", valueName: "name"), completion: CompletionSource.connections) var connection: String
    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "Delete without asking.") var yes = false
    @Flag(name: .long, help: "Print what was deleted as JSON (needs --yes).") var json = false

    func validate() throws {
        if json && !yes { throw ValidationError("--json goes with --yes: a question is not JSON") }
    }

    func run() throws {
        let workspace = Workspace(global)
        let saved = try workspace.connection(named: connection)
        let cases = workspace.useCases(nil)
        let borrowers = try workspace.guarded { try cases.borrowers(of: saved) }
        if !yes {
            guard Terminal.inputIsTerminal else {
                throw CLIFailure.usage("refusing to delete “\(saved.name)” without --yes: there is no terminal to ask")
            }
            if !borrowers.isEmpty {
                Output.print("Note: " + borrowers.map { "“\($0.name)”" }.joined(separator: ", ") + " refer to this connection.")
            }
            guard PlainMenu(console: StandardConsole()).confirm("Delete “\(saved.name)” and its secrets?") else {
                throw CLIFailure.failed("not deleted")
            }
        }
        let report = try workspace.guarded { try cases.delete(saved) }
        if json {
            struct Deleted: Encodable {
                let deleted: Bool
                let connection: SaveReport.Connection
                let borrowers: [String]
            }
            return try Output.json(Deleted(deleted: true, connection: .init(id: saved.id, name: saved.name, connector: saved.connector),
                                           borrowers: report.borrowers.map(\.name)))
        }
        Output.print("Deleted connection “\(saved.name)”.")
        for borrower in report.borrowers {
            Output.note("note: “\(borrower.name)” referred to it; edit that connection to choose another")
        }
    }
}
