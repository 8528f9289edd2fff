import ConnectionCore
import Connections
import ConnectorSchema
import FormEngine
import Foundation

/// The full-screen front end at work: one loop draws the screen on top, takes the next key or
/// event, hands a key to that screen and acts on its outcome by calling the use cases.
///
/// Screens are values (a key in, an outcome out, a buffer drawn). Work that takes time (a
/// test, a save under `--test`) runs as a task whose result arrives in the loop's inbox as an
/// event; the panel's engine then gets it as a `FormEvent` and owns what the panel says. The
/// loop talks to the terminal only through `TerminalDriver`, so tests run whole sessions on
/// a `RecordingDriver`.
///
/// Keys typed ahead never act: a key that would act (Enter, a choice, `s`, `y` …) read
/// within `Options.typeAheadGuard` of a step change is dropped; text still goes into fields.
public final class FullScreenApp {
    public struct Options: Sendable {
        public var policy: SavePolicy
        /// How long after a step changes keys that would act are taken as typed ahead.
        public var typeAheadGuard: UInt64
        /// Where export and HAR files are written.
        public var outputFolder: String
        /// How Save & authorize signs in: a browser (opened or not) or a device.
        public var signIn: AuthorizeOptions.Method
        /// Seconds Save & authorize waits for the browser or the device.
        public var signInTimeout: Int

        public init(policy: SavePolicy = SavePolicy(), typeAheadGuard: UInt64 = 150,
                    outputFolder: String = FileManager.default.currentDirectoryPath,
                    signIn: AuthorizeOptions.Method = .browser(openBrowser: true), signInTimeout: Int = 300) {
            self.policy = policy
            self.typeAheadGuard = typeAheadGuard
            self.outputFolder = outputFolder
            self.signIn = signIn
            self.signInTimeout = signInTimeout
        }
    }

    /// Where the session starts.
    public enum Start {
        /// Resources › Connections.
        case connections
        /// The application list, then the panel (`connwiz new`).
        case applications
        /// The panel of this form (`connwiz new CONNECTOR`, `connwiz edit NAME`).
        case form(FormState)
    }

    /// How the session ended.
    public enum Ending: Equatable, Sendable {
        /// The form it started with (or chose) was saved as this connection.
        case saved(id: String, name: String)
        /// The operator left.
        case left
    }

    /// The terminal stopped answering (its reads keep failing at once).
    public struct TerminalGone: Error {}

    let driver: TerminalDriver
    let cases: ConnectionUseCases
    let options: Options
    let connectors: ConnectorIndex
    /// Lines to print once the terminal is given back: what was saved, deleted or exported,
    /// and problems of connector files.
    public private(set) var farewell: [String] = []
    /// A connection was saved with `--save-anyway` although its test failed.
    public private(set) var savedAfterFailedTest = false

    private let inbox = AppInbox<Event>()
    private var stack: [Screen] = []
    private var running: Running?
    private var ending: Ending?
    private var listing: ConnectorIndex.Listing?
    private var lastMark: AnyHashable?
    /// A new step was seen (by `noteStepChange`) and has not been rehearsed yet.
    private var rehearsalDue = false
    private var guardUntil: UInt64 = 0
    private var emptyReads = 0
    /// Keys read while the terminal was too small, in order.
    private var heldKeys: [Key] = []
    private var heldStart = 0
    static let maximumHeldKeys = 1 << 16
    private var framed = false
    /// Where pasted sign-in addresses go while a sign-in waits.
    private var pasteBox: AsyncStream<String>.Continuation?
    private var signInDeadline: UInt64?
    /// What the sign-in on screen signs in, to start it again as a device sign-in (`d`).
    private var signingIn: (connection: StoredConnection, schema: ConnectorSchema)?
    private var switchingToDevice = false
    private var signInFile: SignInAddressFile { SignInAddressFile(folder: options.outputFolder) }

