import ConnectionCore
import Foundation

/// Requests a use case sends outside a test (revocation, push, listing an account), logged
/// as an attempt under a connection like a test is: redacted, numbered, readable with
/// `connwiz log` and View log.
struct LoggedExchanges {
    let client: ExchangeClient
    let log: ExchangeLog
    let slot: ExchangeLog.Slot
    let name: String
    let connectorID: String
    let started: Date
    var redactor: Redactor
    private(set) var exchanges: [Exchange] = []

    init(client: ExchangeClient, log: ExchangeLog, key: String, name: String, connectorID: String, secrets: [String], at now: Date) throws {
        self.client = client
        self.log = log
        self.name = name
        self.connectorID = connectorID
        started = now
        slot = try log.begin(key: key, at: now)
        redactor = Redactor(secrets: secrets)
    }

    /// Sends `request` (following its redirects) and keeps every exchange.
    mutating func send(_ request: OutgoingRequest) async -> ExchangeResult {
        let results = await client.perform(request, firstIndex: exchanges.count + 1, redactor: redactor, folder: slot.folder)
        exchanges += results.map(\.exchange)
        return results[results.count - 1]
    }

    /// Writes the attempt with its outcome; returns its number in the log.
    @discardableResult
    func finish(_ outcome: TestOutcome, at now: Date) -> Int {
        let attempt = TestAttempt(id: slot.id, connectionName: name, connectorID: connectorID, startedAt: started, finishedAt: now,
                                  sandboxed: client.options.route != .direct, outcome: outcome, exchanges: exchanges)
        try? log.finish(attempt, in: slot)
        return slot.number
    }

    /// "200 OK", or what ended the exchange.
    static func statusLine(_ result: ExchangeResult) -> String {
        if let response = result.exchange.response { return "\(response.status) \(response.statusText)" }
        return result.failure?.message ?? "no response"
    }
}
