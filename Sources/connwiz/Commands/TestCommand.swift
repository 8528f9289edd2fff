import ArgumentParser
import ConnectionCore
import Connections
import Foundation

struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Test a saved connection for real and log every exchange.",
        discussion: """
        Prints the outcome in one line, then one line per HTTP exchange; `connwiz log NAME` shows \
        them in full. Exit status: 0 the test passed, 1 it failed, 2 a usage error.
        Example: connwiz test "IO EU" --sandbox
        """
    )

    @Argument(help: ArgumentHelp("The connection's name.", valueName: "name")) var connection: String
    @OptionGroup var global: GlobalOptions
    @OptionGroup var network: NetworkOptions
    @Flag(name: .long, help: "Print the outcome and exchanges as JSON.") var json = false

    func run() async throws {
        let workspace = Workspace(global)
        let saved = try workspace.connection(named: connection)
        TraceClock.mark("store read")
        let schema = try workspace.connector(saved.connector)
        TraceClock.mark("connector")
        let cases = workspace.useCases(network)
        let run: TestRun
        do {
            run = try await Interruptible.run { try await cases.testSaved(saved, schema: schema) }
        } catch {
            await cases.transport.close()
            throw error
        }
        await cases.transport.close()
        TraceClock.mark("closed")
        try TestPrinter.print(run, json: json, logName: saved.name)
        let outcome = run.attempt.outcome
        if outcome.kind == .cancelled { throw CLIFailure.quiet(130) }
        if !outcome.passed { throw CLIFailure.quiet(1) }
    }
}
