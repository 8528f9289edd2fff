import ConnectionCore
import FormEngine

/// A finished test: the logged attempt, its number in the log, and the engine's report of it.
public struct TestRun: Sendable {
    public var attempt: TestAttempt
    public var number: Int
    public var report: TestReport

    public var passed: Bool { attempt.passed }

    /// The event that tells a form about this test.
    public var event: FormEvent { .tested(report) }
}
