import ConnectionCore

/// A logged attempt as the View log screen shows it: one list row per exchange and the
/// transcript of the selected one, both read from the log only when they are on screen.
public enum AttemptView {
    /// - Parameters:
    ///   - entry: the attempt, read with or without its exchanges.
    ///   - reader: its exchanges, opened by the use cases (`ConnectionUseCases.reader`).
    ///   - count: how many attempts are kept for its connection or draft.
    ///   - note: said after the title (that the answers changed since this test).
    public static func screen(_ entry: ExchangeLog.Entry, reader: ExchangeReader, count: Int, note: String? = nil) -> ViewLogScreen {
        let attempt = entry.attempt
        let when = LocalTime.minute(attempt.startedAt)
        let title = "View log › \(attempt.connectionName) · attempt \(entry.number) (\(count) kept), \(when)"
            + (attempt.sandboxed ? " · sandbox" : "") + (note.map { " · " + $0 } ?? "")
        return ViewLogScreen(title: title, status: status(of: attempt), itemCount: reader.count, item: { index in
            guard let exchange = reader.exchange(at: index) else {
                return ViewLogScreen.Item(method: "?", path: "(this exchange cannot be read)", result: "", time: "", failed: true)
            }
            return ViewLogScreen.Item(method: exchange.method, path: exchange.path, result: result(of: exchange),
                                      time: ElapsedTime.text(milliseconds: exchange.timings.total),
                                      failed: exchange.response.map { $0.status >= 400 } ?? true)
        }, detail: { index in
            guard let exchange = reader.exchange(at: index) else { return ["✗ This exchange cannot be read from the log."] }
            return ExchangeTranscript.lines(for: exchange, in: entry)
        }, hexDetail: { index in
            guard let exchange = reader.exchange(at: index) else { return ["✗ This exchange cannot be read from the log."] }
            return ExchangeTranscript.lines(for: exchange, in: entry, hex: true)
        })
    }

    /// The status line of a finished attempt, with its hint.
    public static func status(of attempt: TestAttempt) -> (text: String, passed: Bool) {
        // The Connections list's own words for what comes next: its key, not a command.
        let next: String?
        switch attempt.outcome.next {
        case .authorize?: next = "press a to authorize it"
        case .authorizeWithDevice?: next = "press a, then d, to sign in with a new code"
        case nil: next = nil
        }
        let hint = (attempt.outcome.hint ?? next).map { " — " + $0 } ?? ""
        return (attempt.outcome.line + hint, attempt.passed)
    }

    /// "200 OK", or what ended the exchange.
    public static func result(of exchange: Exchange) -> String {
        if let response = exchange.response { return "\(response.status) \(response.statusText)" }
        return "✗ " + (exchange.error ?? "no response")
    }
}
