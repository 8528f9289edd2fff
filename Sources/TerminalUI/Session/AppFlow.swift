import Connections
import FormEngine
import Foundation

/// The full screen's navigation as a value: the stack of open screens, the work that runs,
/// and how the session ends (decision D52).
///
/// A key or a task's result goes in; the screens change, and what must happen beyond them
/// comes out as `AppEffect`s (start a task, cancel it, copy, paste). Quick questions (the
/// Connections rows, a form, a log) go to the injected `AppServices`; the flow touches no
/// terminal, file or network itself, so its tests run whole sessions over fake services.
/// Times (`now`) are the loop's milliseconds, passed in.
public struct AppFlow {
    /// What the flow needs to know of the session's options.
    public struct Settings: Sendable {
        /// Where export and HAR files are written, and relative paths are taken from.
        public var outputFolder: String
        /// How a sign-in goes: a browser (opened or not) or a device.
        public var signIn: AuthorizeOptions.Method
        /// Seconds a sign-in waits for the browser or the device.
        public var signInTimeout: Int

        public init(outputFolder: String, signIn: AuthorizeOptions.Method = .browser(openBrowser: true), signInTimeout: Int = 300) {
            self.outputFolder = outputFolder
            self.signIn = signIn
            self.signInTimeout = signInTimeout
        }
    }

    /// A screen open on the stack, with what the flow keeps beside it.
    enum OpenScreen {
        case connections(ConnectionsScreen)
        case applications(ApplicationListScreen)
        case panel(ConnectionPanelScreen)
        case viewLog(ViewLogScreen, LogReference)
        /// The kept attempts of the log below it.
        case attempts(AttemptListScreen, LogReference)
        /// A sign-in; `after` is the save it follows, told to the screen below when it closes.
        case authorize(AuthorizeScreen, SignInTarget, after: FormRun.Saved?)

        /// The screen itself, for what every screen does alike.
        var screen: any Screen {
            switch self {
            case .connections(let screen): return screen
            case .applications(let screen): return screen
            case .panel(let screen): return screen
            case .viewLog(let screen, _): return screen
            case .attempts(let screen, _): return screen
            case .authorize(let screen, _, _): return screen
            }
        }
    }

    /// Work in progress: when it started (for the spinner) and whether it is being stopped.
    struct Running {
        var started: UInt64
        var cancelling = false
    }

    let services: any AppServices
    let settings: Settings
    var stack: [OpenScreen] = []
    /// How the session ended, once it has.
    public internal(set) var ending: FullScreenApp.Ending?
    /// Lines to print once the terminal is given back: what was saved, deleted or exported,
    /// and problems of connector files.
    public internal(set) var farewell: [String] = []
    /// A connection was saved with `--save-anyway` although its test failed.
    public internal(set) var savedAfterFailedTest = false
    var running: Running?
    /// When the browser sign-in on screen gives up, in the loop's milliseconds.
    var signInDeadline: UInt64?
    /// The browser sign-in was stopped for `d`: the same connection signs in with a code next.
    var switchingToDevice = false
    private var notedConnectorFiles = false

    public init(start: FullScreenApp.Start, services: any AppServices, settings: Settings) throws {
        self.services = services
        self.settings = settings
        switch start {
        case .connections: stack = [.connections(ConnectionsScreen(rows: try services.connectionRows()))]
        case .applications: stack = [.applications(ApplicationListScreen(items: applications()))]
        case .form(let form): stack = [.panel(ConnectionPanelScreen(form: form))]
        }
    }

    /// Whether the session is over (it ended, or its last screen closed).
    public var isOver: Bool { ending != nil || stack.isEmpty }
    /// Whether a task runs.
    public var isRunning: Bool { running != nil }
    /// Whether the screen on top is a sign-in, which takes keys while its task runs.
    var signingIn: Bool { if case .authorize? = stack.last { return true } else { return false } }

    /// Whether `key` would act on the screen on top (see `Screen.keyActs`).
    public func keyActs(_ key: Key) -> Bool { stack.last?.screen.keyActs(key) ?? false }
    /// Changes when the screen on top shows a new step.
    public var stepMark: AnyHashable { stack.last.map { $0.screen.stepMark } ?? AnyHashable(0) }
    /// The panel on top, for the loop to rehearse its step while it waits for a key.
    public var panelOnTop: ConnectionPanelScreen? { if case .panel(let panel)? = stack.last { return panel } else { return nil } }

    /// The application list, noting problems of connector files for the end.
    mutating func applications() -> [ApplicationListScreen.Item] {
        if !notedConnectorFiles {
            notedConnectorFiles = true
            farewell += services.connectorNotes()
        }
        return services.applications()
    }

    // MARK: Keys