    enum Screen {
        case connections(ConnectionsScreen)
        case applications(ApplicationListScreen)
        case panel(ConnectionPanelScreen)
        case viewLog(ViewLogScreen, OpenedLog)
        /// The kept attempts of the log below it.
        case attempts(AttemptListScreen, OpenedLog)
        /// A sign-in; `saved` is the save it follows, told to the screen below when it closes.
        case authorize(AuthorizeScreen, saved: SavedConnection?)
    }

    /// What a task posts when it ends.
    enum Event: Sendable {
        /// A test or save of the panel's draft ended.
        case formRan(FormAction, Result<FormEffectRunner.Finished, Failure>)
        case connectionTested(name: String, Result<TestRun, Failure>)
        case authorizing(AuthorizationProgress)
        case authorized(name: String, Result<AuthorizeOutcome, Failure>)
    }

    struct Failure: Error, Sendable { var message: String }

    /// The attempt a View log shows, and where it is kept.
    struct OpenedLog {
        var entry: ExchangeLog.Entry
        /// The log key its attempts are kept under (a connection's id, a draft's name).
        var key: String
        var name: String
        var note: String?
    }

    struct Running {
        var task: Task<Void, Never>
        var started: UInt64
        var cancelling = false
    }

    enum Input {
        case key(Key)
        case event(Event)
        case tick
    }

    public init(driver: TerminalDriver, cases: ConnectionUseCases, options: Options = Options()) {
        self.driver = driver
        self.cases = cases
        self.options = options
        connectors = ConnectorIndex(home: cases.store.home)
    }

    // MARK: The loop

    /// Runs the session until the operator leaves or the form it started with is saved.
    public func run(_ start: Start) async throws -> Ending {
        switch start {
        case .connections: stack = [.connections(ConnectionsScreen(rows: try rows()))]
        case .applications: stack = [.applications(applicationList())]
        case .form(let form): stack = [.panel(ConnectionPanelScreen(form: form))]
        }
        while ending == nil, !stack.isEmpty {
            draw()
            switch try await nextInput() {
            case .key(let key):
                TraceClock.mark("key read")
                try handle(key)
                try handlePendingKeys()
                TraceClock.mark("key handled")
            case .event(let event): try handle(event)
            case .tick: continue
            }
        }
        return ending ?? .left
    }

    /// Handles the keys that are already waiting (a paste, fast typing) before the next frame,
    /// so a pasted key or JWT costs one frame, not one per character. A step change among them
    /// starts the type-ahead guard as a frame would.
    private func handlePendingKeys() throws {
        var budget = 1 << 20
        while budget > 0, ending == nil, !stack.isEmpty, running == nil, !driver.size.isTooSmall,
              let key = takeHeldKey() ?? driver.waitingKey() {
            budget -= 1
            switch key {
            case .resize, .control("l"):
                if key == .control("l") { driver.invalidate() }
                return
            default:
                noteStepChange()
                try handle(key)
            }
        }
        noteStepChange()
    }

    /// The oldest key kept while the terminal was too small, once it no longer is.
    private func takeHeldKey() -> Key? {
        guard !driver.size.isTooSmall, heldStart < heldKeys.count else { return nil }
        defer {
            heldStart += 1
            if heldStart == heldKeys.count { heldKeys.removeAll(); heldStart = 0 }
        }
        return heldKeys[heldStart]
    }

    /// While the loop waits for a key, a panel step is rehearsed once (see
    /// `ConnectionPanelScreen.rehearse`), so its first key does not pay for loading code.
    private func rehearseOnce() {
        guard rehearsalDue else { return }
        rehearsalDue = false
        guard case .panel(let screen) = stack[stack.count - 1] else { return }
        let size = driver.size
        screen.rehearse(width: size.width, height: size.height)
    }

    /// Starts the type-ahead guard when the step on top differs from the one last seen.
    private func noteStepChange() {
        guard !stack.isEmpty else { return }
        let mark = stepMark
        if mark != lastMark {
            lastMark = mark
            rehearsalDue = true
            guardUntil = driver.milliseconds + options.typeAheadGuard
        }
    }

