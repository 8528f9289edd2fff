import ConnectionCore
import Connections
import Foundation
import TerminalUI

/// The View log as plain text for `connwiz log` and the lines `connwiz test` prints.
enum LogPrinter {
    /// `1 POST https://…/oauth2/token → 200 OK · 35 ms`.
    static func oneLine(_ exchange: Exchange) -> String {
        let result = AttemptView.result(of: exchange)
        let through = exchange.proxy.map { " · via proxy \($0)" } ?? ""
        return "\(exchange.index) \(exchange.method) \(exchange.url) → \(result) · \(ElapsedTime.text(milliseconds: exchange.timings.total))\(through)"
    }

    static func print(_ entry: ExchangeLog.Entry, of count: Int) {
        let attempt = entry.attempt
        let when = Output.date(attempt.startedAt)
        Output.print("Attempt \(entry.number) of “\(attempt.connectionName)” (\(attempt.connectorID)), \(when)\(attempt.sandboxed ? ", sent to the sandbox" : "")")
        Output.print(attempt.outcome.line)
        if let hint = attempt.outcome.hint { Output.print(hint) }
        for exchange in attempt.exchanges {
            Output.print("")
            let title = "── \(exchange.index) · \(exchange.purpose) "
            Output.print(title + String(repeating: "─", count: max(3, 78 - title.count)))
            for line in ExchangeTranscript.lines(for: exchange, in: entry) { Output.print(line) }
        }
        if count > 1 { Output.print("\n\(count) attempts are kept; see another with --attempt N (--list lists them).") }
    }

    /// A name quoted for the shell when it needs to be.
    static func quoted(_ name: String) -> String { ShellWord.quoted(name) }
}
