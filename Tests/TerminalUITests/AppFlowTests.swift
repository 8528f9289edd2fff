import Connections
import ConnectorSchema
import Foundation
import FormEngine
import Testing
import TestSupport
@testable import TerminalUI

/// Services that keep a few connections in memory and answer at once: no store, no log
/// files, no network. Every call is recorded, so a test can say what the flow asked for.
final class FakeAppServices: AppServices, @unchecked Sendable {
    struct Saved {
        var row: ConnectionsScreen.Row
        var values: [String: FieldValue]
        var attempts: [Int] = []
    }

    let schema: ConnectorSchema

    init(connector: String = "celigo-integrator-io") {
        schema = ConnectorCatalog.builtin().connector(connector)!
    }
    private let lock = NSLock()
    private var saved: [Saved] = []
    private var draftAttempts: [String: [Int]] = [:]
    private(set) var calls: [String] = []
    /// Whether a sign-in succeeds.
    var signInPasses = true

    func add(id: String, name: String) {
        locked { saved.append(Saved(row: ConnectionsScreen.Row(id: id, name: name, application: "Celigo integrator.io"),
                                    values: ["name": .string(name), "region": .string("europe"), "token": .string("tok")])) }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func record(_ call: String) { locked { calls.append(call) } }
    private func find(_ id: String) -> Saved? { locked { saved.first { $0.row.id == id } } }

    func connectionRows() throws -> [ConnectionsScreen.Row] { locked { saved.map(\.row) } }
    func applications() -> [ApplicationListScreen.Item] {
        [ApplicationListScreen.Item(id: schema.id, title: schema.title, category: schema.category, description: schema.description)]
    }
    func connectorNotes() -> [String] { ["skipped connector file: broken.yaml:1:1: error: not YAML"] }
    func newForm(connector: String) throws -> FormState? {
        connector == schema.id ? FormState(schema: schema, context: FormContext(mode: .create)) : nil
    }
    func editForm(id: String) throws -> Lookup<FormState> {
        guard let found = find(id) else { return .gone }
        return .found(FormState(schema: schema, context: FormContext(mode: .edit(connectionID: id)), prefill: found.values))
    }
    func signInTarget(id: String) throws -> Lookup<SignInTarget> {
        find(id).map { .found(SignInTarget(id: id, name: $0.row.name, offersDevice: false)) } ?? .gone
    }
    func latestLog(id: String) throws -> Lookup<(name: String, latest: LogReference?)> {
        guard let found = find(id) else { return .gone }
        return .found((found.row.name, found.attempts.last.map { LogReference(key: id, number: $0, name: found.row.name) }))
    }
    func usable(id: String) throws -> Lookup<String> { find(id).map { .found($0.row.name) } ?? .gone }
    func export(id: String, toFile path: String) throws -> Lookup<String> {
        record("export \(id) \(path)")
        return try usable(id: id)
    }
    func delete(id: String) throws -> Lookup<DeletedConnection> {
        guard let found = find(id) else { return .gone }
        record("delete \(id)")
        locked { saved.removeAll { $0.row.id == id } }
        return .found(DeletedConnection(name: found.row.name, line: "Deleted “\(found.row.name)”.", borrowerNote: nil))
    }
    func discard(_ form: FormState) { record("discard") }
    func formLog(_ test: TestReport, name: String) -> LogReference? { LogReference(key: test.logKey, number: test.attempt, name: name) }
    func logScreen(_ log: LogReference) throws -> ViewLogScreen {
        record("log \(log.key) \(log.number)")
        let item = ViewLogScreen.Item(method: "GET", path: "/v1/tokenInfo", result: "200 OK", time: "5 ms", failed: false)
        return ViewLogScreen(title: "View log › \(log.name) · attempt \(log.number)" + (log.note.map { " · " + $0 } ?? ""),
                             status: ("Test succeeded: 200 OK", true), items: [item], detail: { _ in ["GET /v1/tokenInfo HTTP/1.1"] })
    }
    func attemptRows(_ log: LogReference) -> [AttemptListScreen.Row] {
        attempts(log.key).map { AttemptListScreen.Row(number: $0, started: "12:00:0\($0)", outcome: "Test succeeded", passed: true, exchanges: 1) }
    }
    func attempt(_ number: Int, beside log: LogReference) -> LogReference? {
        attempts(log.key).contains(number) ? LogReference(key: log.key, number: number, name: log.name) : nil
    }
    private func attempts(_ key: String) -> [Int] { locked { draftAttempts[key] ?? saved.first { $0.row.id == key }?.attempts ?? [] } }
    func writeSignInAddress(_ address: String, name: String) -> String { "Wrote the address." }
    func writeHAR(_ log: LogReference, toFile path: String) throws -> Int {
        record("har \(log.key) \(log.number) \(path)")
        return 1
    }
    func formStartEvents(_ action: FormAction, draft: ConnectionDraft, form: FormState) -> [FormEvent] {
        action == .test ? [.testStarted] : []
    }
    func runForm(_ action: FormAction, draft: ConnectionDraft, form: FormState) async throws -> FormRun {
        record("\(action) \(draft.values["name"]?.text ?? "")")
        let name = draft.values["name"]?.text ?? ""
        switch action {
        case .test:
            let number = locked { () -> Int in
                draftAttempts["draft-1", default: []].append((draftAttempts["draft-1"]?.count ?? 0) + 1)
                return draftAttempts["draft-1"]!.count
            }
            return FormRun(events: [.tested(TestReport(result: .passed, line: "Test succeeded: 200 OK", logKey: "draft-1", attempt: number,
                                                       at: Date(timeIntervalSince1970: 0), values: draft.values))])
        case .save, .saveAndAuthorize:
            let id: String
            if case .edit(let editing) = form.context.mode { id = editing } else { id = "c\(locked { saved.count } + 1)" }
            let created = find(id) == nil
            locked {
                saved.removeAll { $0.row.id == id }
                saved.append(Saved(row: ConnectionsScreen.Row(id: id, name: name, application: schema.title, lastTestPassed: true),
                                   values: draft.values, attempts: draftAttempts.removeValue(forKey: "draft-1") ?? []))
            }
            return FormRun(events: [.saved(id: id)],
                           saved: FormRun.Saved(id: id, name: name, created: created, lines: ["Saved connection “\(name)”."],
                                                signsIn: action == .saveAndAuthorize ? SignInTarget(id: id, name: name, offersDevice: false) : nil))
        }
    }
    func testSaved(id: String) async throws -> StatusLine {
        record("test \(id)")
        guard find(id) != nil else { throw AppFailure.gone }
        locked {
            if let index = saved.firstIndex(where: { $0.row.id == id }) {
                saved[index].attempts.append(saved[index].attempts.count + 1)
                saved[index].row.lastTestPassed = true
            }
        }
        return StatusLine(text: "Test succeeded: 200 OK", passed: true)
    }
    func signIn(id: String, method: AuthorizeOptions.Method, timeout: Int, pasted: AsyncStream<String>,
                progress: @escaping @Sendable (AuthorizationProgress) -> Void) async throws -> SignInResult {
        record("sign in \(id) \(method)")
        progress(.exchanging)
        return signInPasses ? SignInResult(line: "Authorized, and the test succeeded: 200 OK", hint: nil, signedIn: true, passed: true)
                            : SignInResult(line: "Not authorized: access_denied", hint: nil, signedIn: false, passed: false)
    }
}

/// A session of the flow alone: keys in, effects run at once on the fake services (a task's
/// progress, then its end, go back as events), the screen on top drawn after every key.
final class FlowSession {
    var flow: AppFlow
    let services: FakeAppServices
    private(set) var screens: [String] = []
    private(set) var copied: [String] = []
    var now: UInt64 = 1_000

