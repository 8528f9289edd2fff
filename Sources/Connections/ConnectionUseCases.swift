import ConnectionCore
import ConnectorSchema
import FormEngine
import Foundation

/// What an operator does with connections, written once for every front end: test a draft or
/// a saved connection, save under the `--test` policy, delete with its logs, export, write a
/// HAR file, and read the attempts logged for a draft or a connection.
///
/// It draws nothing and asks nothing; the commands, the line prompts and the full screen call
/// it and turn its results into output, or into `FormEvent`s for the form they show. Its I/O
/// is injected: the store, the exchange log, the HTTP transport, the clock and the browser.
///
/// ```swift
/// let cases = ConnectionUseCases(store: store, log: log, transport: transport)
/// let run = try await cases.testDraft(draft, schema: schema)
/// form.handle(run.event)                        // the engine now owns the status line
/// switch try await cases.save(draft, schema: schema, policy: policy, lastTest: form.lastTest) { … }
/// ```
///
/// Authorizing, token refresh, push and `test --all` belong beside these calls.
public struct ConnectionUseCases: Sendable {
    public let store: ConnectionStore
    public let log: ExchangeLog
    public let transport: any HTTPTransport
    public let clock: @Sendable () -> Date
    public let browser: any BrowserOpener
    /// Finds a saved connection's connector; the installed ones of the store's home unless given.
    public let connectors: ConnectorLookup

    public init(store: ConnectionStore, log: ExchangeLog, transport: any HTTPTransport,
                clock: @escaping @Sendable () -> Date = { Date() }, browser: any BrowserOpener = SystemBrowser(),
                connectors: ConnectorLookup? = nil) {
        self.store = store
        self.log = log
        self.transport = transport
        self.clock = clock
        self.browser = browser
        self.connectors = connectors ?? .installed(in: store.home)
    }

    // MARK: Reading

    /// Every saved connection, in name order.
    public func connections() throws -> [StoredConnection] { try store.all() }

    /// The saved connection with `id`, nil when it is gone.
    public func connection(id: String) throws -> StoredConnection? {
        try store.all().first { $0.id == id }
    }

    /// The connector of a saved connection; a failure that names it when it is not installed.
    public func connector(of connection: StoredConnection) throws -> ConnectorSchema {
        guard let schema = connectors(connection.connector) else { throw UseCaseFailure(ConnectionOpening.missingLine(connection)) }
        return schema
    }

    /// The saved connections as a form's "Borrow concurrency from" offers them.
    public func savedForForms() throws -> [FormContext.SavedConnection] {
        try store.all().map { FormContext.SavedConnection(id: $0.id, name: $0.name, connectorID: $0.connector, values: $0.values) }
    }

    /// What a form needs to know of the store: the saved connections a connectionRef may
    /// name, the stored OAuth 2.0 clients, and the key-file check.
    public func formContext(_ mode: FormContext.Mode) throws -> FormContext {
        var context = FormContext(mode: mode, savedConnections: try savedForForms(), files: JWTAssertion.keyFileInspector)
        if case .create = mode { context.draftID = ExchangeLog.newDraftID() }
        context.oauthClients = try store.oauthClients().map { FormContext.SavedOAuthClient(id: $0.id, name: $0.name, clientId: $0.clientId) }
        return context
    }

    /// Where a draft's tests are logged: under its connection when it edits one, else under its
    /// form's draft id until it is saved (a draft made without a form gets one of its own).
    public func logKey(for draft: ConnectionDraft) -> String {
        draft.connectionID ?? draft.draftID ?? ExchangeLog.newDraftID()
    }

    /// The attempts logged under `key`, oldest first (headers only).
    public func attempts(logKey key: String) -> [ExchangeLog.Entry] {
        log.entries(key, exchanges: false)
    }

    /// The attempts of a saved connection.
    public func attempts(of connection: StoredConnection) -> [ExchangeLog.Entry] {
        attempts(logKey: connection.id)
    }

    // MARK: Testing

    /// Tests a draft as it stands. Its attempts are logged under `logKey(for:)`.
    public func testDraft(_ draft: ConnectionDraft, schema: ConnectorSchema) async throws -> TestRun {
        var credentials: ObtainedCredentials?
        if let id = draft.connectionID, let saved = try connection(id: id),
           saved.credentials?.basis == schema.credentialBasis(draft.values) {
            // An edit whose sign-in answers are unchanged tests with the tokens it holds.
            credentials = try store.openCredentials(of: saved)
        }
        let subject = ConnectionTester.Subject(name: draft.name, logKey: logKey(for: draft), schema: schema,
                                               values: draft.values, credentials: credentials)
        return try await run(subject)
    }

