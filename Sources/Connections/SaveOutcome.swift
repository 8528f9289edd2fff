import ConnectionCore
import FormEngine

/// What came of asking to save a draft.
public enum SaveOutcome: Sendable {
    /// Saved (created or updated).
    case saved(SavedConnection)
    /// Not saved: `--test` was asked and the test failed, without `--save-anyway`.
    case refused(TestRun)

    /// The events that tell the form what happened: the test, if one ran, then the save.
    public var events: [FormEvent] {
        switch self {
        case .saved(let saved):
            return (saved.test.map { [$0.event] } ?? []) + [.saved(id: saved.connection.id)]
        case .refused(let run):
            return [run.event, .saveRefused("the test failed (\(run.attempt.outcome.line)). Change an answer and test again, or save with --save-anyway.")]
        }
    }
}

/// A draft that was saved, with what the save did.
public struct SavedConnection: Sendable {
    public var connection: StoredConnection
    /// A new connection (else an edit of one).
    public var created: Bool
    /// The test the save stands on: run by `--test`, or the operator's last test of the same answers.
    public var test: TestRun?
    /// The edit changed an answer its tokens depended on; they were dropped.
    public var droppedCredentials: Bool
    /// The connection signs in through a browser and holds no tokens yet.
    public var needsAuthorization: Bool
    /// Saved as Save & authorize asked: the front end signs in next (`authorize`).
    public var authorizationRequested: Bool
    /// `--test --save-anyway` saved it although its test failed: the command ends with 1.
    public var savedDespiteFailedTest: Bool

    /// "Saved connection “IO EU” (Celigo integrator.io)."
    public func line(title: String) -> String {
        "\(created ? "Saved" : "Updated") connection “\(connection.name)” (\(title))."
    }

    /// What else the operator should know, one line each.
    public var notes: [String] {
        var notes: [String] = []
        if let test, !test.passed { notes.append("Its last test failed: \(test.attempt.outcome.line)") }
        if droppedCredentials {
            notes.append("The answers its sign-in depends on changed, so its tokens were dropped: it must be authorized again.")
        }
        if needsAuthorization && !authorizationRequested {
            notes.append("It signs in through a browser and is not authorized yet: connwiz authorize “\(connection.name)” "
                         + "(over SSH add --no-browser, or use --device).")
        }
        return notes
    }
}
