import ConnectionCore
import ConnectorSchema
import FormEngine
import Foundation
import TerminalUI

/// The full-screen front end at work: it runs the TerminalUI screens on a terminal driver and
/// does what they ask (test, save, delete, export, write a HAR file) through ConnectionCore.
/// The screens hold no business rule; this type draws nothing itself.
final class FullScreenSession {
    let driver: TerminalDriver
    let workspace: Workspace
    let checks: CheckOptions
    /// Lines to print once the terminal is given back: what was saved, skipped connector files.
    private(set) var farewell: [String] = []
    /// A connection was saved with `--save-anyway` although its test failed.
    private var savedAfterFailedTest = false
    private var harness: TestHarness?
    private var connectorListing: ConnectorIndex.Listing?
    /// Consecutive reads that returned nothing although no timeout was asked for.
    private var emptyReads = 0
    private var framed = false

    init(driver: TerminalDriver, workspace: Workspace, checks: CheckOptions) {
        self.driver = driver
        self.workspace = workspace
        self.checks = checks
    }

    /// Gives the terminal back and stops what tests started; then prints the farewell lines.
    func close() async {
        driver.shutdown()
        await harness?.close()
        harness = nil
        for line in farewell { Output.print(line) }
        farewell = []
    }

    /// Runs `body`, then gives the terminal back whatever happened. A save made with
    /// `--test --save-anyway` after a failed test ends the command with status 1, as it does
    /// with line prompts.
    func running<T>(_ body: (FullScreenSession) async throws -> T) async throws -> T {
        let result: T
        do {
            result = try await body(self)
        } catch {
            await close()
            throw error
        }
        await close()
        if savedAfterFailedTest { throw CLIFailure.quiet(1) }
        return result
    }

    // MARK: Screens

    /// Resources › Connections, until the operator quits.
    func home() async throws {
        var screen = ConnectionsScreen(rows: try rows())
        while true {
            let key = try nextKey { screen.render(into: &$0) }
            switch screen.handle(key) {
            case .stay:
                continue
            case .quit:
                return
            case .create:
                if let saved = try await create(schema: nil) {
                    screen.update(rows: try rows())
                    screen.message = ("Saved “\(saved.name)”.", .success)
                }
            case .edit(let id):
                guard let saved = try connection(id: id, on: &screen) else { continue }
                guard let schema = connector(saved.connector) else {
                    screen.message = Self.missingConnector(saved)
                    continue
                }
                let context = FormContext(mode: .edit(connectionID: saved.id), savedConnections: try workspace.savedForForms())
                if let updated = try await panel(FormState(schema: schema, context: context, prefill: saved.values)) {
                    screen.message = ("Updated “\(updated.name)”.", .success)
                }
                screen.update(rows: try rows())
            case .test(let id):
                guard let saved = try connection(id: id, on: &screen) else { continue }
                screen.message = try await test(saved, on: &screen)
                screen.update(rows: try rows())
            case .viewLog(let id):
                guard let saved = try connection(id: id, on: &screen) else { continue }
                if !(try viewLog(key: saved.id, name: saved.name)) {
                    screen.message = ("“\(saved.name)” has not been tested yet; press t to test it.", .dim)
                }
            case .export(let id):
                guard let saved = try connection(id: id, on: &screen) else { continue }
                screen.message = export(saved)
            case .delete(let id):
                guard let saved = try connection(id: id, on: &screen) else { continue }
                screen.message = delete(saved)
                screen.update(rows: try rows())
            }
        }
    }

    /// Create connection: the application list (unless `schema` is given), then the panel.
    /// Returns what was saved; nil when the operator left without saving.
    func create(schema given: ConnectorSchema?) async throws -> StoredConnection? {
        if let given { return try await panel(try newForm(given)) }
        var list = ApplicationListScreen(items: listing().summaries.map {
            ApplicationListScreen.Item(id: $0.id, title: $0.title, category: $0.category, description: $0.description)
        })
        while true {
            let key = try nextKey { list.render(into: &$0) }
            switch list.handle(key, pageSize: max(1, driver.size.height - 10)) {
            case .stay:
                continue
            case .cancelled:
                return nil
            case .chosen(let id):
                guard let schema = connector(id) else { continue }
                // Discarding the panel comes back to the list, as Back does in the browser.
                if let saved = try await panel(try newForm(schema)) { return saved }
            }
        }
    }