    /// Tests a saved connection with its secrets and tokens, and records the outcome as its
    /// last test (unless `recording` is false: `testAll` records every outcome in one write).
    public func testSaved(_ connection: StoredConnection, recording: Bool = true) async throws -> TestRun {
        try await testSaved(connection, schema: try connector(of: connection), recording: recording)
    }

    /// Tests a saved connection whose connector was looked up already (`testAll`).
    func testSaved(_ connection: StoredConnection, schema: ConnectorSchema, recording: Bool) async throws -> TestRun {
        let values = try store.openValues(of: connection, schema: schema)
        let credentials = try store.openCredentials(of: connection)
        TraceClock.mark("opened")
        let subject = ConnectionTester.Subject(name: connection.name, logKey: connection.id, schema: schema,
                                               values: values, credentials: credentials)
        let result = try await run(subject, keepingCredentialsOf: connection, schema: schema)
        if recording { try? store.recordTest(TestSummary(result.attempt), connectionID: connection.id) }
        TraceClock.mark("recorded")
        return result
    }

    /// Runs a test. With a saved connection, tokens the test obtained replace those held, and
    /// a refused refresh token is forgotten so that `list` says "needs authorization".
    func run(_ subject: ConnectionTester.Subject, keepingCredentialsOf connection: StoredConnection? = nil,
             schema: ConnectorSchema? = nil) async throws -> TestRun {
        let client = try await transport.client()
        TraceClock.mark("transport")
        let tester = ConnectionTester(client: client, log: log, clock: clock)
        func perform(_ subject: ConnectionTester.Subject) async throws -> ConnectionTester.Finished {
            do { return try await tester.perform(subject) } catch {
                throw UseCaseFailure("the test could not be logged: \(error)")
            }
        }
        var renewed = false
        /// Stores the tokens a test obtained, or forgets those it lost; true when the refused
        /// refresh token was one the store no longer holds (another process stored new ones).
        func keep(_ result: ConnectionTester.Finished) throws -> Bool {
            guard let connection, let schema else { return false }
            if let obtained = result.obtained {
                try store.storeCredentials(obtained, connectionID: connection.id, schema: schema)
                renewed = true
                return false
            }
            guard result.authorizationLost, let refused = result.refusedRefreshToken else { return false }
            return !(try store.forgetCredentials(connectionID: connection.id, ifRefreshTokenIs: refused))
        }
        var result = try await perform(subject)
        if try keep(result), let connection, let fresh = try self.connection(id: connection.id),
           let credentials = try store.openCredentials(of: fresh) {
            // Another process refreshed first and the service rotated the token: the refusal
            // was of a token already replaced. Test again, once, with the tokens it stored.
            var again = subject
            again.credentials = credentials
            result = try await perform(again)
            _ = try keep(result)
        }
        let attempt = result.attempt
        let verdict: TestReport.Result = attempt.passed ? .passed : (attempt.outcome.kind == .cancelled ? .cancelled : .failed)
        // The form front ends (panel and prompts) both offer Save & authorize at the review.
        let hint = attempt.outcome.next == .authorize ? "Save & authorize signs in and keeps the tokens; then the test runs with them." : attempt.outcome.hint
        let report = TestReport(result: verdict, line: attempt.outcome.line, hint: hint,
                                logKey: subject.logKey, attempt: result.number, at: attempt.startedAt, values: subject.values)
        return TestRun(attempt: attempt, number: result.number, report: report, renewedCredentials: renewed,
                       authorizationLost: result.authorizationLost)
    }

    // MARK: Saving

