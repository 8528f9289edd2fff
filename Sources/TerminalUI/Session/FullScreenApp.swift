import ConnectionCore
import Connections
import FormEngine
import Foundation

/// The full-screen front end at work: a loop that reads input, routes it to `AppFlow`, runs
/// the effects the flow gives back, and draws the screen on top.
///
/// Work that takes time (a test, a save under `--test`, a sign-in) runs as a task whose result
/// arrives in the loop's inbox and goes to the flow as an `AppEvent`. The loop talks to the
/// terminal only through `TerminalDriver`, so tests run whole sessions on a `RecordingDriver`,
/// and to the rest of the program only through `AppServices`.
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
    let services: any AppServices
    let options: Options
    /// Lines to print once the terminal is given back: what was saved, deleted or exported,
    /// and problems of connector files.
    public private(set) var farewell: [String] = []
    /// A connection was saved with `--save-anyway` although its test failed.
    public private(set) var savedAfterFailedTest = false

    private let inbox = AppInbox<AppEvent>()
    private let keys: KeyReader
    private var task: Task<Void, Never>?
    /// Where pasted sign-in addresses go while a sign-in waits.
    private var pasteBox: AsyncStream<String>.Continuation?
    private var framed = false

    private enum Input {
        case key(Key)
        case event(AppEvent)
        case tick
    }

    public init(driver: TerminalDriver, services: any AppServices, options: Options = Options()) {
        self.driver = driver
        self.services = services
        self.options = options
        keys = KeyReader(driver: driver, typeAheadGuard: options.typeAheadGuard)
    }

    /// A session over the real use cases.
    public convenience init(driver: TerminalDriver, cases: ConnectionUseCases, options: Options = Options()) {
        self.init(driver: driver, services: LiveAppServices(cases: cases, policy: options.policy, outputFolder: options.outputFolder),
                  options: options)
    }

    /// Runs the session until the operator leaves or the form it started with is saved.
    public func run(_ start: Start) async throws -> Ending {
        var flow = try AppFlow(start: start, services: services,
                               settings: AppFlow.Settings(outputFolder: options.outputFolder, signIn: options.signIn,
                                                          signInTimeout: options.signInTimeout))
        defer {
            farewell = flow.farewell
            savedAfterFailedTest = flow.savedAfterFailedTest
        }
        while !flow.isOver {
            draw(&flow)
            switch try await nextInput(flow) {
            case .key(let key):
                TraceClock.mark("key read")
                try handle(key, &flow)
                try handlePendingKeys(&flow)
                TraceClock.mark("key handled")
            case .event(let event):
                switch event {
                case .authorizing: break
                case .authorized, .formRan, .connectionTested:
                    pasteBox?.finish()
                    pasteBox = nil
                    task = nil
                }
                perform(try flow.receive(event, now: driver.milliseconds))
            case .tick:
                continue
            }
        }
        return flow.ending ?? .left
    }

    private func handle(_ key: Key, _ flow: inout AppFlow) throws {
        if !flow.isRunning || flow.signingIn, keys.typedAhead(key, acts: flow.keyActs(key)) { return }
        perform(try flow.key(key, height: driver.size.height, now: driver.milliseconds))
    }

    /// Handles the keys that are already waiting (a paste, fast typing) before the next frame,
    /// so a pasted key or JWT costs one frame, not one per character. A step change among them
    /// starts the type-ahead guard as a frame would.
    private func handlePendingKeys(_ flow: inout AppFlow) throws {
        var budget = 1 << 20
        while budget > 0, !flow.isOver, !flow.isRunning, let key = keys.pendingKey() {
            budget -= 1
            switch key {
            case .resize, .control("l"):
                if key == .control("l") { driver.invalidate() }
                return
            default:
                keys.noteStep(flow.stepMark)
                try handle(key, &flow)
            }
        }
        if !flow.isOver { keys.noteStep(flow.stepMark) }
    }

    /// Draws the screen on top; a new step starts the type-ahead guard.
    private func draw(_ flow: inout AppFlow) {
        let size = driver.size
        var buffer = CellBuffer(width: max(1, size.width), height: max(1, size.height))
        flow.render(into: &buffer, now: driver.milliseconds)
        TraceClock.mark("frame rendered")
        driver.present(buffer)
        TraceClock.mark("frame presented")
        if !framed {
            framed = true
            TraceClock.mark("first frame")
        }
        keys.noteStep(flow.stepMark)
    }

    /// The next key or event. While a task runs, keys are read between spinner frames without
    /// blocking, and the inbox is awaited in between, so the task's results arrive at once.
    private func nextInput(_ flow: AppFlow) async throws -> Input {
        while true {
            if let event = await inbox.take() { return .event(event) }
            // Keys typed while the terminal was too small are kept for when it is not.
            if !flow.isRunning, let held = keys.takeHeldKey() { return .key(held) }
            if flow.isRunning {
                if let key = driver.nextKeyWhileBusy() { return .key(key) }
                if let event = await inbox.next(within: .milliseconds(40)) { return .event(event) }
                return .tick
            }
            // While the loop waits for a key, a new panel step is rehearsed once (see
            // `ConnectionPanelScreen.rehearse`), so its first key does not pay for loading code.
            if keys.takeRehearsal(), let panel = flow.panelOnTop {
                panel.rehearse(width: driver.size.width, height: driver.size.height)
            }
            switch try keys.read() {
            case .key(let key)?: return .key(key)
            case .redraw?: return .tick
            case nil: continue
            }
        }
    }

    // MARK: Effects

    private func perform(_ effects: [AppEffect]) {
        for effect in effects {
            switch effect {
            case .start(let work): start(work)
            case .cancel: task?.cancel()
            case .copy(let text): driver.copyToClipboard(text)
            case .paste(let address): pasteBox?.yield(address)
            }
        }
    }

    /// Starts `work` as a task that posts its progress and result to the inbox.
    private func start(_ work: AppWork) {
        let (pasted, box) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(4))
        pasteBox = box
        let (services, inbox, timeout) = (self.services, self.inbox, options.signInTimeout)
        launch {
            let event = await work.run(on: services, signInTimeout: timeout, pasted: pasted) { progress in
                Task { await inbox.post(progress) }
            }
            // Progress posted just before the end is delivered first.
            await Task.yield()
            await inbox.post(event)
        }
    }

    private func launch(_ work: @escaping @Sendable () async -> Void) {
        task = Task { await work() }
    }

    /// `<folder>/<name as a file name><suffix>`.
    public static func file(in folder: String, for name: String, suffix: String) -> String {
        var stem = String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
        while stem.contains("--") { stem = stem.replacingOccurrences(of: "--", with: "-") }
        stem = stem.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return folder + "/" + (stem.isEmpty ? "connection" : stem) + suffix
    }
}