    /// Draws the screen on top; a new step starts the type-ahead guard.
    private func draw() {
        let size = driver.size
        var buffer = CellBuffer(width: max(1, size.width), height: max(1, size.height))
        let spinner = running.map { spinnerFrame(since: $0.started) }
        switch stack[stack.count - 1] {
        case .connections(var screen):
            if let spinner, let running {
                screen.message = ("\(spinner.frame) " + (running.cancelling ? "Cancelling the test…" : "Testing… \(spinner.elapsed) · Esc cancels"), .strong)
            }
            screen.render(into: &buffer)
        case .applications(var screen):
            screen.render(into: &buffer)
            replaceTop(.applications(screen))
        case .panel(var screen):
            screen.spinner = spinner
            screen.render(into: &buffer)
            replaceTop(.panel(screen))
        case .viewLog(var screen, let opened):
            screen.render(into: &buffer)
            replaceTop(.viewLog(screen, opened))
        case .attempts(var screen, let opened):
            screen.render(into: &buffer)
            replaceTop(.attempts(screen, opened))
        case .authorize(var screen, let saved):
            if let deadline = signInDeadline, running != nil, case .browser = screen.phase {
                screen.secondsLeft = Int((max(deadline, driver.milliseconds) - driver.milliseconds + 999) / 1000)
            } else {
                screen.secondsLeft = nil
            }
            screen.render(into: &buffer)
            replaceTop(.authorize(screen, saved: saved))
        }
        TraceClock.mark("frame rendered")
        driver.present(buffer)
        TraceClock.mark("frame presented")
        if !framed {
            framed = true
            TraceClock.mark("first frame")
        }
        noteStepChange()
    }

    /// The next key or event. While a task runs, keys are read between spinner frames without
    /// blocking, and the inbox is awaited in between, so the task's results arrive at once.
    private func nextInput() async throws -> Input {
        while true {
            if let event = await inbox.take() { return .event(event) }
            // Keys typed while the terminal was too small are kept for when it is not.
            if running == nil, !driver.size.isTooSmall, let held = takeHeldKey() { return .key(held) }
            if running != nil {
                if let key = driver.nextKeyWhileBusy() { return .key(key) }
                if let event = await inbox.next(within: .milliseconds(40)) { return .event(event) }
                return .tick
            }
            rehearseOnce()
            // Keys are read with a timeout rather than blocking: SIGWINCH may land on any
            // thread, and each read notices a resize. A terminal whose reads keep failing at
            // once has gone away.
            let asked = driver.milliseconds
            guard let key = driver.nextKey(timeout: 100) else {
                if driver.milliseconds - asked < 5 {
                    emptyReads += 1
                    if emptyReads > 200 { throw TerminalGone() }
                } else {
                    emptyReads = 0
                }
                continue
            }
            emptyReads = 0
            switch key {
            case .resize:
                return .tick
            case .control("l"):
                driver.invalidate()
                return .tick
            default:
                // While the screen asks to be enlarged, keys wait for it (up to a bound); Ctrl-C
                // still leaves at once.
                if driver.size.isTooSmall && key != .control("c") {
                    if heldKeys.count - heldStart < Self.maximumHeldKeys { heldKeys.append(key) }
                    continue
                }
                return .key(key)
            }
        }
    }

    // MARK: Keys

