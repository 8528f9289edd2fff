import ConnectorSchema
import Foundation

/// Tests a connection for real: resolves its answers through the connector file, lets its
/// auth scheme ready the credential (an OAuth grant asks for a token), sends every applicable
/// test request, judges each by its success rule (`AttemptRun`), and records every exchange,
/// redacted, in the exchange log.
///
/// The outcome is decided by the first exchange that fails; when none does, by the last test
/// request ("Test succeeded: 200 OK in 84 ms").
public struct ConnectionTester: Sendable {
    public let client: ExchangeClient
    public let log: ExchangeLog
    /// The time: when a held token expires, when a device code runs out, when an attempt ends.
    /// Injected, so tests move it instead of sleeping.
    public let clock: @Sendable () -> Date

    public init(client: ExchangeClient, log: ExchangeLog, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.log = log
        self.clock = clock
    }

    /// What is being tested.
    public struct Subject: Sendable {
        public var name: String
        /// Where the attempt is logged: the connection id, or a draft id (`ExchangeLog.newDraftID()`).
        public var logKey: String
        public var schema: ConnectorSchema
        /// Every answer, secrets included (they never leave this process unredacted).
        public var values: [String: FieldValue]
        /// Tokens obtained by authorizing, for the grants that need them (a refresh token).
        public var credentials: ObtainedCredentials?
        /// A sign-in to finish first: a code to exchange, or a device to sign in.
        public var authorization: Authorization?

        public init(name: String, logKey: String, schema: ConnectorSchema, values: [String: FieldValue],
                    credentials: ObtainedCredentials? = nil, authorization: Authorization? = nil) {
            self.name = name
            self.logKey = logKey
            self.schema = schema
            self.values = values
            self.credentials = credentials
            self.authorization = authorization
        }
    }

    /// How a browser grant gets its first tokens in this attempt.
    public enum Authorization: Sendable {
        /// Exchange the code the browser came back with (authorization-code grant with PKCE).
        case code(String, verifier: String, redirectURI: String, callback: [String: String] = [:])
        /// Sign a device in (RFC 8628): `prompt` shows the user code and where to enter it.
        case device(prompt: @Sendable (DeviceSignInEvent) -> Void)
    }

    /// A finished attempt, and what it learned about the connection's tokens.
    public struct Finished: Sendable {
        public var attempt: TestAttempt
        public var number: Int
        /// Tokens obtained during the attempt (a code exchange, a device sign-in or a refresh),
        /// to be stored in place of those held; nil when none were.
        public var obtained: ObtainedCredentials?
        /// The service refused the refresh token (`invalid_grant`): the tokens held are
        /// worthless and the connection must be authorized again.
        public var authorizationLost: Bool
        /// The refresh token that was refused, when one was.
        public var refusedRefreshToken: String?
    }

    /// Runs the test and stores the attempt; throws only when the log cannot be written.
    public func run(_ subject: Subject) async throws -> (attempt: TestAttempt, number: Int) {
        let finished = try await perform(subject)
        return (finished.attempt, finished.number)
    }

    /// Runs the test (and the sign-in it finishes) and stores the attempt.
    public func perform(_ subject: Subject) async throws -> Finished {
        let now = clock()
        let slot = try log.begin(key: subject.logKey, at: now)
        TraceClock.mark("log begun")
        var run = AttemptRun(subject: subject, client: client, folder: slot.folder, clock: clock)
        let outcome = await run.execute()
        TraceClock.mark("executed")
        let attempt = TestAttempt(id: slot.id, connectionName: subject.name, connectorID: subject.schema.id,
                                  startedAt: now, finishedAt: clock(), sandboxed: client.options.route != .direct,
                                  outcome: outcome, exchanges: run.exchanges)
        try log.finish(attempt, in: slot)
        TraceClock.mark("log finished")
        return Finished(attempt: attempt, number: slot.number, obtained: run.obtained, authorizationLost: run.authorizationLost,
                        refusedRefreshToken: run.refusedRefreshToken)
    }
}