    init(_ start: FullScreenApp.Start, services: FakeAppServices = FakeAppServices()) throws {
        self.services = services
        flow = try AppFlow(start: start, services: services, settings: AppFlow.Settings(outputFolder: "/out"))
        draw()
    }

    var screen: String { screens.last ?? "" }

    func press(_ keys: Key...) async throws {
        for key in keys {
            try await perform(flow.key(key, height: 30, now: now))
            now += 10
            draw()
        }
    }

    func type(_ text: String) async throws {
        for character in text { try await press(.character(character)) }
    }

    private func perform(_ effects: [AppEffect]) async throws {
        for effect in effects {
            switch effect {
            case .start(let work):
                let progress = Locked<[AppEvent]>([])
                let (pasted, _) = AsyncStream.makeStream(of: String.self)
                let end = await work.run(on: services, signInTimeout: 5, pasted: pasted) { event in progress.mutate { $0.append(event) } }
                draw()   // the spinner while it runs
                for event in progress.get() + [end] { try await perform(flow.receive(event, now: now)) }
            case .cancel: break
            case .copy(let text): copied.append(text)
            case .paste: break
            }
        }
    }

    private func draw() {
        guard !flow.isOver else { return }
        var buffer = CellBuffer(width: 100, height: 30)
        flow.render(into: &buffer, now: now)
        screens.append(buffer.lines.joined(separator: "\n"))
    }
}

@Suite("The full screen's flow, over fake services")
struct AppFlowTests {
    @Test func createTestViewTheLogSaveAndQuit() async throws {
        let session = try FlowSession(.connections)
        #expect(session.screen.contains("No connections yet") || session.screen.contains("Connections"))
        try await session.press(.character("n"))
        #expect(session.screen.contains("Celigo integrator.io"))
        try await session.press(.enter)
        try await session.type("IO EU")
        try await session.press(.enter, .down, .enter)
        try await session.type("tok-europe")
        try await session.press(.enter)
        try await session.press(.character("t"))
        #expect(session.screens.contains { $0.contains("Testing") }, "the spinner was drawn while the test ran")
        #expect(session.screen.contains("Test succeeded: 200 OK"))
        try await session.press(.character("l"))
        #expect(session.screen.contains("View log › IO EU · attempt 1"))
        #expect(session.screen.contains("/v1/tokenInfo"))
        try await session.press(.escape)
        try await session.press(.character("s"))
        #expect(session.screen.contains("Saved “IO EU”."))
        #expect(session.screen.contains("IO EU"), "the list shows the new connection")
        try await session.press(.character("q"))
        #expect(session.flow.ending == .left)
        #expect(session.services.calls == ["test IO EU", "log draft-1 1", "save IO EU"])
        #expect(session.flow.farewell == ["skipped connector file: broken.yaml:1:1: error: not YAML", "Saved connection “IO EU”."])
        #expect(!session.screens.joined().contains("tok-europe"), "the token was never drawn")
    }

