import ConnectionCore
import ConnectorSchema
import FormEngine
import Foundation

/// Runs what a form asks for (`FormEffect.perform`): a test of the draft, or a save under the
/// `--test` policy. Every front end runs the engine's effects through it, so the rules that
/// go with them live once: which events the form hears before and after, and whether a
/// sign-in follows the save.
public struct FormEffectRunner: Sendable {
    public let cases: ConnectionUseCases
    public let policy: SavePolicy

    public init(cases: ConnectionUseCases, policy: SavePolicy) {
        self.cases = cases
        self.policy = policy
    }

    /// What running an effect came to.
    public enum Finished: Sendable {
        case tested(TestRun)
        case saveEnded(SaveOutcome)

        /// The events the form hears of it.
        public var events: [FormEvent] {
            switch self {
            case .tested(let run): return [run.event]
            case .saveEnded(let outcome): return outcome.events
            }
        }
    }

    /// The events the form hears before the work starts: a test started, when one will run.
    public func startEvents(_ action: FormAction, draft: ConnectionDraft, form: FormState) -> [FormEvent] {
        switch action {
        case .test: return [.testStarted]
        case .save, .saveAndAuthorize:
            return cases.saveWillTest(draft, policy: policy, lastTest: form.lastTest) ? [.testStarted] : []
        }
    }

    /// Tests or saves `draft`, the form's answers.
    public func run(_ action: FormAction, draft: ConnectionDraft, form: FormState) async throws -> Finished {
        switch action {
        case .test: return .tested(try await test(draft, form: form))
        case .save, .saveAndAuthorize: return .saveEnded(try await save(draft, action: action, form: form))
        }
    }

    /// Tests `draft`, with the tokens of the connection it edits when they still apply.
    public func test(_ draft: ConnectionDraft, form: FormState) async throws -> TestRun {
        try await cases.testDraft(draft, schema: form.schema)
    }

    /// Saves `draft` under the policy, testing it first when the policy says so.
    public func save(_ draft: ConnectionDraft, action: FormAction, form: FormState) async throws -> SaveOutcome {
        try await cases.save(draft, schema: form.schema, policy: policy, lastTest: form.lastTest, action: action)
    }

    /// The connection that signs in next: one saved by Save & authorize whose connector signs
    /// in through a browser with the answers given. Nil when no sign-in follows.
    public static func signInAfter(_ outcome: SaveOutcome, schema: ConnectorSchema) -> SavedConnection? {
        guard case .saved(let saved) = outcome, saved.authorizationRequested,
              schema.http?.signsInThroughBrowser({ saved.connection.values[$0] }) == true else { return nil }
        return saved
    }
}
