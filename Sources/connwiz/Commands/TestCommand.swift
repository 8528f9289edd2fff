import ArgumentParser
import ConnectionCore
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
        let values = try workspace.guarded { try workspace.store.openValues(of: saved, schema: schema) }
        TraceClock.mark("opened")
        let harness = try await TestHarness.open(network, workspace: workspace)
        TraceClock.mark("harness")
        let subject = ConnectionTester.Subject(name: saved.name, logKey: saved.id, schema: schema, values: values)
        let result: (attempt: TestAttempt, number: Int)
        do {
            result = try await harness.run(subject, json: json, logName: saved.name)
        } catch {
            await harness.close()
            throw error
        }
        await harness.close()
        TraceClock.mark("closed")
        let outcome = result.attempt.outcome
        try? workspace.store.recordTest(TestSummary(result.attempt), connectionID: saved.id)
        TraceClock.mark("recorded")
        if outcome.kind == .cancelled { throw CLIFailure.quiet(130) }
        if !outcome.passed { throw CLIFailure.quiet(1) }
    }
}
