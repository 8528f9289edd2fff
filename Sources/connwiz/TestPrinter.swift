import ConnectionCore
import Connections
import Foundation

/// How the line front ends report a test: the status line and its hint, one line per
/// exchange and where the full log is; or the attempt as JSON.
enum TestPrinter {
    static func print(_ run: TestRun, json: Bool, logName: String) throws {
        let attempt = run.attempt
        if json {
            try Output.json(AttemptSummary(attempt, number: run.number))
            return
        }
        Output.print(attempt.outcome.line)
        if let hint = attempt.outcome.hint { Output.print("  " + hint) }
        switch attempt.outcome.next {
        case .authorize?:
            Output.print("  Authorize it: connwiz authorize \(LogPrinter.quoted(logName)) (over SSH add --no-browser, or --device where the connector offers it).")
        case .authorizeWithDevice?:
            Output.print("  Start again: connwiz authorize \(LogPrinter.quoted(logName)) --device")
        case nil:
            break
        }
        for exchange in attempt.exchanges { Output.print("  " + LogPrinter.oneLine(exchange)) }
        if attempt.exchanges.isEmpty {
            Output.print("Nothing was sent.")
        } else {
            Output.print("Full log: connwiz log \(LogPrinter.quoted(logName))" + (attempt.sandboxed ? " (sent to the sandbox)" : ""))
        }
    }
}

/// Runs a use case with Ctrl-C (and SIGTERM, SIGHUP) stopping it rather than the program, so
/// a test is still logged, as cancelled. Its failures become the command's.
enum Interruptible {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let stop = StopSignal()
        defer { stop.restore() }
        let running = Task { try await body() }
        let watcher = Task {
            await stop.wait()
            running.cancel()
        }
        defer { watcher.cancel() }
        do { return try await running.value } catch let failure as UseCaseFailure {
            throw CLIFailure.failed(failure.message)
        } catch let error as StoreError {
            throw CLIFailure.failed(error.description)
        }
    }
}

extension ConnectionUseCases {
    /// Runs one use case of a command interruptibly (see `Interruptible`), then closes the
    /// transport whatever happened: the command's one call to the network.
    func once<T: Sendable>(_ body: @escaping @Sendable (ConnectionUseCases) async throws -> T) async throws -> T {
        let cases = self
        do {
            let result = try await Interruptible.run { try await body(cases) }
            await transport.close()
            return result
        } catch {
            await transport.close()
            throw error
        }
    }
}
