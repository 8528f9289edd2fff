import ArgumentParser
import ConnectionCore
import Foundation
import Sandbox

/// How tests reach the services: timeouts, extra CAs, and the sandbox.
struct NetworkOptions: ParsableArguments {
    @Flag(name: .long, help: "Answer every request from the built-in offline sandbox (started in this process).")
    var sandbox = false

    @Option(name: .customLong("sandbox-url"), help: ArgumentHelp("Send every request to a sandbox already running (`connwiz sandbox`).", valueName: "url"))
    var sandboxURL: String?

    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("Seconds allowed to connect (DNS, TCP, TLS).", valueName: "seconds"))
    var connectTimeout: Double = 10

    @Option(name: .long, help: ArgumentHelp("Seconds allowed for each request, first byte to last.", valueName: "seconds"))
    var timeout: Double = 30

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("A PEM file of CA certificates to trust besides the system's (certificates are always verified).", valueName: "file"))
    var caFile: String?

    func validate() throws {
        if sandbox && sandboxURL != nil { throw ValidationError("use either --sandbox or --sandbox-url, not both") }
        if let sandboxURL, URL(string: sandboxURL)?.scheme?.hasPrefix("http") != true {
            throw ValidationError("--sandbox-url needs an http URL such as http://127.0.0.1:7411")
        }
        guard connectTimeout > 0, timeout > 0 else { throw ValidationError("timeouts must be more than 0 seconds") }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("--ca-file \(caFile) cannot be read")
        }
    }
}

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

/// `--json` output of a test.
struct AttemptSummary: Encodable {
    let connection: String
    let attempt: Int
    let passed: Bool
    let outcome: TestOutcome
    let sandboxed: Bool
    let exchanges: [Row]

    struct Row: Encodable {
        let index: Int
        let purpose: String
        let method: String
        let url: String
        let status: Int?
        let totalMs: Double
        let error: String?
    }

    init(_ attempt: TestAttempt, number: Int) {
        connection = attempt.connectionName
        self.attempt = number
        passed = attempt.passed
        outcome = attempt.outcome
        sandboxed = attempt.sandboxed
        exchanges = attempt.exchanges.map {
            Row(index: $0.index, purpose: $0.purpose, method: $0.method, url: $0.url, status: $0.response?.status,
                totalMs: ($0.timings.total * 10).rounded() / 10, error: $0.error)
        }
    }
}
