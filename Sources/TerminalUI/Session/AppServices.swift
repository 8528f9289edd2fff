import Connections
import ConnectorSchema
import FormEngine

/// What the full screen asks of the rest of the program, in the terms its screens show.
///
/// `AppFlow` reaches the store, the log and the network only through this: the real one is
/// `LiveAppServices` over `ConnectionUseCases`; the flow's tests give a fake with no store and
/// no network. Connections are named by id; the services find them and their connectors.
public protocol AppServices: Sendable {
    /// The Connections rows, each with its state (tested, needs authorization, borrowers).
    func connectionRows() throws -> [ConnectionsScreen.Row]
    /// The applications a connection can be made for.
    func applications() -> [ApplicationListScreen.Item]
    /// Lines to print once the terminal is given back (connector files skipped or warned about).
    func connectorNotes() -> [String]
    /// The form of a new connection of application `connector`; nil when it is unknown.
    func newForm(connector: String) throws -> FormState?
    /// The form that edits connection `id`.
    func editForm(id: String) throws -> Lookup<FormState>
    /// The connection `id` as a sign-in names it, when it can sign in with a browser.
    func signInTarget(id: String) throws -> Lookup<SignInTarget>
    /// The name of connection `id` and its latest logged attempt (nil when it has none).
    func latestLog(id: String) throws -> Lookup<(name: String, latest: LogReference?)>
    /// The name of connection `id` when it can be acted on (its connector is there).
    func usable(id: String) throws -> Lookup<String>
    /// Writes connection `id`'s integrator.io document to `path`; returns its name.
    func export(id: String, toFile path: String) throws -> Lookup<String>
    /// Deletes connection `id`.
    func delete(id: String) throws -> Lookup<DeletedConnection>
    /// Forgets what a discarded form left behind (the logs of its tests).
    func discard(_ form: FormState)
    /// The logged attempt of a form's last test.
    func formLog(_ test: TestReport, name: String) -> LogReference?
    /// The View log of a logged attempt; it reads the exchanges only as they are shown.
    func logScreen(_ log: LogReference) throws -> ViewLogScreen
    /// The attempts kept beside `log`, oldest first.
    func attemptRows(_ log: LogReference) -> [AttemptListScreen.Row]
    /// Another kept attempt of the same connection or draft.
    func attempt(_ number: Int, beside log: LogReference) -> LogReference?
    /// Writes a sign-in's address to a file for the operator to copy; returns the line to show.
    func writeSignInAddress(_ address: String, name: String) -> String
    /// Writes a logged attempt as a HAR file; returns how many exchanges it holds.
    func writeHAR(_ log: LogReference, toFile path: String) throws -> Int

    /// What a form hears at once when one of its actions starts (that a test began).
    func formStartEvents(_ action: FormAction, draft: ConnectionDraft, form: FormState) -> [FormEvent]
    /// Runs a form's test or save.
    func runForm(_ action: FormAction, draft: ConnectionDraft, form: FormState) async throws -> FormRun
    /// Tests saved connection `id`: the status line and whether it passed.
    func testSaved(id: String) async throws -> StatusLine
    /// Signs connection `id` in; `progress` hears each step.
    func signIn(id: String, method: AuthorizeOptions.Method, timeout: Int, pasted: AsyncStream<String>,
                progress: @escaping @Sendable (AuthorizationProgress) -> Void) async throws -> SignInResult
}

/// A connection looked up by id: found, deleted meanwhile, or there but not usable (its
/// connector is missing, it cannot sign in), with the line that says why.
public enum Lookup<Value> {
    case found(Value)
    case gone
    case unusable(String, Tone)

    /// `transform`'s lookup of what was found; gone and unusable stay as they are.
    public func then<Other>(_ transform: (Value) throws -> Lookup<Other>) rethrows -> Lookup<Other> {
        switch self {
        case .found(let value): return try transform(value)
        case .gone: return .gone
        case .unusable(let line, let tone): return .unusable(line, tone)
        }
    }
}

/// A connection about to sign in.
public struct SignInTarget: Sendable, Equatable {
    public var id: String
    public var name: String
    /// Whether a browser sign-in may switch to the device flow (`d`).
    public var offersDevice: Bool

    public init(id: String, name: String, offersDevice: Bool) {
        self.id = id
        self.name = name
        self.offersDevice = offersDevice
    }
}

/// A logged attempt: the key its attempts are kept under (a connection's id, a draft's id),
/// its number, and how it is named on screen.
public struct LogReference: Sendable, Equatable {
    public var key: String
    public var number: Int
    public var name: String
    /// Said after the title (that the answers changed since this test).
    public var note: String?

    public init(key: String, number: Int, name: String, note: String? = nil) {
        self.key = key
        self.number = number
        self.name = name
        self.note = note
    }
}

/// A deleted connection, as the list and the farewell say it.
public struct DeletedConnection: Sendable, Equatable {
    public var name: String
    public var line: String
    /// Who borrowed its concurrency and now has their own.
    public var borrowerNote: String?

    public init(name: String, line: String, borrowerNote: String?) {
        self.name = name
        self.line = line
        self.borrowerNote = borrowerNote
    }
}

/// A form's test or save, finished: what the form hears, and the save if there was one.
public struct FormRun: Sendable {
    public var events: [FormEvent]
    public var saved: Saved?

    /// A saved connection, as the list and the farewell say it.
    public struct Saved: Sendable, Equatable {
        public var id: String
        public var name: String
        public var created: Bool
        /// Printed after the session (saved, and notes such as tokens dropped).
        public var lines: [String]
        public var savedDespiteFailedTest: Bool
        /// It signs in next (Save & authorize).
        public var signsIn: SignInTarget?

        public init(id: String, name: String, created: Bool, lines: [String], savedDespiteFailedTest: Bool = false,
                    signsIn: SignInTarget? = nil) {
            self.id = id
            self.name = name
            self.created = created
            self.lines = lines
            self.savedDespiteFailedTest = savedDespiteFailedTest
            self.signsIn = signsIn
        }
    }

    public init(events: [FormEvent], saved: Saved? = nil) {
        self.events = events
        self.saved = saved
    }
}

/// A finished test as a status line says it.
public struct StatusLine: Sendable, Equatable {
    public var text: String
    public var passed: Bool

    public init(text: String, passed: Bool) {
        self.text = text
        self.passed = passed
    }
}

/// How a sign-in ended.
public struct SignInResult: Sendable, Equatable {
    public var line: String
    public var hint: String?
    public var signedIn: Bool
    /// Signed in and its test passed.
    public var passed: Bool

    public init(line: String, hint: String?, signedIn: Bool, passed: Bool) {
        self.line = line
        self.hint = hint
        self.signedIn = signedIn
        self.passed = passed
    }
}
