import ConnectionCore
import Connections
import Foundation

/// What `new --yes --json` and `edit --yes --json` print: whether the connection was saved,
/// which one, and the test that decided it.
struct SaveReport: Encodable {
    struct Connection: Encodable {
        let id: String
        let name: String
        let connector: String
    }

    let saved: Bool
    /// False when an existing connection was changed (`edit`).
    let created: Bool?
    let connection: Connection?
    let test: AttemptSummary?
    let savedDespiteFailedTest: Bool
    let needsAuthorization: Bool
    let notes: [String]

    static func print(_ outcome: SaveOutcome, ran: TestRun?) throws {
        let test = ran.map { AttemptSummary($0.attempt, number: $0.number) }
        switch outcome {
        case .refused:
            try Output.json(SaveReport(saved: false, created: nil, connection: nil, test: test, savedDespiteFailedTest: false,
                                       needsAuthorization: false, notes: ["not saved: the test failed (use --save-anyway to save all the same)"]))
        case .saved(let saved):
            let stored = saved.connection
            try Output.json(SaveReport(saved: true, created: saved.created,
                                       connection: Connection(id: stored.id, name: stored.name, connector: stored.connector),
                                       test: test, savedDespiteFailedTest: saved.savedDespiteFailedTest,
                                       needsAuthorization: saved.needsAuthorization, notes: saved.notes))
        }
    }
}
