import ConnectionCore

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
