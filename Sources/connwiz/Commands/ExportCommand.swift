import ArgumentParser
import ConnectionCore
import Connections
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print a connection as an integrator.io connection document (JSON); secrets appear as ******."
    )

    @Argument(help: ArgumentHelp("The connection's name.", valueName: "name"), completion: CompletionSource.connections) var connection: String
    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        let workspace = Workspace(global)
        let saved = try workspace.connection(named: connection)
        let cases = workspace.useCases(nil)
        do {
            if let output {
                try cases.export(saved, toFile: output)
                Output.note("Wrote \(output).")
            } else {
                Output.print(try cases.exportDocument(saved))
            }
        } catch let failure as UseCaseFailure {
            throw CLIFailure.failed(failure.message)
        }
    }
}
