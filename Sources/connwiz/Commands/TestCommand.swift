import ArgumentParser
import ConnectionCore
import Connections
import ConnectorSchema
import TerminalUI
import Foundation

struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Test a saved connection for real and log every exchange.",
        discussion: """
        Prints the outcome in one line, then one line per HTTP exchange; `connwiz log NAME` shows \
        them in full. Exit status: 0 the test passed, 1 it failed, 2 a usage error.
        With --all, tests every saved connection at once, within each concurrency budget (a \
        connection that borrows concurrency shares the budget of the one it borrows from), and \
        prints one line per connection and a summary; exit 0 only when all pass.
        Example: connwiz test "IO EU" --sandbox
        """
    )

    @Argument(help: ArgumentHelp("The connection's name (or --all).", valueName: "name"), completion: CompletionSource.connections) var connection: String?
    @Flag(name: .long, help: "Test every saved connection, in parallel within their concurrency budgets.") var all = false
    @OptionGroup var global: GlobalOptions
    @OptionGroup var network: NetworkOptions
    @Flag(name: .long, help: "Print the outcome and exchanges as JSON.") var json = false

    func validate() throws {
        if all && connection != nil { throw ValidationError("give a connection's name or --all, not both") }
        if !all && connection == nil { throw ValidationError("name the connection to test, or give --all") }
    }

    func run() async throws {
        let workspace = Workspace(global)
        if all { return try await testAll(workspace) }
        let saved = try workspace.connection(named: connection ?? "")
        TraceClock.mark("store read")
        // A slow service gets a spinner on a terminal after a second; a pipe sees nothing.
        let waiting = WaitIndicator("Testing “\(saved.name)”")
        let run: TestRun
        do {
            run = try await workspace.useCases(network).once { try await $0.testSaved(saved) }
            await waiting.stop()
        } catch {
            await waiting.stop()
            throw error
        }
        TraceClock.mark("closed")
        try TestPrinter.print(run, json: json, logName: saved.name)
        let outcome = run.attempt.outcome
        if outcome.kind == .cancelled { throw CLIFailure.quiet(130) }
        if !outcome.passed { throw CLIFailure.quiet(1) }
    }

    struct AllSummary: Encodable {
        struct Row: Encodable {
            let name: String
            let connector: String
            let passed: Bool
            let line: String
            let attempt: Int?
            let budget: String
            let budgetLevel: Int
        }
        let version = 1
        let connections: [Row]
        let passed: Int
        let failed: Int
    }

    func testAll(_ workspace: Workspace) async throws {
        let connections = try workspace.guarded { try workspace.store.all() }
        guard !connections.isEmpty else {
            if json { try Output.json(AllSummary(connections: [], passed: 0, failed: 0)) } else { Output.print("No connections yet. Create one with: connwiz new") }
            return
        }
        let cases = workspace.useCases(network)
        let started = Date()
        let results = await cases.testAll(connections)
        await cases.transport.close()
        let names = Dictionary(connections.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let passed = results.filter(\.passed).count
        if json {
            try Output.json(AllSummary(connections: results.map {
                AllSummary.Row(name: $0.connection.name, connector: $0.connection.connector, passed: $0.passed, line: $0.line,
                               attempt: $0.run?.number, budget: names[$0.budget] ?? $0.budget, budgetLevel: $0.budgetLevel)
            }, passed: passed, failed: results.count - passed))
        } else {
            let width = min(40, results.map { DisplayWidth.of($0.connection.name) }.max() ?? 0)
            for result in results {
                let name = result.connection.name
                let padded = name + String(repeating: " ", count: max(0, width - DisplayWidth.of(name)))
                Output.print("\(result.passed ? "✓" : "✗") \(padded)  \(result.line)")
            }
            let elapsed = ElapsedTime.text(milliseconds: Date().timeIntervalSince(started) * 1000)
            Output.print("\(passed) passed, \(results.count - passed) failed (\(results.count) connection\(results.count == 1 ? "" : "s") in \(elapsed))")
        }
        if passed < results.count { throw CLIFailure.quiet(1) }
    }
}
