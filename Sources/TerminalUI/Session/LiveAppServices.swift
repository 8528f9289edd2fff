import ConnectionCore
import Connections
import ConnectorSchema
import FormEngine
import Foundation

/// `AppServices` over the real use cases: the store, the exchange log and the network, and the
/// connectors from the built-in catalog and the user's folder (read once, when first needed).
public final class LiveAppServices: AppServices, @unchecked Sendable {
    let cases: ConnectionUseCases
    let runner: FormEffectRunner
    let outputFolder: String
    private let connectors: ConnectorIndex
    private let lock = NSLock()
    private var listing: ConnectorIndex.Listing?

    /// `outputFolder` is where a sign-in's address is written (`w`).
    public init(cases: ConnectionUseCases, policy: SavePolicy, outputFolder: String) {
        self.cases = cases
        self.outputFolder = outputFolder
        runner = FormEffectRunner(cases: cases, policy: policy)
        connectors = ConnectorIndex(home: cases.store.home)
    }

    /// The connector summaries, read once.
    private func connectorListing() -> ConnectorIndex.Listing {
        lock.lock()
        defer { lock.unlock() }
        if let listing { return listing }
        let read = connectors.listing()
        listing = read
        return read
    }

    private func connector(_ id: String) -> ConnectorSchema? {
        connectors.schema(id, listing: connectorListing())
    }

    /// The connection `id` with its connector.
    private func opened(_ id: String) throws -> Lookup<(StoredConnection, ConnectorSchema)> {
        switch try cases.open(id: id) {
        case .opened(let saved, let schema): return .found((saved, schema))
        case .gone: return .gone
        case .connectorMissing(let saved): return .unusable(ConnectionOpening.missingLine(saved), .failure)
        }
    }

