import ConnectorSchema
import FormEngine
import Testing
@testable import TerminalUI

@Suite("The OAuth 2.0 client field offers the stored clients")
struct StoredClientPanelTests {
    let stored = FormContext.SavedOAuthClient(id: "k1", name: "Celonis app", clientId: "sbx-celonis-client")

    /// A Celonis panel at its OAuth 2.0 client field, with one stored client.
    func atTheClientField() -> ConnectionPanelScreen {
        var context = FormContext(mode: .create)
        context.oauthClients = [stored]
        var form = FormState(schema: ConnectorCatalog.builtin().connector("celonis")!, context: context)
        for (field, answer) in [("name", "C"), ("apiType", "intelligence"), ("domain", "acme.eu-1"), ("authType", "oauth2")] {
            form.handle(.set(field: field, FieldInput(answer)))
        }
        form.handle(.goTo(field: "oauth2Client"))
        return ConnectionPanelScreen(form: form)
    }

    func text(_ screen: inout ConnectionPanelScreen) -> String {
        var buffer = CellBuffer(width: 100, height: 30)
        screen.render(into: &buffer)
        return buffer.lines.joined(separator: "\n")
    }

    @Test func enterPicksTheHighlightedStoredClient() {
        var screen = atTheClientField()
        #expect(screen.pickingClient)
        let shown = text(&screen)
        #expect(shown.contains("1) Celonis app (client ID sbx-celonis-client)") && shown.contains("+ new client"), "\(shown)")
        _ = screen.handle(.enter)
        #expect(screen.form.value(of: "oauth2Client") == .parts(["client": "k1", "clientId": "sbx-celonis-client"]))
    }

    @Test func plusTypesANewClientInline() {
        var screen = atTheClientField()
        _ = screen.handle(.character("+"))
        #expect(!screen.pickingClient)
        for character in "new-client" { _ = screen.handle(.character(character)) }
        _ = screen.handle(.enter)
        for character in "new-secret" { _ = screen.handle(.character(character)) }
        _ = screen.handle(.enter)
        #expect(screen.form.value(of: "oauth2Client") == .parts(["clientId": "new-client", "clientSecret": "new-secret"]))
    }

    @Test func eEditsTheHighlightedClientInPlace() {
        var screen = atTheClientField()
        _ = screen.handle(.character("e"))
        #expect(!screen.pickingClient && screen.editors.first?.text == "sbx-celonis-client", "the ID is filled in, the secret is not")
        for character in "rotated-secret" { _ = screen.handle(.character(character)) }
        _ = screen.handle(.enter)
        #expect(screen.form.value(of: "oauth2Client") == .parts(["client": "k1", "clientId": "sbx-celonis-client", "clientSecret": "rotated-secret"]))
    }

    @Test func eShowsTheStoredSecretAsKeptAndABlankSecretKeepsIt() {
        var screen = atTheClientField()
        _ = screen.handle(.character("e"))
        #expect(text(&screen).contains("Client secret: •••••• (kept; type to replace)"))
        _ = screen.handle(.up)                               // to the client ID
        _ = screen.handle(.control("u"))
        for character in "renamed-client" { _ = screen.handle(.character(character)) }
        _ = screen.handle(.enter)                            // on to the secret, left blank
        #expect(!text(&screen).contains("✗"))
        _ = screen.handle(.enter)
        #expect(screen.form.value(of: "oauth2Client") == .parts(["client": "k1", "clientId": "renamed-client"]))
        #expect(screen.form.currentField?.id != "oauth2Client")
    }

    @Test func textFieldsStillTakePlusAndE() {
        var form = FormState(schema: ConnectorCatalog.builtin().connector("celonis")!)
        form.handle(.set(field: "name", FieldInput("x")))
        form.handle(.goTo(field: "name"))
        var screen = ConnectionPanelScreen(form: form)
        _ = screen.handle(.character("+"))
        _ = screen.handle(.character("e"))
        #expect(screen.editors.first?.text.hasSuffix("+e") == true)
    }
}

/// Issue 19 item 15 in the panel: `e` is in the key bar, the focused part is marked, and a
/// save that changes a stored client another connection uses names it and waits for `y`.
@Suite("Changing a shared client in the panel")
struct SharedClientPanelTests {
    func editingB(alsoUsedByA: Bool) -> ConnectionPanelScreen {
        let reference: FieldValue = .parts(["client": "k1", "clientId": "sbx-celonis-client"])
        let common: [String: FieldValue] = ["apiType": .string("intelligence"), "domain": .string("acme.eu-1"), "authType": .string("oauth2"),
                                            "scopes": .list(["studio"]), "validDomains": .string("acme.eu-1.celonis.cloud"),
                                            "oauth2Client": reference]
        var saved = [FormContext.SavedConnection(id: "b", name: "B", connectorID: "celonis", values: common.merging(["name": .string("B")]) { $1 })]
        if alsoUsedByA {
            saved.append(FormContext.SavedConnection(id: "a", name: "A", connectorID: "celonis", values: common.merging(["name": .string("A")]) { $1 }))
        }
        var context = FormContext(mode: .edit(connectionID: "b"), savedConnections: saved)
        context.oauthClients = [FormContext.SavedOAuthClient(id: "k1", name: "Celonis app", clientId: "sbx-celonis-client")]
        var form = FormState(schema: ConnectorCatalog.builtin().connector("celonis")!, context: context, prefill: saved[0].values)
        form.handle(.goTo(field: "oauth2Client"))
        return ConnectionPanelScreen(form: form)
    }

