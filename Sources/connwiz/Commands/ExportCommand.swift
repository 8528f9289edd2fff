import ArgumentParser
import ConnectionCore
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print a connection as an integrator.io connection document (JSON); secrets appear as ******."
    )

    @Argument(help: ArgumentHelp("The connection's name.", valueName: "name")) var connection: String
    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        let workspace = Workspace(global)
        let saved = try workspace.connection(named: connection)
        let schema = try workspace.connector(saved.connector)
        let text: String
        do { text = try CeligoDocument.json(connection: saved, schema: schema) } catch {
            throw CLIFailure.failed("cannot export “\(saved.name)”: \(error)")
        }
        if let output {
            do { try (text + "\n").write(toFile: output, atomically: true, encoding: .utf8) } catch {
                throw CLIFailure.failed("cannot write \(output): \(error.localizedDescription)")
            }
            Output.note("Wrote \(output).")
        } else {
            Output.print(text)
        }
    }
}