    public func connectionRows() throws -> [ConnectionsScreen.Row] {
        let titles = Dictionary(connectorListing().summaries.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        return try cases.listing().map { listed in
            let connection = listed.connection
            var row = ConnectionsScreen.Row(id: connection.id, name: connection.name, application: titles[connection.connector] ?? connection.connector,
                                            lastTestPassed: connection.lastTest?.passed, lastTestStatus: connection.lastTest?.status,
                                            lastTestAt: connection.lastTest.map { LocalTime.minute($0.at) })
            row.needsAuthorization = listed.needsAuthorization
            row.borrowers = listed.borrowers
            return row
        }
    }

    public func applications() -> [ApplicationListScreen.Item] {
        connectorListing().summaries.map {
            ApplicationListScreen.Item(id: $0.id, title: $0.title, category: $0.category, description: $0.description)
        }
    }

    public func connectorNotes() -> [String] {
        connectorListing().diagnostics.map(\.catalogLine)
    }

    public func newForm(connector id: String) throws -> FormState? {
        guard let schema = connector(id) else { return nil }
        return FormState(schema: schema, context: try cases.formContext(.create))
    }

    public func editForm(id: String) throws -> Lookup<FormState> {
        try opened(id).then { saved, schema in
            .found(FormState(schema: schema, context: try cases.formContext(.edit(connectionID: saved.id)), prefill: saved.values))
        }
    }

    public func signInTarget(id: String) throws -> Lookup<SignInTarget> {
        try opened(id).then { saved, schema in
            do { _ = try cases.browserGrant(saved) } catch { return .unusable("\(error)", .dim) }
            return .found(Self.target(saved, schema: schema))
        }
    }

    static func target(_ connection: StoredConnection, schema: ConnectorSchema) -> SignInTarget {
        SignInTarget(id: connection.id, name: connection.name,
                     offersDevice: schema.http?.offersDeviceSignIn { connection.values[$0] } == true)
    }

    public func latestLog(id: String) throws -> Lookup<(name: String, latest: LogReference?)> {
        guard let saved = try cases.connection(id: id) else { return .gone }
        return .found((saved.name, cases.attempts(of: saved).last.map { LogReference(key: saved.id, number: $0.number, name: saved.name) }))
    }

    public func usable(id: String) throws -> Lookup<String> {
        try opened(id).then { saved, _ in .found(saved.name) }
    }

    public func export(id: String, toFile path: String) throws -> Lookup<String> {
        try opened(id).then { saved, _ in
            try cases.export(saved, toFile: path)
            return .found(saved.name)
        }
    }

    public func delete(id: String) throws -> Lookup<DeletedConnection> {
        guard let saved = try cases.connection(id: id) else { return .gone }
        let report = try cases.delete(saved)
        return .found(DeletedConnection(name: saved.name, line: report.line, borrowerNote: report.borrowerNote))
    }

    public func discard(_ form: FormState) {
        _ = cases.discard(form)
    }

    public func formLog(_ test: TestReport, name: String) -> LogReference? {
        let attempts = cases.attempts(logKey: test.logKey)
        guard let entry = attempts.first(where: { $0.number == test.attempt }) ?? attempts.last else { return nil }
        return LogReference(key: test.logKey, number: entry.number, name: name)
    }

    private func entry(_ log: LogReference) -> (ExchangeLog.Entry, count: Int)? {
        let attempts = cases.attempts(logKey: log.key)
        return attempts.first { $0.number == log.number }.map { ($0, attempts.count) }
    }

    public func logScreen(_ log: LogReference) throws -> ViewLogScreen {
        guard let (entry, count) = entry(log) else { throw CocoaError(.fileNoSuchFile) }
        return AttemptView.screen(entry, reader: try cases.reader(entry), count: count, note: log.note)
    }

    public func attemptRows(_ log: LogReference) -> [AttemptListScreen.Row] {
        cases.attempts(logKey: log.key).map { entry in
            AttemptListScreen.Row(number: entry.number, started: LocalTime.second(entry.attempt.startedAt),
                                  outcome: AttemptView.status(of: entry.attempt).text, passed: entry.attempt.passed,
                                  exchanges: entry.exchangeCount)
        }
    }

    public func attempt(_ number: Int, beside log: LogReference) -> LogReference? {
        let attempts = cases.attempts(logKey: log.key)
        guard attempts.contains(where: { $0.number == number }) else { return nil }
        // The latest keeps the note the log was opened with (that the answers changed since).
        let latest = number == attempts.last?.number
        return LogReference(key: log.key, number: number, name: log.name, note: latest ? log.note : nil)
    }

    public func writeSignInAddress(_ address: String, name: String) -> String {
        SignInAddressFile(folder: outputFolder).write(address, name: name)
    }

    public func writeHAR(_ log: LogReference, toFile path: String) throws -> Int {
        guard let (entry, _) = entry(log) else { throw CocoaError(.fileNoSuchFile) }
        return try cases.writeHAR(entry, toFile: path)
    }

    public func formStartEvents(_ action: FormAction, draft: ConnectionDraft, form: FormState) -> [FormEvent] {
        runner.startEvents(action, draft: draft, form: form)
    }

    public func runForm(_ action: FormAction, draft: ConnectionDraft, form: FormState) async throws -> FormRun {
        let finished = try await runner.run(action, draft: draft, form: form)
        guard case .saveEnded(let outcome) = finished, case .saved(let saved) = outcome else { return FormRun(events: finished.events) }
        let signsIn = FormEffectRunner.signInAfter(outcome, schema: form.schema).map { Self.target($0.connection, schema: form.schema) }
        return FormRun(events: finished.events,
                       saved: FormRun.Saved(id: saved.connection.id, name: saved.connection.name, created: saved.created,
                                            lines: [saved.line(title: form.schema.title)] + saved.notes,
                                            savedDespiteFailedTest: saved.savedDespiteFailedTest, signsIn: signsIn))
    }

    /// A connection deleted since the flow looked it up.
    private func connection(_ id: String) throws -> StoredConnection {
        guard let saved = try cases.connection(id: id) else { throw AppFailure.gone }
        return saved
    }

    public func testSaved(id: String) async throws -> StatusLine {
        let status = AttemptView.status(of: try await cases.testSaved(try connection(id)).attempt)
        return StatusLine(text: status.text, passed: status.passed)
    }

    public func signIn(id: String, method: AuthorizeOptions.Method, timeout: Int, pasted: AsyncStream<String>,
                       progress: @escaping @Sendable (AuthorizationProgress) -> Void) async throws -> SignInResult {
        let options = AuthorizeOptions(method: method, timeout: timeout, pasted: pasted)
        let outcome = try await cases.authorize(try connection(id), options: options, progress: progress)
        return SignInResult(line: outcome.line, hint: outcome.failure == nil ? outcome.run?.attempt.outcome.hint : nil,
                            signedIn: outcome.signedIn, passed: outcome.signedIn && outcome.run?.passed == true)
    }
}

/// A failure the full screen shows as it is worded.
public struct AppFailure: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }

    /// The connection acted on was deleted (elsewhere) after the list was read.
    public static let gone = AppFailure("That connection is gone (deleted elsewhere?).")
}