    private func handle(_ key: Key) throws {
        if case .authorize(var screen, let saved) = stack[stack.count - 1] {
            // A sign-in takes keys while it waits: p pastes, Esc cancels.
            if running == nil, driver.milliseconds < guardUntil, screen.keyActs(key) { return }
            let outcome = screen.handle(key)
            replaceTop(.authorize(screen, saved: saved))
            switch outcome {
            case .stay: break
            case .paste(let address): pasteBox?.yield(address)
            case .copy(let address):
                driver.copyToClipboard(address)
                note(on: screen, saved: saved, "Sent the address to the terminal's clipboard (OSC 52). A terminal that does not take OSC 52 ignores it (tmux needs set-clipboard on); w writes it to a file instead.")
            case .write(let address):
                note(on: screen, saved: saved, signInFile.write(address, name: screen.name))
            case .useDevice:
                guard let running, !running.cancelling else { return }
                self.running?.cancelling = true
                switchingToDevice = true
                running.task.cancel()
            case .cancel:
                guard let running, !running.cancelling else { return }
                self.running?.cancelling = true
                running.task.cancel()
            case .done:
                stack.removeLast()
                if let saved { closeTop(saved: saved) } else { refreshConnections() }
            }
            return
        }
        if let running {
            // While a task runs, only Esc and Ctrl-C mean something: stop it.
            guard key == .escape || key == .control("c"), !running.cancelling else { return }
            self.running?.cancelling = true
            running.task.cancel()
            apply([.testCancelled])
            return
        }
        if driver.milliseconds < guardUntil && typedAheadKeyWouldAct(key) { return }
        switch stack[stack.count - 1] {
        case .authorize:
            break   // handled above, running or not
        case .connections(var screen):
            let outcome = screen.handle(key)
            replaceTop(.connections(screen))
            try act(on: outcome)
        case .applications(var screen):
            let outcome = screen.handle(key, pageSize: max(1, driver.size.height - 10))
            replaceTop(.applications(screen))
            try act(on: outcome)
        case .panel:
            // Taken off the stack while it changes, so the panel's text is not copied on every
            // key (a paste of a long key would cost time in the square of its length).
            guard case .panel(var screen) = stack.removeLast() else { return }
            let outcome = screen.handle(key)
            stack.append(.panel(screen))
            try act(on: outcome, of: screen)
        case .viewLog(var screen, let opened):
            let outcome = screen.handle(key, pageSize: max(1, driver.size.height - 12))
            switch outcome {
            case .stay:
                replaceTop(.viewLog(screen, opened))
            case .back:
                stack.removeLast()
            case .writeHAR:
                let path = Self.file(in: options.outputFolder, for: opened.name, suffix: "-attempt-\(opened.entry.number).har")
                screen.ask(PathQuestion("Write the HAR file to", default: path))
                replaceTop(.viewLog(screen, opened))
            case .writeHARTo(let typed):
                let path = resolve(typed)
                do {
                    let count = try cases.writeHAR(opened.entry, toFile: path)
                    screen.message = "Wrote \(path) (\(count) exchange\(count == 1 ? "" : "s"); secrets as fingerprints)."
                } catch {
                    screen.message = "\(error)"
                }
                replaceTop(.viewLog(screen, opened))
            case .attempts:
                replaceTop(.viewLog(screen, opened))
                let rows = cases.attempts(logKey: opened.key).map { entry in
                    AttemptListScreen.Row(number: entry.number, started: LocalTime.second(entry.attempt.startedAt),
                                          outcome: AttemptView.status(of: entry.attempt).text, passed: entry.attempt.passed,
                                          exchanges: entry.exchangeCount)
                }
                stack.append(.attempts(AttemptListScreen(title: "View log › \(opened.name) › Attempts", rows: rows, current: opened.entry.number),
                                       opened))
            }
        case .attempts(var screen, let opened):
            let outcome = screen.handle(key)
            switch outcome {
            case .stay:
                replaceTop(.attempts(screen, opened))
            case .back:
                stack.removeLast()
            case .open(let number):
                let attempts = cases.attempts(logKey: opened.key)
                guard let entry = attempts.first(where: { $0.number == number }) else {
                    replaceTop(.attempts(screen, opened))
                    return
                }
                // The chosen attempt takes the place of the View log the list was opened from.
                stack.removeLast()
                if case .viewLog? = stack.last { stack.removeLast() }
                let latest = entry.number == attempts.last?.number
                try openLog(entry, key: opened.key, count: attempts.count, name: opened.name, note: latest ? opened.note : nil)
            }
        }
    }

    /// A path typed at a question: `~` is the home folder, a relative path is taken from the
    /// folder exports go to by default.
    private func resolve(_ typed: String) -> String {
        let expanded = (typed as NSString).expandingTildeInPath
        return expanded.hasPrefix("/") ? expanded : options.outputFolder + "/" + expanded
    }