    /// Hands `key` to the screen on top and acts on its outcome. `height` is the terminal's,
    /// for page keys; `now` is the loop's clock, for the spinner.
    public mutating func key(_ key: Key, height: Int, now: UInt64) throws -> [AppEffect] {
        guard !stack.isEmpty else { return [] }
        if case .authorize(var screen, let target, let after) = stack[stack.count - 1] {
            // A sign-in takes keys while it waits: p pastes, Esc cancels.
            let outcome = screen.handle(key)
            replaceTop(.authorize(screen, target, after: after))
            return signInKey(outcome, screen: screen, target: target, after: after)
        }
        if let running {
            // While a task runs, only Esc and Ctrl-C mean something: stop it.
            guard key == .escape || key == .control("c"), !running.cancelling else { return [] }
            self.running?.cancelling = true
            apply([.testCancelled])
            return [.cancel]
        }
        switch stack.removeLast() {
        case .authorize:
            return []   // handled above
        case .connections(var screen):
            let outcome = screen.handle(key)
            stack.append(.connections(screen))
            return try act(on: outcome, now: now)
        case .applications(var screen):
            let outcome = screen.handle(key, pageSize: max(1, height - 10))
            stack.append(.applications(screen))
            return try act(on: outcome)
        case .panel(var screen):
            // Off the stack while it changes, so the panel's text is not copied on every key (a
            // paste of a long key would cost time in the square of its length).
            let outcome = screen.handle(key)
            stack.append(.panel(screen))
            return act(on: outcome, of: screen, now: now)
        case .viewLog(var screen, let log):
            let outcome = screen.handle(key, pageSize: max(1, height - 12))
            stack.append(.viewLog(screen, log))
            act(on: outcome, log: log)
            return []
        case .attempts(var screen, let log):
            let outcome = screen.handle(key)
            stack.append(.attempts(screen, log))
            act(on: outcome, log: log)
            return []
        }
    }

    // MARK: Drawing

    /// Draws the screen on top, with the spinner of the work that runs.
    public mutating func render(into buffer: inout CellBuffer, now: UInt64) {
        guard !stack.isEmpty else { return }
        let spinner = running.map { Self.spinnerFrame(since: $0.started, now: now) }
        switch stack.removeLast() {
        case .connections(var screen):
            let shown = screen
            if let spinner, let running {
                screen.message = ("\(spinner.frame) " + (running.cancelling ? "Cancelling the test…" : "Testing… \(spinner.elapsed) · Esc cancels"), .strong)
            }
            screen.render(into: &buffer)
            stack.append(.connections(shown))
        case .applications(var screen):
            screen.render(into: &buffer)
            stack.append(.applications(screen))
        case .panel(var screen):
            screen.spinner = spinner
            screen.render(into: &buffer)
            stack.append(.panel(screen))
        case .viewLog(var screen, let log):
            screen.render(into: &buffer)
            stack.append(.viewLog(screen, log))
        case .attempts(var screen, let log):
            screen.render(into: &buffer)
            stack.append(.attempts(screen, log))
        case .authorize(var screen, let target, let after):
            if let deadline = signInDeadline, running != nil, case .browser = screen.phase {
                screen.secondsLeft = Int((max(deadline, now) - now + 999) / 1000)
            } else {
                screen.secondsLeft = nil
            }
            screen.render(into: &buffer)
            stack.append(.authorize(screen, target, after: after))
        }
    }

    /// The spinner's frame and the time since `started`, in tenths of seconds.
    static func spinnerFrame(since started: UInt64, now: UInt64) -> (frame: Character, elapsed: String) {
        let tenths = Int((max(now, started) - started) / 100)
        return (spinner[tenths % spinner.count], "\(tenths / 10).\(tenths % 10) s")
    }

    private static let spinner: [Character] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    // MARK: The stack

    mutating func replaceTop(_ screen: OpenScreen) { stack[stack.count - 1] = screen }

    /// Changes the Connections screen, wherever it is in the stack.
    mutating func updateConnections(_ change: (inout ConnectionsScreen) -> Void) {
        guard let index = stack.firstIndex(where: { if case .connections = $0 { return true } else { return false } }),
              case .connections(var screen) = stack[index] else { return }
        change(&screen)
        stack[index] = .connections(screen)
    }

    /// The Connections rows read again, with `message` when one is given.
    mutating func refreshConnections(_ message: (String, Tone)?? = nil) {
        guard stack.contains(where: { if case .connections = $0 { return true } else { return false } }) else { return }
        let rows = (try? services.connectionRows()) ?? []
        updateConnections { screen in
            screen.update(rows: rows)
            if let message { screen.message = message }
        }
    }

    /// Tells the panel on top what happened.
    mutating func apply(_ events: [FormEvent]) {
        guard case .panel = stack.last, case .panel(var panel) = stack.removeLast() else { return }
        panel.apply(events)
        stack.append(.panel(panel))
    }

    /// Takes the screen on top away; what lies under it hears what happened. `leaving` (a
    /// discard by Ctrl-C) closes the application list the panel came from too, as a save does.
    mutating func closeTop(saved: FormRun.Saved?, leaving: Bool = false) {
        stack.removeLast()
        guard let under = stack.last else {
            ending = saved.map { .saved(id: $0.id, name: $0.name) } ?? .left
            return
        }
        switch under {
        case .applications:
            // Saving from the list, or leaving with Ctrl-C, closes the list too; Esc comes back to it.
            if saved != nil || leaving { closeTop(saved: saved) }
        case .connections:
            refreshConnections(.some(saved.map { ("\($0.created ? "Saved" : "Updated") “\($0.name)”.", .success) }))
        case .panel, .viewLog, .attempts, .authorize:
            break
        }
    }

    /// Starts `work`, noting when, so the spinner can count.
    mutating func start(_ work: AppWork, now: UInt64) -> [AppEffect] {
        running = Running(started: now)
        return [.start(work)]
    }

    /// A path typed at a question: `~` is the home folder, a relative path is taken from the
    /// folder exports go to by default.
    func resolve(_ typed: String) -> String {
        let expanded = (typed as NSString).expandingTildeInPath
        return expanded.hasPrefix("/") ? expanded : settings.outputFolder + "/" + expanded
    }
}
