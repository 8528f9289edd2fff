import ArgumentParser
import ConnectionCore
import Connections
import Foundation

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the HTTP exchanges of a connection's test, or write them as a HAR file.",
        discussion: """
        The last 20 attempts of each connection are kept. Secrets appear only as fingerprints \
        (sha256:1a2b3c4d…), in the printed log and in the HAR file alike.
        Example: connwiz log "IO EU" --har io-eu.har
        """
    )

    @Argument(help: ArgumentHelp("The connection's name (saved, or tested with `new --test`).", valueName: "name"), completion: CompletionSource.connections) var connection: String
    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: ArgumentHelp("Which attempt (its number); the latest when left out.", valueName: "n")) var attempt: Int?
    @Flag(name: .long, help: "List the kept attempts.") var list = false
    @Flag(name: .long, help: "Print the attempt as JSON.") var json = false
    @Option(name: .long, help: ArgumentHelp("Write the attempt as HAR 1.2 to this file (- for standard output).", valueName: "file")) var har: String?

    func run() throws {
        let workspace = Workspace(global)
        let log = ExchangeLog(home: workspace.home)
        let key: String
        if let saved = try? workspace.store.connection(named: connection) {
            key = saved.id
        } else if let draft = log.draftKey(named: connection) {
            key = draft
        } else {
            _ = try workspace.connection(named: connection)
            key = ""
        }
        // Headers only: a log of thousands of exchanges lists at once; only the one shown is read whole.
        let entries = log.entries(key, exchanges: false)
        guard let latest = entries.last else {
            throw CLIFailure.failed("“\(connection)” has not been tested yet; run: connwiz test \(LogPrinter.quoted(connection))")
        }
        if list, json {
            try Output.json(entries.reversed().map {
                ListedAttempt(number: $0.number, startedAt: $0.attempt.startedAt, exchanges: $0.exchangeCount,
                              passed: $0.attempt.passed, outcome: $0.attempt.outcome.line)
            }, listedAs: "attempts")
            return
        }
        if list {
            Output.table(["ATTEMPT", "STARTED", "EXCHANGES", "OUTCOME"], entries.reversed().map {
                ["\($0.number)", Output.date($0.attempt.startedAt), "\($0.exchangeCount)", $0.attempt.outcome.line]
            })
            return
        }
        var chosen = latest
        if let attempt {
            guard let found = entries.first(where: { $0.number == attempt }) else {
                throw CLIFailure.usage("there is no attempt \(attempt); kept: " + entries.map { "\($0.number)" }.joined(separator: ", "))
            }
            chosen = found
        }
        do { chosen = try chosen.withExchanges() } catch {
            throw CLIFailure.failed("attempt \(chosen.number) of “\(connection)” cannot be read: \(error.localizedDescription)")
        }
        if let har {
            if har == "-" {
                Output.write(try HARDocument.make(chosen) + Data("\n".utf8), to: STDOUT_FILENO)
            } else {
                do { try workspace.useCases(nil).writeHAR(chosen, toFile: har) } catch let failure as UseCaseFailure {
                    throw CLIFailure.failed(failure.message)
                }
                let count = chosen.attempt.exchanges.count
                Output.note("Wrote attempt \(chosen.number) (\(count) exchange\(count == 1 ? "" : "s")) to \(har).")
            }
            return
        }
        if json {
            try Output.json(NumberedAttempt(number: chosen.number, attempt: chosen.attempt))
            return
        }
        LogPrinter.print(chosen, of: entries.count)
    }

    /// One row of `log NAME --list --json`.
    struct ListedAttempt: Encodable {
        let number: Int
        let startedAt: Date
        let exchanges: Int
        let passed: Bool
        let outcome: String
    }

    struct NumberedAttempt: Encodable {
        let number: Int
        let attempt: TestAttempt
    }
}
