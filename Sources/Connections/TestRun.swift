import ConnectionCore
import FormEngine

/// A finished test: the logged attempt, its number in the log, and the engine's report of it.
public struct TestRun: Sendable {
    public var attempt: TestAttempt
    public var number: Int
    public var report: TestReport
    /// New tokens were obtained and stored (a sign-in, or a refresh of an expired token).
    public var renewedCredentials = false
    /// The service refused the refresh token: the tokens were forgotten and the connection
    /// must be authorized again.
    public var authorizationLost = false

    public init(attempt: TestAttempt, number: Int, report: TestReport, renewedCredentials: Bool = false, authorizationLost: Bool = false) {
        self.attempt = attempt
        self.number = number
        self.report = report
        self.renewedCredentials = renewedCredentials
        self.authorizationLost = authorizationLost
    }

    public var passed: Bool { attempt.passed }

    /// The event that tells a form about this test.
    public var event: FormEvent { .tested(report) }
}