    /// Whether a key read during the type-ahead guard would act on the step. Ctrl-C is never
    /// typed by accident, so it always counts: Ctrl-C Ctrl-C leaves at once.
    private func typedAheadKeyWouldAct(_ key: Key) -> Bool {
        if key == .control("c") { return false }
        switch stack[stack.count - 1] {
        case .panel(let screen):
            return screen.keyActs(key)
        case .applications:
            // Typing filters the list; only the keys that move or choose act.
            if key.isText { return false }
            return key != .backspace
        case .connections(let screen):
            // Typing a path at a question is text; only the keys that answer it act.
            if screen.question != nil, key.isText { return false }
            return true
        case .viewLog(let screen, _):
            if screen.question != nil || screen.typing != nil, key.isText { return false }
            return true
        case .attempts:
            return true
        case .authorize(let screen, _):
            return screen.keyActs(key)
        }
    }

    private var stepMark: AnyHashable {
        switch stack[stack.count - 1] {
        case .connections(let screen):
            return AnyHashable(["connections", AnyHashable(screen.confirmingDelete), AnyHashable(screen.showingHelp), AnyHashable(screen.question?.id)])
        case .applications: return AnyHashable("applications")
        case .panel(let screen): return AnyHashable(["panel", screen.stepMark])
        case .viewLog(let screen, let opened): return AnyHashable(["log", AnyHashable(opened.entry.folder), AnyHashable(screen.question != nil)])
        case .attempts(_, let opened): return AnyHashable(["attempts", AnyHashable(opened.key)])
        case .authorize(let screen, _): return AnyHashable(["authorize", screen.stepMark])
        }
    }

    private func act(on outcome: ConnectionsScreen.Outcome) throws {
        switch outcome {
        case .stay:
            break
        case .quit:
            ending = .left
        case .create:
            updateConnections { $0.message = nil }
            stack.append(.applications(applicationList()))
        case .edit(let id):
            guard let (saved, schema) = try opened(id) else { return }
            let context = try cases.formContext(.edit(connectionID: saved.id))
            updateConnections { $0.message = nil }
            stack.append(.panel(ConnectionPanelScreen(form: FormState(schema: schema, context: context, prefill: saved.values))))
        case .test(let id):
            guard let (saved, schema) = try opened(id) else { return }
            let cases = self.cases
            start { inbox in
                let result: Result<TestRun, Failure>
                do { result = .success(try await cases.testSaved(saved, schema: schema)) } catch {
                    result = .failure(Failure(message: "Cannot test “\(saved.name)”: \(error)"))
                }
                await inbox.post(.connectionTested(name: saved.name, result))
            }
        case .authorize(let id):
            guard let (saved, schema) = try opened(id) else { return }
            do { _ = try cases.browserGrant(saved, schema: schema) } catch {
                updateConnections { $0.message = ("\(error)", .dim) }
                return
            }
            updateConnections { $0.message = nil }
            authorize(saved, schema: schema, after: nil)
        case .viewLog(let id):
            guard let saved = try connection(id: id) else { return }
            let attempts = cases.attempts(of: saved)
            guard let latest = attempts.last else {
                updateConnections { $0.message = ("“\(saved.name)” has not been tested yet; press t to test it.", .dim) }
                return
            }
            try openLog(latest, key: saved.id, count: attempts.count, name: saved.name, note: nil)
        case .export(let id):
            guard let (saved, _) = try opened(id) else { return }
            let path = Self.file(in: options.outputFolder, for: saved.name, suffix: ".connection.json")
            updateConnections { $0.ask(PathQuestion("Export “\(saved.name)” to", default: path), for: saved.id) }
        case .exportTo(let id, let typed):
            guard let (saved, schema) = try opened(id) else { return }
            let path = resolve(typed)
            do {
                try cases.export(saved, schema: schema, toFile: path)
                farewell.append("Exported connection “\(saved.name)” to \(path).")
                updateConnections { $0.message = ("Exported “\(saved.name)” to \(path) (secrets as ******).", .success) }
            } catch {
                updateConnections { $0.message = ("\(error)", .failure) }
            }
        case .delete(let id):
            guard let saved = try connection(id: id) else { return }
            do {
                let report = try cases.delete(saved)
                farewell.append("Deleted connection “\(saved.name)”.")
                if let note = report.borrowerNote { farewell.append(note) }
                let rows = try self.rows()
                updateConnections {
                    $0.update(rows: rows)
                    $0.message = (report.line + (report.borrowerNote.map { " " + $0 } ?? ""), .normal)
                }
            } catch {
                updateConnections { $0.message = ("Not deleted: \(error)", .failure) }
            }
        }
    }