    @Test func aFormStartedAloneEndsSavedWhenItIsSaved() async throws {
        let services = FakeAppServices()
        let form = try #require(try services.newForm(connector: services.schema.id))
        let session = try FlowSession(.form(form), services: services)
        try await session.type("IO NA")
        try await session.press(.enter, .enter)
        try await session.type("tok")
        try await session.press(.enter, .character("s"))
        #expect(session.flow.ending == .saved(id: "c1", name: "IO NA"))
    }

    @Test func testTheLogOfASavedConnectionAndItsAttempts() async throws {
        let services = FakeAppServices()
        services.add(id: "c1", name: "IO EU")
        let session = try FlowSession(.connections, services: services)
        try await session.press(.character("l"))
        #expect(session.screen.contains("“IO EU” has not been tested yet; press t to test it."))
        try await session.press(.character("t"))
        #expect(session.screen.contains("Test succeeded: 200 OK · l shows the log"))
        try await session.press(.character("t"))
        try await session.press(.character("l"))
        #expect(session.screen.contains("View log › IO EU · attempt 2"))
        try await session.press(.character("a"))
        #expect(session.screen.contains("View log › IO EU › Attempts"))
        try await session.press(.down, .enter)
        #expect(session.screen.contains("View log › IO EU · attempt 1"), "the chosen attempt replaced the View log")
        try await session.press(.escape)
        #expect(session.screen.contains("Connections"))
        #expect(services.calls == ["test c1", "test c1", "log c1 2", "log c1 1"])
    }