    /// The Create (or Edit) connection panel until it is saved or discarded.
    func panel(_ form: FormState) async throws -> StoredConnection? {
        var actions: [FormAction] = [.test, .save]
        if form.schema.http?.maySignInThroughBrowser == true { actions.append(.saveAndAuthorize) }
        var panel = ConnectionPanelScreen(form: form, actions: actions)
        /// Where the last test of this panel was logged, for View log.
        var lastLogKey: String?
        /// The last test and the answers it tested: saving those same answers records it.
        var lastTest: (attempt: TestAttempt, values: [String: FieldValue])?
        /// Tests the draft and shows the outcome on the panel. A draft's attempts are logged
        /// under its name and move to the connection when it is saved (as with line prompts).
        func test(_ draft: ConnectionDraft) async throws -> TestAttempt? {
            let key = draft.connectionID ?? ExchangeLog.draftKey(for: draft.name)
            guard let attempt = try await self.test(draft, schema: form.schema, logKey: key, panel: &panel) else { return nil }
            lastLogKey = key
            lastTest = (attempt, draft.values)
            panel.canViewLog = true
            panel.status = Self.status(of: attempt)
            return attempt
        }
        while true {
            let key = try nextKey { panel.render(into: &$0) }
            switch panel.handle(key) {
            case .stay:
                continue
            case .cancelled:
                return nil
            case .viewLog:
                if let lastLogKey { _ = try viewLog(key: lastLogKey, name: panel.form.draft?.name ?? "") }
            case .perform(.test, let draft):
                _ = try await test(draft)
            case .perform(let action, let draft):
                var tested = lastTest.flatMap { $0.values == draft.values ? $0.attempt : nil }
                if checks.test && tested == nil {
                    guard let attempt = try await test(draft) else { continue }
                    tested = attempt
                }
                if checks.test, let tested, !tested.passed, !checks.saveAnyway {
                    panel.status = ("Not saved: the test failed (\(tested.outcome.line)). Change an answer and test again.", false)
                    continue
                }
                let saved: StoredConnection
                do { saved = try workspace.save(draft, schema: form.schema, tested: tested) } catch let failure as CLIFailure {
                    panel.status = ("Not saved: " + failure.message, false)
                    continue
                }
                let verb = draft.connectionID == nil ? "Saved" : "Updated"
                farewell.append("\(verb) connection “\(saved.name)” (\(form.schema.title)).")
                if let tested, !tested.passed {
                    if checks.test { savedAfterFailedTest = true }
                    farewell.append("Its last test failed: \(tested.outcome.line)")
                }
                if action == .saveAndAuthorize {
                    farewell.append("It still has to be authorized in a browser, which this version of connwiz cannot do yet; "
                                    + "until then `connwiz test` reports “Not authorized yet”.")
                }
                return saved
            }
        }
    }

    /// The View log of the latest attempt under `key`; false when there is none.
    @discardableResult
    func viewLog(key: String, name: String) throws -> Bool {
        let entries = ExchangeLog(home: workspace.home).entries(key, exchanges: false)
        guard let entry = entries.last else { return false }
        var screen: ViewLogScreen
        do { screen = try AttemptView.screen(entry, count: entries.count) } catch {
            throw CLIFailure.failed("the log of “\(name)” cannot be read: \(error.localizedDescription)")
        }
        while true {
            let key = try nextKey { screen.render(into: &$0) }
            switch screen.handle(key, pageSize: max(1, driver.size.height - 12)) {
            case .stay: continue
            case .back: return true
            case .writeHAR: screen.message = writeHAR(entry, name: name)
            }
        }
    }

    // MARK: Tests

    /// Tests a saved connection from the list; the spinner shows in the list's message line.
    private func test(_ saved: StoredConnection, on screen: inout ConnectionsScreen) async throws -> (text: String, tone: Tone) {
        guard let schema = connector(saved.connector) else {
            return Self.missingConnector(saved)
        }
        let values: [String: FieldValue]
        do { values = try workspace.guarded { try workspace.store.openValues(of: saved, schema: schema) } } catch let failure as CLIFailure {
            return ("Cannot test “\(saved.name)”: \(failure.message)", .failure)
        }
        let subject = ConnectionTester.Subject(name: saved.name, logKey: saved.id, schema: schema, values: values)
        let result = try await run(subject) { busy, buffer in
            screen.message = (busy, .strong)
            screen.render(into: &buffer)
        }
        switch result {
        case .failure(let message):
            return (message, .failure)
        case .success(let attempt):
            try? workspace.store.recordTest(TestSummary(attempt), connectionID: saved.id)
            let status = Self.status(of: attempt)
            return (status.text + " · l shows the log", status.passed ? .success : .failure)
        }
    }