    /// Saves a draft under `policy`. With `testFirst`, the draft is tested unless `lastTest`
    /// tested exactly these answers; a failed test refuses the save unless `saveAnyway`. A new
    /// connection takes over the attempts logged under its draft name, and the test it stands
    /// on becomes its last test.
    public func save(_ draft: ConnectionDraft, schema: ConnectorSchema, policy: SavePolicy,
                     lastTest: TestReport? = nil, action: FormAction = .save) async throws -> SaveOutcome {
        var test = standing(lastTest, for: draft)
        if policy.testFirst && test == nil {
            let run = try await testDraft(draft, schema: schema)
            // A test stopped by the operator stops the save with it.
            if run.report.result == .cancelled || Task.isCancelled { return .refused(run) }
            test = run
        }
        if policy.testFirst, let test, !test.passed, !policy.saveAnyway {
            return .refused(test)
        }
        let record = try store.saveRecord(draft, schema: schema, now: clock())
        let created = draft.connectionID == nil
        if created, let key = draft.draftID ?? test?.report.logKey, key.hasPrefix("draft-") {
            log.adopt(draftKey: key, as: record.connection.id)
        }
        if created {
            // Other drafts tested under this name (a refused `new --test`) were other answers;
            // the name now means the saved connection, so they could no longer be found.
            while let stale = log.draftKey(named: record.connection.name) { log.remove(stale) }
        }
        var connection = record.connection
        if let test {
            let summary = TestSummary(test.attempt)
            try? store.recordTest(summary, connectionID: connection.id)
            connection.lastTest = summary
        }
        let signsIn = schema.http?.signsInThroughBrowser { draft.values[$0] } == true
        return .saved(SavedConnection(connection: connection, created: created, test: test,
                                      droppedCredentials: record.droppedCredentials,
                                      needsAuthorization: signsIn && connection.credentials == nil,
                                      authorizationRequested: action == .saveAndAuthorize,
                                      savedDespiteFailedTest: policy.testFirst && test?.passed == false))
    }

    /// Whether `save` will run a test first: `--test` was asked and `lastTest` did not test
    /// these very answers. Front ends show a spinner for it.
    public func saveWillTest(_ draft: ConnectionDraft, policy: SavePolicy, lastTest: TestReport?) -> Bool {
        policy.testFirst && standing(lastTest, for: draft) == nil
    }

    /// `lastTest` as the test a save of `draft` stands on, when it tested the same answers and
    /// its attempt is still in the log.
    func standing(_ lastTest: TestReport?, for draft: ConnectionDraft) -> TestRun? {
        guard let lastTest, lastTest.values == draft.values,
              let entry = attempts(logKey: lastTest.logKey).first(where: { $0.number == lastTest.attempt }) else { return nil }
        return TestRun(attempt: entry.attempt, number: entry.number, report: lastTest)
    }

    /// Forgets what a form left behind when it is discarded: a new connection's attempts,
    /// logged under its draft id whatever it was named (an edit's belong to its saved
    /// connection and stay). Returns how many were removed.
    @discardableResult
    public func discard(_ form: FormState) -> Int {
        guard form.context.editedID == nil, let key = form.context.draftID else { return 0 }
        let count = log.numberedFolders(key).count
        log.remove(key)
        return count
    }

    // MARK: Deleting

    /// The connections whose answers refer to `connection`.
    public func borrowers(of connection: StoredConnection) throws -> [StoredConnection] {
        try store.all().filter { $0.refers(to: connection.id) }
    }

    /// Deletes a connection with its secrets, tokens and logged tests.
    public func delete(_ connection: StoredConnection) throws -> DeleteReport {
        let borrowers = try self.borrowers(of: connection)
        let deleted = try store.delete(named: connection.name)
        let attempts = log.numberedFolders(deleted.id).count
        log.remove(deleted.id)
        return DeleteReport(deleted: deleted, borrowers: borrowers, removedAttempts: attempts)
    }

    // MARK: Files

    /// The connection as an integrator.io connection document, secrets as `******`.
    public func exportDocument(_ connection: StoredConnection) throws -> String {
        let schema = try connector(of: connection)
        do { return try CeligoDocument.json(connection: connection, schema: schema) } catch {
            throw UseCaseFailure("cannot export “\(connection.name)”: \(error)")
        }
    }

    /// Writes the connection's document to `path`.
    public func export(_ connection: StoredConnection, toFile path: String) throws {
        let text = try exportDocument(connection)
        do { try (text + "\n").write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw UseCaseFailure("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// The exchanges of a logged attempt, read one at a time as they are asked for.
    public func reader(_ entry: ExchangeLog.Entry) throws -> ExchangeReader {
        try ExchangeReader(entry)
    }

    /// Writes an attempt as a HAR 1.2 file (mode 0600); returns how many exchanges it holds.
    @discardableResult
    public func writeHAR(_ entry: ExchangeLog.Entry, toFile path: String) throws -> Int {
        do { try HARDocument.write(entry, toFile: path) } catch {
            throw UseCaseFailure("HAR file not written: \(error)")
        }
        return entry.exchangeCount
    }
}