    private func act(on outcome: ApplicationListScreen.Outcome) throws {
        switch outcome {
        case .stay:
            break
        case .cancelled:
            closeTop(saved: nil)
        case .chosen(let id):
            guard let schema = connector(id) else { return }
            let form = FormState(schema: schema, context: try cases.formContext(.create))
            stack.append(.panel(ConnectionPanelScreen(form: form)))
        }
    }

    private func act(on outcome: ConnectionPanelScreen.Outcome, of panel: ConnectionPanelScreen) throws {
        let form = panel.form
        switch outcome {
        case .stay:
            break
        case .cancelled, .left:
            // A discarded new connection leaves nothing behind, its test logs included.
            cases.discard(form)
            closeTop(saved: nil, leaving: outcome == .left)
        case .viewLog:
            guard let last = form.lastTest else { return }
            let attempts = cases.attempts(logKey: last.logKey)
            guard let entry = attempts.first(where: { $0.number == last.attempt }) ?? attempts.last else { return }
            try openLog(entry, key: last.logKey, count: attempts.count, name: form.currentValues[ConnectorSchema.nameField]?.text ?? "",
                        note: form.testIsStale ? "answers changed since" : nil)
        case .perform(let action, let draft):
            let runner = FormEffectRunner(cases: cases, policy: options.policy)
            apply(runner.startEvents(action, draft: draft, form: form))
            start { inbox in
                let result: Result<FormEffectRunner.Finished, Failure>
                do { result = .success(try await runner.run(action, draft: draft, form: form)) } catch {
                    result = .failure(Failure(message: "\(error)"))
                }
                await inbox.post(.formRan(action, result))
            }
        }
    }

    // MARK: Events

    private func handle(_ event: Event) throws {
        if case .authorizing(let progress) = event {
            // The sign-in goes on: only what the screen shows changes.
            guard case .authorize(var screen, let saved) = stack[stack.count - 1] else { return }
            screen.show(progress)
            if case .waitingForBrowser(let signIn) = progress {
                signInDeadline = driver.milliseconds + UInt64(max(0, signIn.deadline.timeIntervalSinceNow) * 1000)
            }
            replaceTop(.authorize(screen, saved: saved))
            return
        }
        running = nil
        switch event {
        case .authorizing:
            break
        case .authorized(let name, let result):
            pasteBox?.finish()
            pasteBox = nil
            guard case .authorize(var screen, let saved) = stack[stack.count - 1] else { return }
            let signedIn = (try? result.get())?.signedIn == true
            if switchingToDevice, !signedIn, let signingIn {
                // The browser sign-in stopped for `d`: the same connection signs in with a code.
                switchingToDevice = false
                stack.removeLast()
                authorize(signingIn.connection, schema: signingIn.schema, after: saved, method: .device)
                return
            }
            switch result {
            case .success(let outcome):
                let hint = outcome.failure == nil ? outcome.run?.attempt.outcome.hint : nil
                screen.end(outcome.line, hint: hint, passed: outcome.signedIn && outcome.run?.passed == true)
                farewell.append(outcome.signedIn ? "Authorized “\(name)”: its tokens are stored, encrypted." : "“\(name)” was not authorized: \(outcome.line)")
            case .failure(let failure):
                screen.end(failure.message, hint: nil, passed: false)
                farewell.append("“\(name)” was not authorized: \(failure.message)")
            }
            replaceTop(.authorize(screen, saved: saved))
        case .connectionTested(_, let result):
            let rows = try self.rows()
            updateConnections { screen in
                screen.update(rows: rows)
                switch result {
                case .success(let run):
                    let status = AttemptView.status(of: run.attempt)
                    screen.message = (status.text + " · l shows the log", status.passed ? .success : .failure)
                case .failure(let failure):
                    screen.message = (failure.message, .failure)
                }
            }
        case .formRan(.test, .failure(let failure)):
            apply([.testNotRun(failure.message)])
        case .formRan(_, .failure(let failure)):
            apply([.saveRefused(failure.message)])
        case .formRan(_, .success(let finished)):
            apply(finished.events)
            guard case .saveEnded(let outcome) = finished, case .saved(let saved) = outcome,
                  case .panel(let panel) = stack[stack.count - 1] else { return }
            farewell.append(saved.line(title: panel.form.schema.title))
            farewell += saved.notes
            if saved.savedDespiteFailedTest { savedAfterFailedTest = true }
            if FormEffectRunner.signInAfter(outcome, schema: panel.form.schema) != nil {
                authorize(saved.connection, schema: panel.form.schema, after: saved)
                return
            }
            closeTop(saved: saved)
        }
    }