    /// Tests the panel's draft; the spinner shows at the top of the panel. Nil when the test
    /// could not start (the reason is then the panel's status).
    private func test(_ draft: ConnectionDraft, schema: ConnectorSchema, logKey: String,
                      panel: inout ConnectionPanelScreen) async throws -> TestAttempt? {
        let subject = ConnectionTester.Subject(name: draft.name, logKey: logKey, schema: schema, values: draft.values)
        let result = try await run(subject) { busy, buffer in
            panel.busy = busy
            panel.render(into: &buffer)
        }
        panel.busy = nil
        switch result {
        case .failure(let message):
            panel.status = (message, false)
            return nil
        case .success(let attempt):
            return attempt
        }
    }

    enum TestRun {
        case success(TestAttempt)
        case failure(String)
    }

    /// Runs a test while a spinner with the elapsed time turns; Esc or Ctrl-C cancels it (the
    /// attempt is still logged, as cancelled). Keys are read without blocking between frames,
    /// so the test's own tasks always have a thread.
    private func run(_ subject: ConnectionTester.Subject, drawing draw: (String, inout CellBuffer) -> Void) async throws -> TestRun {
        let harness: TestHarness
        do { harness = try await openHarness() } catch let failure as CLIFailure {
            return .failure("Cannot test: " + failure.message)
        }
        let tester = harness.tester
        let finished = LockedSlot<Result<TestAttempt, Error>>()
        let task = Task {
            do { finished.set(.success(try await tester.run(subject).attempt)) } catch { finished.set(.failure(error)) }
        }
        let clock = ContinuousClock()
        let start = clock.now
        var cancelling = false
        while finished.get() == nil {
            let elapsed = start.duration(to: clock.now)
            let tenths = Int(elapsed.components.seconds) * 10 + Int(elapsed.components.attoseconds / 100_000_000_000_000_000)
            let spinner = Self.spinner[tenths % Self.spinner.count]
            let line = cancelling ? "\(spinner) Cancelling the test…"
                : "\(spinner) Testing “\(subject.name)”… \(tenths / 10).\(tenths % 10) s · Esc cancels"
            show { draw(line, &$0) }
            if let key = driver.nextKey(timeout: 0) {
                if key == .escape || key == .control("c") {
                    task.cancel()
                    cancelling = true
                }
            }
            try? await Task.sleep(for: .milliseconds(40))
        }
        switch finished.get()! {
        case .success(let attempt): return .success(attempt)
        case .failure(let error): return .failure("The test could not be logged: \(error.localizedDescription)")
        }
    }

    private static let spinner: [Character] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    /// The status line of a finished attempt, with its hint.
    static func status(of attempt: TestAttempt) -> (text: String, passed: Bool) {
        let hint = attempt.outcome.hint.map { " — " + $0 } ?? ""
        return (attempt.outcome.line + hint, attempt.passed)
    }

    /// One client (and sandbox, with --sandbox) for the whole session.
    private func openHarness() async throws -> TestHarness {
        if let harness { return harness }
        let opened = try await TestHarness.open(checks.network, workspace: workspace)
        harness = opened
        return opened
    }

    // MARK: Files

    private func writeHAR(_ entry: ExchangeLog.Entry, name: String) -> String {
        let path = Self.fileInCurrentFolder(name, suffix: "-attempt-\(entry.number).har")
        do {
            try HARDocument.write(entry, toFile: path)
            let count = entry.exchangeCount
            return "Wrote \(path) (\(count) exchange\(count == 1 ? "" : "s"); secrets as fingerprints)."
        } catch {
            return "HAR file not written: \(error)"
        }
    }

