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