    // MARK: Signing in

    /// Opens the sign-in screen and starts the sign-in; its progress and end arrive as events.
    private func authorize(_ connection: StoredConnection, schema: ConnectorSchema, after saved: SavedConnection?,
                           method: AuthorizeOptions.Method? = nil) {
        let method = method ?? self.options.signIn
        let offersDevice = method != .device && schema.http?.offersDeviceSignIn { connection.values[$0] } == true
        stack.append(.authorize(AuthorizeScreen(name: connection.name, offersDevice: offersDevice), saved: saved))
        signingIn = (connection, schema)
        switchingToDevice = false
        let (pasted, box) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(4))
        pasteBox = box
        signInDeadline = nil
        let options = AuthorizeOptions(method: method, timeout: self.options.signInTimeout, pasted: pasted)
        let cases = self.cases
        start { inbox in
            let result: Result<AuthorizeOutcome, Failure>
            do {
                result = .success(try await cases.authorize(connection, schema: schema, options: options) { progress in
                    Task { await inbox.post(.authorizing(progress)) }
                })
            } catch {
                result = .failure(Failure(message: "Not authorized: \(error)"))
            }
            // Progress posted just before the end is delivered first.
            await Task.yield()
            await inbox.post(.authorized(name: connection.name, result))
        }
    }

    /// Shows `text` under the sign-in's address.
    private func note(on screen: AuthorizeScreen, saved: SavedConnection?, _ text: String) {
        var screen = screen
        screen.note = text
        replaceTop(.authorize(screen, saved: saved))
    }

    private func refreshConnections() {
        let rows = (try? self.rows()) ?? []
        updateConnections { $0.update(rows: rows) }
    }

    // MARK: Screens

    /// Takes the screen on top away; what lies under it hears what happened. `leaving` (a
    /// discard by Ctrl-C) closes the application list the panel came from too, as a save does.
    private func closeTop(saved: SavedConnection?, leaving: Bool = false) {
        stack.removeLast()
        guard let under = stack.last else {
            ending = saved.map { .saved(id: $0.connection.id, name: $0.connection.name) } ?? .left
            return
        }
        switch under {
        case .applications:
            // Saving from the list, or leaving with Ctrl-C, closes the list too; Esc comes back to it.
            if saved != nil || leaving { closeTop(saved: saved) }
        case .connections:
            let rows = (try? self.rows()) ?? []
            updateConnections { screen in
                screen.update(rows: rows)
                screen.message = saved.map { ("\($0.created ? "Saved" : "Updated") “\($0.connection.name)”.", .success) }
            }
        case .panel, .viewLog, .attempts, .authorize:
            break
        }
    }

    private func openLog(_ entry: ExchangeLog.Entry, key: String, count: Int, name: String, note: String?) throws {
        do {
            stack.append(.viewLog(try AttemptView.screen(entry, count: count, note: note), OpenedLog(entry: entry, key: key, name: name, note: note)))
        } catch {
            let message = "The log of “\(name)” cannot be read: \(error.localizedDescription)"
            updateConnections { $0.message = (message, .failure) }
        }
    }

    private func start(_ work: @escaping @Sendable (AppInbox<Event>) async -> Void) {
        let inbox = self.inbox
        running = Running(task: Task { await work(inbox) }, started: driver.milliseconds)
    }

    private func apply(_ events: [FormEvent]) {
        guard case .panel = stack[stack.count - 1], case .panel(var panel) = stack.removeLast() else { return }
        panel.apply(events)
        stack.append(.panel(panel))
    }

    private func replaceTop(_ screen: Screen) { stack[stack.count - 1] = screen }

    /// Changes the Connections screen, wherever it is in the stack.
    private func updateConnections(_ change: (inout ConnectionsScreen) -> Void) {
        guard let index = stack.firstIndex(where: { if case .connections = $0 { return true } else { return false } }),
              case .connections(var screen) = stack[index] else { return }
        change(&screen)
        stack[index] = .connections(screen)
    }

    /// The spinner's frame and the time since `started`, in tenths of seconds.
    private func spinnerFrame(since started: UInt64) -> (frame: Character, elapsed: String) {
        let tenths = Int((driver.milliseconds - started) / 100)
        return (Self.spinner[tenths % Self.spinner.count], "\(tenths / 10).\(tenths % 10) s")
    }

    private static let spinner: [Character] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    // MARK: Data

    private func rows() throws -> [ConnectionsScreen.Row] {
        let titles = Dictionary(connectorListing().summaries.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        return try cases.listing(connector: connector).map { listed in
            let connection = listed.connection
            var row = ConnectionsScreen.Row(id: connection.id, name: connection.name, application: titles[connection.connector] ?? connection.connector,
                                            lastTestPassed: connection.lastTest?.passed, lastTestStatus: connection.lastTest?.status,
                                            lastTestAt: connection.lastTest.map { LocalTime.minute($0.at) })
            row.needsAuthorization = listed.needsAuthorization
            row.borrowers = listed.borrowers
            return row
        }
    }

    /// The connection `id` with its connector, or nil once the list says why it cannot be acted on.
    private func opened(_ id: String) throws -> (StoredConnection, ConnectorSchema)? {
        switch try cases.open(id: id, connector: connector) {
        case .opened(let saved, let schema): return (saved, schema)
        case .gone: try sayGone()
        case .connectorMissing(let saved): updateConnections { $0.message = (ConnectionOpening.missingLine(saved), .failure) }
        }
        return nil
    }

    private func connection(id: String) throws -> StoredConnection? {
        if let found = try cases.connection(id: id) { return found }
        try sayGone()
        return nil
    }

    /// The list, read again, says the connection acted on is gone.
    private func sayGone() throws {
        let rows = try self.rows()
        updateConnections {
            $0.message = ("That connection is gone (deleted elsewhere?).", .failure)
            $0.update(rows: rows)
        }
    }

    private func applicationList() -> ApplicationListScreen {
        ApplicationListScreen(items: connectorListing().summaries.map {
            ApplicationListScreen.Item(id: $0.id, title: $0.title, category: $0.category, description: $0.description)
        })
    }

    /// The connector summaries, read once; problems of user files are printed at the end, as
    /// standard error cannot be written while the screen is drawn.
    private func connectorListing() -> ConnectorIndex.Listing {
        if let listing { return listing }
        let read = connectors.listing()
        farewell += read.diagnostics.map { $0.severity == .error ? "skipped connector file: \($0)" : "\($0)" }
        listing = read
        return read
    }

    private func connector(_ id: String) -> ConnectorSchema? {
        connectors.schema(id, listing: connectorListing())
    }


    /// `<folder>/<name as a file name><suffix>`.
    public static func file(in folder: String, for name: String, suffix: String) -> String {
        var stem = String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
        while stem.contains("--") { stem = stem.replacingOccurrences(of: "--", with: "-") }
        stem = stem.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return folder + "/" + (stem.isEmpty ? "connection" : stem) + suffix
    }
}