    private func export(_ saved: StoredConnection) -> (text: String, tone: Tone) {
        guard let schema = connector(saved.connector) else {
            return Self.missingConnector(saved)
        }
        let path = Self.fileInCurrentFolder(saved.name, suffix: ".connection.json")
        do {
            let text = try CeligoDocument.json(connection: saved, schema: schema)
            try (text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return ("Exported “\(saved.name)” to \(path) (secrets as ******).", .success)
        } catch {
            return ("Cannot export “\(saved.name)”: \(error.localizedDescription)", .failure)
        }
    }

    private func delete(_ saved: StoredConnection) -> (text: String, tone: Tone) {
        do {
            try workspace.guarded { try workspace.store.delete(named: saved.name) }
        } catch let failure as CLIFailure {
            return ("Not deleted: " + failure.message, .failure)
        } catch {
            return ("Not deleted: \(error)", .failure)
        }
        ExchangeLog(home: workspace.home).remove(saved.id)
        let borrowers = ((try? workspace.store.all()) ?? []).filter { $0.refers(to: saved.id) }
        let note = borrowers.isEmpty ? "" : " " + borrowers.map { "“\($0.name)”" }.joined(separator: ", ") + " referred to it; edit to choose another."
        return ("Deleted “\(saved.name)” and its secrets." + note, .normal)
    }

    /// What the list says of a connection whose connector file is gone.
    static func missingConnector(_ saved: StoredConnection) -> (text: String, tone: Tone) {
        ("The connector “\(saved.connector)” of “\(saved.name)” is not installed.", .failure)
    }

    /// `<current folder>/<name as a file name><suffix>`.
    static func fileInCurrentFolder(_ name: String, suffix: String) -> String {
        var stem = String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
        while stem.contains("--") { stem = stem.replacingOccurrences(of: "--", with: "-") }
        stem = stem.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return FileManager.default.currentDirectoryPath + "/" + (stem.isEmpty ? "connection" : stem) + suffix
    }

    // MARK: Data

    private func rows() throws -> [ConnectionsScreen.Row] {
        let titles = Dictionary(listing().summaries.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        return try workspace.guarded { try workspace.store.all() }.map { connection in
            ConnectionsScreen.Row(id: connection.id, name: connection.name, application: titles[connection.connector] ?? connection.connector,
                                  lastTestPassed: connection.lastTest?.passed, lastTestStatus: connection.lastTest?.status,
                                  lastTestAt: connection.lastTest.map { Output.date($0.at) })
        }
    }

    private func connection(id: String, on screen: inout ConnectionsScreen) throws -> StoredConnection? {
        if let found = try workspace.guarded({ try workspace.store.all() }).first(where: { $0.id == id }) { return found }
        screen.message = ("That connection is gone (deleted elsewhere?).", .failure)
        screen.update(rows: try rows())
        return nil
    }

    private func newForm(_ schema: ConnectorSchema) throws -> FormState {
        FormState(schema: schema, context: FormContext(mode: .create, savedConnections: try workspace.savedForForms()))
    }

    /// The connector summaries, read once; problems of user files are printed at the end, as
    /// standard error cannot be written while the screen is drawn.
    private func listing() -> ConnectorIndex.Listing {
        if let connectorListing { return connectorListing }
        let listing = ConnectorIndex(home: workspace.home).listing()
        farewell += listing.diagnostics.map(Workspace.line(for:))
        connectorListing = listing
        return listing
    }

    private func connector(_ id: String) -> ConnectorSchema? {
        ConnectorIndex(home: workspace.home).schema(id, listing: listing())
    }

    // MARK: Terminal

    /// Draws one frame at the terminal's current size.
    private func show(_ draw: (inout CellBuffer) -> Void) {
        let size = driver.size
        var buffer = CellBuffer(width: max(1, size.width), height: max(1, size.height))
        draw(&buffer)
        driver.present(buffer)
        if !framed {
            framed = true
            TraceClock.mark("first frame")
        }
    }

    /// Draws, then waits for a key for the screen. A resize only redraws; Ctrl-L redraws
    /// everything.
    ///
    /// Keys are read with a short timeout rather than blocking: this code runs on a
    /// cooperative thread, and SIGWINCH is delivered to whichever thread the kernel picks, so
    /// a blocked read might never be woken to report the resize. Each read notices it.
    /// A terminal whose reads keep failing at once has gone away.
    private func nextKey(drawing draw: (inout CellBuffer) -> Void) throws -> Key {
        show(draw)
        while true {
            let asked = ContinuousClock.now
            guard let key = driver.nextKey(timeout: 100) else {
                if ContinuousClock.now - asked < .milliseconds(5) {
                    emptyReads += 1
                    if emptyReads > 200 { throw CLIFailure.failed("the terminal went away; nothing more was saved") }
                } else {
                    emptyReads = 0
                }
                continue
            }
            emptyReads = 0
            // While the screen asks to be enlarged, keys it does not show act on nothing;
            // Ctrl-C still leaves.
            if driver.size.isTooSmall && key != .control("c") && key != .resize { continue }
            switch key {
            case .resize:
                show(draw)
            case .control("l"):
                (driver as? NCursesDriver)?.invalidate()
                show(draw)
            default:
                return key
            }
        }
    }
}

/// A value set by one task and read by another without waiting.
final class LockedSlot<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?

    func set(_ new: Value) { lock.lock(); value = new; lock.unlock() }
    func get() -> Value? { lock.lock(); defer { lock.unlock() }; return value }
}