    func text(_ screen: inout ConnectionPanelScreen, width: Int = 80) -> String {
        var buffer = CellBuffer(width: width, height: 24)
        screen.render(into: &buffer)
        return buffer.lines.joined(separator: "\n")
    }

    @Test func eIsInTheKeyBarAtEveryWidth() {
        for width in [60, 80, 100] {
            var screen = editingB(alsoUsedByA: true)
            let bar = text(&screen, width: width).components(separatedBy: "\n").last ?? ""
            #expect(bar.contains("e edit client") && bar.contains("+ new client"), "\(width) columns: \(bar)")
        }
    }

    @Test func theFocusedPartIsMarkedAndTheOtherUsersNamed() {
        var screen = editingB(alsoUsedByA: true)
        _ = screen.handle(.character("e"))
        var shown = text(&screen)
        #expect(shown.contains("› Client secret:") && shown.contains("  Client ID: sbx-celonis-client") && !shown.contains("› Client ID:"), "\(shown)")
        #expect(shown.contains("Changing the stored client “Celonis app”, also used by “A”"), "\(shown)")
        _ = screen.handle(.up)
        shown = text(&screen)
        #expect(shown.contains("› Client ID:") && !shown.contains("› Client secret:"), "\(shown)")
    }

    @Test func aSaveThatChangesASharedClientNamesTheOthersAndWaitsForY() {
        var screen = editingB(alsoUsedByA: true)
        _ = screen.handle(.character("e"))
        for character in "rotated-secret" { _ = screen.handle(.character(character)) }
        _ = screen.handle(.enter)
        screen.apply([.review])
        #expect(screen.form.step == .review)
        #expect(screen.handle(.character("s")) == .stay)
        let asked = text(&screen, width: 100)
        #expect(asked.contains("The stored client “Celonis app” is also used by “A”: saving changes its secret for it too."), "\(asked)")
        #expect(asked.contains("y save and change it for all"), "\(asked)")
        #expect(screen.handle(.character("n")) == .stay && screen.confirmingShared == nil)
        _ = screen.handle(.character("s"))
        guard case .perform(.save, let draft) = screen.handle(.character("y")) else { Issue.record("y did not save"); return }
        #expect(draft.values["oauth2Client"]?.part("clientSecret") == "rotated-secret")
    }

    @Test func aClientOnlyThisConnectionUsesSavesWithoutAQuestion() {
        var screen = editingB(alsoUsedByA: false)
        _ = screen.handle(.character("e"))
        for character in "rotated-secret" { _ = screen.handle(.character(character)) }
        _ = screen.handle(.enter)
        screen.apply([.review])
        guard case .perform(.save, _) = screen.handle(.character("s")) else { Issue.record("not saved at once"); return }
    }
}

extension SharedClientPanelTests {
    /// Issue 19 item 20: the review shows a stored client's whole name and ID at 60 columns,
    /// on as many rows as it takes, and the highlighted row stays in view.
    @Test func theReviewShowsAStoredClientsWholeName() {
        var context = FormContext(mode: .create)
        let client = FormContext.SavedOAuthClient(id: "k9", name: "Celonis production EU app", clientId: "3MVG9prod-eu-client-0042")
        context.oauthClients = [client]
        var form = FormState(schema: ConnectorCatalog.builtin().connector("celonis")!, context: context,
                             prefill: ["name": .string("C"), "apiType": .string("intelligence"), "domain": .string("acme.eu-1"),
                                       "authType": .string("oauth2"), "scopes": .list(["studio"]),
                                       "validDomains": .string("acme.eu-1.celonis.cloud"),
                                       "oauth2Client": .parts(["client": "k9", "clientId": client.clientId])])
        form.handle(.review)
        var screen = ConnectionPanelScreen(form: form)
        guard let index = form.visibleFields.firstIndex(where: { $0.id == "oauth2Client" }) else { Issue.record("no client field"); return }
        for _ in 0..<index { _ = screen.handle(.down) }
        var buffer = CellBuffer(width: 60, height: 16)
        screen.render(into: &buffer)
        let joined = buffer.lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(joined.contains("“Celonis production EU app”"), "\(buffer.lines.joined(separator: "\n"))")
        #expect(joined.contains("3MVG9prod-eu-client-0042"), "\(buffer.lines.joined(separator: "\n"))")
        #expect(buffer.lines.contains { $0.contains("›") && $0.contains("OAuth") }, "the highlighted field is in view")
    }
}
