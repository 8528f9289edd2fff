import Foundation
import ConnectorSchema
import FormEngine
import Testing
@testable import TerminalUI

@Suite("Create connection panel")
struct ConnectionPanelScreenTests {
    func panel(_ id: String, saved: [FormContext.SavedConnection] = []) -> ConnectionPanelScreen {
        let schema = ConnectorCatalog.builtin().connector(id)!
        return ConnectionPanelScreen(form: FormState(schema: schema, context: FormContext(mode: .create, savedConnections: saved)))
    }

    func draw(_ screen: inout ConnectionPanelScreen, width: Int = 100, height: Int = 30) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        screen.render(into: &buffer)
        return buffer
    }

    func type(_ text: String, into screen: inout ConnectionPanelScreen) {
        for character in text { #expect(screen.handle(.character(character)) == .stay) }
    }

    @Test func celonisDataPushWithAPoolPastedAsAURL() throws {
        var screen = panel("celonis")
        type("Celonis push", into: &screen)
        _ = screen.handle(.enter)
        #expect(screen.form.currentField?.id == "apiType")
        _ = screen.handle(.character("2"))
        #expect(screen.form.value(of: "apiType") == .string("data-push"))
        type("https://acme.eu-1.celonis.cloud/home", into: &screen)
        _ = screen.handle(.enter)
        #expect(screen.form.value(of: "domain") == .string("acme.eu-1"))
        #expect(screen.form.currentField?.id == "authType")
        _ = screen.handle(.enter)
        #expect(screen.form.currentField?.id == "poolId")
        type("https://acme.eu-1.celonis.cloud/integration/ui/data-pools/pool-abc123", into: &screen)
        _ = screen.handle(.enter)
        #expect(screen.form.value(of: "poolId") == .string("pool-abc123"))
        #expect(screen.form.currentField?.kind == .secret)
        type("celonis-APPKEY-4711", into: &screen)
        let masked = draw(&screen)
        #expect(!masked.lines.joined().contains("celonis-APPKEY-4711"))
        #expect(masked.lines.contains { $0.contains("•••••••••••••••••••") })
        _ = screen.handle(.control("r"))
        #expect(draw(&screen).lines.contains { $0.contains("celonis-APPKEY-4711") })
        _ = screen.handle(.enter)
        #expect(screen.form.step == .review)
        let review = draw(&screen)
        #expect(review.lines.contains { $0.contains("pool-abc123") })
        #expect(!review.lines.joined().contains("celonis-APPKEY-4711"))
        guard case .perform(.test, let draft) = screen.handle(.character("t")) else { Issue.record("no test"); return }
        #expect(draft.values["poolId"] == .string("pool-abc123"))
        #expect(draft.values["appKey"] == .string("celonis-APPKEY-4711"))
    }

    @Test func backAlwaysWorksAndCancelAsksFirst() {
        var screen = panel("celigo-integrator-io")
        _ = screen.handle(.enter)
        #expect(screen.form.currentField?.id == "name")
        #expect(draw(&screen).lines.contains { $0.contains("✗ ") })
        type("IO", into: &screen)
        _ = screen.handle(.enter)
        _ = screen.handle(.escape)
        #expect(screen.form.currentField?.id == "name")
        _ = screen.handle(.escape)
        #expect(screen.confirmingCancel)
        #expect(screen.handle(.character("n")) == .stay)
        _ = screen.handle(.control("c"))
        // Asked by Ctrl-C, a discard leaves (the application list too).
        #expect(screen.handle(.character("y")) == .left)
    }

    @Test func validationShowsWhileTyping() {
        var screen = panel("http-token")
        type("API", into: &screen)
        _ = screen.handle(.enter)
        type("ftp://x", into: &screen)
        #expect(draw(&screen).lines.contains { $0.contains("✗ ") })
        for _ in 0..<7 { _ = screen.handle(.backspace) }
        type("https://api.example.com/v1", into: &screen)
        #expect(!draw(&screen).lines.contains { $0.contains("✗ ") })
    }

    @Test func multiChoiceTicksWithSpace() {
        var screen = panel("celonis")
        type("C", into: &screen)
        _ = screen.handle(.enter)
        _ = screen.handle(.character("1"))
        type("acme.eu-1", into: &screen)
        _ = screen.handle(.enter)
        _ = screen.handle(.down)
        _ = screen.handle(.down)
        _ = screen.handle(.enter)
        #expect(screen.form.value(of: "authType") == .string("oauth2"))
        #expect(screen.form.currentField?.kind == .oauthClient)
        type("sbx-celonis-client", into: &screen)
        _ = screen.handle(.tab)
        type("sbx-celonis-secret", into: &screen)
        #expect(!draw(&screen).lines.joined().contains("sbx-celonis-secret"))
        _ = screen.handle(.enter)
        type("acme.eu-1.celonis.cloud", into: &screen)
        _ = screen.handle(.enter)
        #expect(screen.form.currentField?.kind == .multiChoice)
        _ = screen.handle(.character(" "))
        _ = screen.handle(.down)
        _ = screen.handle(.character(" "))
        _ = screen.handle(.enter)
        if case .list(let scopes)? = screen.form.value(of: "scopes") { #expect(scopes.count == 2) } else { Issue.record("scopes not a list") }
    }

    /// Certinia (refresh-token flow) answered up to the advanced step.
    func certiniaAtTheGate(named name: String, saved: [FormContext.SavedConnection] = []) -> ConnectionPanelScreen {
        var screen = panel("certinia", saved: saved)
        type(name, into: &screen)
        _ = screen.handle(.enter)
        _ = screen.handle(.enter)
        _ = screen.handle(.enter)
        type("sbx-sf-client", into: &screen)
        _ = screen.handle(.enter)
        type("sf-SECRET-1", into: &screen)
        _ = screen.handle(.enter)
        return screen
    }

    /// Certinia up to its advanced fields, with one saved Certinia connection to borrow from.
    func certiniaAtTheAdvancedStep() -> ConnectionPanelScreen {
        var screen = certiniaAtTheGate(named: "Certinia new",
                                       saved: [FormContext.SavedConnection(id: "c9", name: "Certinia old", connectorID: "certinia", values: ["accountType": .string("production")])])
        _ = screen.handle(.character("y"))
        return screen
    }

    @Test func optionalAnswersCanBeLeftOrMadeEmpty() {
        var screen = certiniaAtTheAdvancedStep()
        #expect(screen.form.currentField?.id == "borrowConcurrencyFrom")
        #expect(screen.choices.map(\.label) == ["(none)", "Certinia old"])
        _ = screen.handle(.enter)
        #expect(screen.form.value(of: "borrowConcurrencyFrom") == nil)
        #expect(screen.form.currentField?.id == "concurrencyLevel")
        type("5", into: &screen)
        _ = screen.handle(.enter)
        #expect(screen.form.step == .review)
        #expect(screen.form.value(of: "concurrencyLevel") != nil)

        // Change it from the review: erase it and Enter clears it, back at the review.
        let index = screen.form.visibleFields.firstIndex { $0.id == "concurrencyLevel" }!
        for _ in 0..<index { _ = screen.handle(.down) }
        _ = screen.handle(.enter)
        #expect(screen.form.currentField?.id == "concurrencyLevel")
        _ = screen.handle(.control("u"))
        _ = screen.handle(.enter)
        #expect(screen.form.step == .review)
        #expect(screen.form.value(of: "concurrencyLevel") == nil)

        // Back at the review the changed field stays highlighted; Esc on a field opened from
        // the review goes back to the review, not to the field before it.
        _ = screen.handle(.enter)
        #expect(screen.form.currentField?.id == "concurrencyLevel")
        _ = screen.handle(.escape)
        #expect(screen.form.step == .review)
    }

    @Test func aLongChoiceListScrollsToKeepTheHighlightInView() {
        let saved = (1...30).map { FormContext.SavedConnection(id: "c\($0)", name: "Certinia \($0)", connectorID: "certinia", values: ["accountType": .string("production")]) }
        var screen = panel("certinia", saved: saved)
        type("Certinia new", into: &screen)
        for _ in 0..<3 { _ = screen.handle(.enter) }
        type("k", into: &screen)
        _ = screen.handle(.enter)
        type("s", into: &screen)
        _ = screen.handle(.enter)
        _ = screen.handle(.character("y"))
        #expect(screen.form.currentField?.id == "borrowConcurrencyFrom")
        for _ in 0..<25 { _ = screen.handle(.down) }
        let shown = draw(&screen, width: 60, height: 16).lines
        #expect(shown.contains { $0.contains("› 26) Certinia 25") }, "\(shown.joined(separator: "\n"))")
    }

    @Test func snapshots() {
        var screen = panel("celonis")
        assertSnapshot(draw(&screen), named: "panel-first-field-100x30")
        assertSnapshot(draw(&screen, width: 60, height: 16), named: "panel-first-field-60x16")
        type("Celonis Zürich 日本", into: &screen)
        _ = screen.handle(.enter)
        assertSnapshot(draw(&screen), named: "panel-choice-100x30")
        assertSnapshot(draw(&screen, width: 60, height: 16), named: "panel-choice-60x16")
        _ = screen.handle(.character("1"))
        type("acme.eu-1", into: &screen)
        _ = screen.handle(.enter)
        _ = screen.handle(.enter)
        #expect(screen.form.currentField?.id == "appKey")
        assertSnapshot(draw(&screen), named: "panel-secret-100x30")
        assertSnapshot(draw(&screen, width: 60, height: 16), named: "panel-secret-60x16")
        _ = screen.handle(.function(2))
        assertSnapshot(draw(&screen), named: "panel-steps-100x30")
        assertSnapshot(draw(&screen, width: 60, height: 16), named: "panel-steps-60x16")
        #expect(screen.handle(.character("a")) == .stay)

        var certinia = certiniaAtTheGate(named: "Certinia prod")
        assertSnapshot(draw(&certinia), named: "panel-advanced-gate-100x30")
        assertSnapshot(draw(&certinia, width: 60, height: 16), named: "panel-advanced-gate-60x16")
        _ = certinia.handle(.enter)
        let values = certinia.form.currentValues
        certinia.apply([.tested(TestReport(result: .failed, line: "The credentials were rejected: 401 Unauthorized — “invalid_client”",
                                           logKey: "draft-x", attempt: 1, at: Date(timeIntervalSince1970: 0), values: values))])
        assertSnapshot(draw(&certinia), named: "panel-review-100x30")
        assertSnapshot(draw(&certinia, width: 60, height: 16), named: "panel-review-60x16")
        #expect(certinia.form.step == .review)

        // The same review with a test running, then after it with its log to view.
        var authorizing = ConnectionPanelScreen(form: certinia.form)
        authorizing.apply([.testStarted])
        authorizing.spinner = ("⠙", "1.3 s")
        assertSnapshot(draw(&authorizing), named: "panel-testing-100x30")
        assertSnapshot(draw(&authorizing, width: 60, height: 16), named: "panel-testing-60x16")
        #expect(authorizing.handle(.character("s")) == .stay, "nothing is offered while a test runs")
        authorizing.spinner = nil
        authorizing.apply([.tested(TestReport(result: .passed, line: "Test succeeded: 200 OK in 84 ms", logKey: "draft-x", attempt: 2,
                                              at: Date(timeIntervalSince1970: 0), values: values))])
        assertSnapshot(draw(&authorizing), named: "panel-review-authorize-100x30")
        #expect(authorizing.handle(.character("l")) == .viewLog)
        if case .perform(.saveAndAuthorize, _) = authorizing.handle(.character("a")) {} else {
            Issue.record("a should save and authorize on a refresh-token Certinia panel")
        }
    }
}
