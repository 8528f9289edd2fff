import ConnectionCore
import TerminalUI

/// A logged attempt as the View log screen shows it: one list row per exchange, and the
/// transcript of an exchange read from the log only when it is selected.
enum AttemptView {
    static func screen(_ entry: ExchangeLog.Entry, count: Int) -> ViewLogScreen {
        let attempt = entry.attempt
        let items = attempt.exchanges.map { exchange in
            ViewLogScreen.Item(method: exchange.method, path: exchange.path, result: result(of: exchange),
                               time: ElapsedTime.text(milliseconds: exchange.timings.total),
                               failed: exchange.response.map { $0.status >= 400 } ?? true)
        }
        let exchanges = attempt.exchanges
        let when = Output.date(attempt.startedAt)
        let title = "View log › \(attempt.connectionName) · attempt \(entry.number) of \(count), \(when)"
            + (attempt.sandboxed ? " · sandbox" : "")
        let status = FullScreenSession.status(of: attempt)
        return ViewLogScreen(title: title, status: status, items: items) { index in
            exchanges.indices.contains(index) ? ExchangeTranscript.lines(for: exchanges[index], in: entry) : []
        }
    }

    /// "200 OK", or what ended the exchange.
    static func result(of exchange: Exchange) -> String {
        if let response = exchange.response { return "\(response.status) \(response.statusText)" }
        return "✗ " + (exchange.error ?? "no response")
    }
}
