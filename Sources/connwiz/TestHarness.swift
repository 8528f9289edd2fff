import ConnectionCore
import Foundation
import Sandbox

/// A tester wired to the chosen route; `close()` stops what `open` started.
struct TestHarness {
    let tester: ConnectionTester
    let client: ExchangeClient
    let server: SandboxServer?

    static func open(_ options: NetworkOptions, workspace: Workspace) async throws -> TestHarness {
        var server: SandboxServer?
        var route = RequestRoute.direct
        if options.sandbox {
            do {
                let service = try SandboxService(stateFolder: workspace.home.sandboxFolder)
                server = try await SandboxServer.start(service: service)
            } catch {
                throw CLIFailure.failed("the sandbox could not start: \(error)")
            }
            route = .sandbox(server!.url)
        } else if let url = options.sandboxURL {
            route = .sandbox(url)
        }
        let transport = TransportOptions(connectTimeout: options.connectTimeout, totalTimeout: options.timeout,
                                         caFile: options.caFile, route: route)
        do {
            let client = try ExchangeClient(options: transport)
            return TestHarness(tester: ConnectionTester(client: client, log: ExchangeLog(home: workspace.home)), client: client, server: server)
        } catch let failure as TransportFailure {
            await server?.stop()
            throw CLIFailure.usage(failure.message)
        }
    }

    func close() async {
        await client.shutdown()
        await server?.stop()
    }

    /// Tests and reports: the status line, then one line per exchange.
    func run(_ subject: ConnectionTester.Subject, json: Bool, logName: String) async throws -> (attempt: TestAttempt, number: Int) {
        // Ctrl-C stops the test, not the program: the attempt is still logged as cancelled.
        let stop = StopSignal()
        defer { stop.restore() }
        let tester = self.tester
        let running = Task { try await tester.run(subject) }
        let watcher = Task {
            await stop.wait()
            running.cancel()
        }
        let result: (attempt: TestAttempt, number: Int)
        do {
            result = try await running.value
            watcher.cancel()
        } catch {
            watcher.cancel()
            throw CLIFailure.failed("the test could not be logged: \(error.localizedDescription)")
        }
        if json {
            try Output.json(AttemptSummary(result.attempt, number: result.number))
        } else {
            Output.print(result.attempt.outcome.line)
            if let hint = result.attempt.outcome.hint { Output.print("  " + hint) }
            for exchange in result.attempt.exchanges { Output.print("  " + LogPrinter.oneLine(exchange)) }
            if result.attempt.exchanges.isEmpty {
                Output.print("Nothing was sent.")
            } else {
                Output.print("Full log: connwiz log \(LogPrinter.quoted(logName))" + (result.attempt.sandboxed ? " (sent to the sandbox)" : ""))
            }
        }
        return result
    }
}