    @Test func saveAndAuthorizeSignsInThenComesBackToTheList() async throws {
        let session = try FlowSession(.connections, services: FakeAppServices(connector: "certinia"))
        try await session.press(.character("n"), .enter)
        try await session.type("IO EU")
        try await session.press(.enter, .character("1"), .enter, .character("1"), .enter)
        try await session.type("sbx-client")
        try await session.press(.enter)
        try await session.type("sbx-secret")
        try await session.press(.enter)
        try await session.press(.character("a"))
        #expect(session.screen.contains("Authorized, and the test succeeded: 200 OK"))
        try await session.press(.enter)
        #expect(session.screen.contains("Saved “IO EU”."))
        #expect(session.services.calls == ["saveAndAuthorize IO EU", "sign in c1 browser(openBrowser: true)"])
        #expect(session.flow.farewell.suffix(2) == ["Saved connection “IO EU”.", "Authorized “IO EU”: its tokens are stored, encrypted."])
    }

    @Test func authorizeFromTheListSaysWhenItFails() async throws {
        let services = FakeAppServices()
        services.add(id: "c1", name: "IO EU")
        services.signInPasses = false
        let session = try FlowSession(.connections, services: services)
        try await session.press(.character("a"))
        #expect(session.screen.contains("Not authorized: access_denied"))
        try await session.press(.escape)
        #expect(session.screen.contains("Connections"))
        #expect(session.flow.farewell == ["“IO EU” was not authorized: Not authorized: access_denied"])
    }

    @Test func editDeleteExportAndQuit() async throws {
        let services = FakeAppServices()
        services.add(id: "c1", name: "IO EU")
        services.add(id: "c2", name: "IO NA")
        let session = try FlowSession(.connections, services: services)
        try await session.press(.enter)
        #expect(session.screen.contains("Edit connection › Celigo integrator.io"))
        try await session.press(.enter, .enter)
        try await session.type("tok")
        try await session.press(.enter, .character("s"))
        #expect(session.screen.contains("Updated “IO EU”."))
        try await session.press(.character("x"))
        try await session.press(.enter)
        #expect(session.screen.contains("Exported"))
        try await session.press(.character("d"), .character("y"))
        #expect(session.screen.components(separatedBy: "IO EU").count == 2, "only the line that says it was deleted names it")
        try await session.press(.character("q"))
        #expect(session.flow.ending == .left)
        #expect(services.calls == ["save IO EU", "export c1 /out/io-eu.connection.json", "delete c1"])
        #expect(session.flow.farewell == ["Saved connection “IO EU”.", "Exported connection “IO EU” to /out/io-eu.connection.json.",
                                          "Deleted connection “IO EU”."])
    }

    @Test func aConnectionDeletedElsewhereIsSaidGoneForEveryAction() async throws {
        for key in ["e", "t", "a", "l", "x", "d"] as [Character] {
            let services = FakeAppServices()
            services.add(id: "c1", name: "IO EU")
            let session = try FlowSession(.connections, services: services)
            _ = try services.delete(id: "c1")
            try await session.press(.character(key))
            if key == "d" { try await session.press(.character("y")) }
            #expect(session.screen.contains("That connection is gone (deleted elsewhere?)."), "\(key)")
            #expect(session.flow.stack.count == 1, "\(key): nothing opened")
        }
    }

    @Test func leavingANewFormDiscardsItAndEscReturnsToTheList() async throws {
        let session = try FlowSession(.connections)
        try await session.press(.character("n"), .enter)
        try await session.type("Draft")
        try await session.press(.control("c"), .control("c"))
        #expect(session.screen.contains("Connections"), "Ctrl-C closed the panel and the list it came from")
        #expect(session.services.calls == ["discard"])
        try await session.press(.character("n"), .escape)
        #expect(session.screen.contains("Connections"))
        try await session.press(.control("c"))
        #expect(session.flow.ending == .left)
    }
}
