import ConnectorSchema
import FormEngine
import PromptUI
import Testing

/// Issue 19 item 15 and the `edit --secret oauth2Client.clientSecret=…` of item 20: a change to
/// a stored client that other connections use is known to the engine, and a secret given alone
/// changes the held stored client.
@Suite("Changing a shared OAuth 2.0 client")
struct SharedClientChangeTests {
    static let client = FormContext.SavedOAuthClient(id: "k1", name: "Celonis app", clientId: "sbx-celonis-client")
    static let reference: FieldValue = .parts(["client": "k1", "clientId": "sbx-celonis-client"])

    /// Editing connection B, which names the stored client; `alsoUsedByA` adds A naming it too.
    static func editingB(alsoUsedByA: Bool) -> FormState {
        let common: [String: FieldValue] = ["apiType": .string("intelligence"), "domain": .string("acme.eu-1"), "authType": .string("oauth2"),
                                            "scopes": .list(["studio"]), "validDomains": .string("acme.eu-1.celonis.cloud"),
                                            "oauth2Client": reference]
        var saved = [FormContext.SavedConnection(id: "b", name: "B", connectorID: "celonis", values: common.merging(["name": .string("B")]) { $1 })]
        if alsoUsedByA {
            saved.append(FormContext.SavedConnection(id: "a", name: "A", connectorID: "celonis", values: common.merging(["name": .string("A")]) { $1 }))
        }
        var context = FormContext(mode: .edit(connectionID: "b"), savedConnections: saved)
        context.oauthClients = [client]
        return FormState(schema: schema("celonis"), context: context, prefill: saved[0].values)
    }

    @Test func aSecretGivenAloneChangesTheHeldStoredClient() {
        var form = Self.editingB(alsoUsedByA: true)
        form.handle(.set(field: "oauth2Client", FieldInput(parts: ["clientSecret": "rotated-secret-1"])))
        #expect(form.problems["oauth2Client"] == nil, "\(form.problems)")
        #expect(form.value(of: "oauth2Client") == .parts(["client": "k1", "clientId": "sbx-celonis-client", "clientSecret": "rotated-secret-1"]))
        guard let change = form.sharedClientChange else { Issue.record("no shared change found"); return }
        #expect(change.others == ["A"] && change.what == "its secret")
        #expect(change.sentence == "The stored client “Celonis app” is also used by “A”: saving changes its secret for it too.")
    }

    @Test func noQuestionWhenOnlyThisConnectionUsesItOrNothingChanges() {
        var alone = Self.editingB(alsoUsedByA: false)
        alone.handle(.set(field: "oauth2Client", FieldInput(parts: ["clientSecret": "rotated-secret-1"])))
        #expect(alone.sharedClientChange == nil)
        let untouched = Self.editingB(alsoUsedByA: true)
        #expect(untouched.sharedClientChange == nil)
        var newID = Self.editingB(alsoUsedByA: true)
        newID.handle(.set(field: "oauth2Client", FieldInput(parts: ["client": "k1", "clientId": "other-id", "clientSecret": ""])))
        #expect(newID.sharedClientChange?.what == "its client ID")
    }

    @Test func aNewInlineClientIsNotAChangeToTheStoredOne() {
        var form = Self.editingB(alsoUsedByA: true)
        form.handle(.set(field: "oauth2Client", FieldInput(parts: ["clientId": "mine", "clientSecret": "mine-secret"])))
        #expect(form.value(of: "oauth2Client") == .parts(["clientId": "mine", "clientSecret": "mine-secret"]))
        #expect(form.sharedClientChange == nil)
    }

    @Test func theLinePromptsNameTheOtherConnectionAndAskBeforeSaving() {
        var form = Self.editingB(alsoUsedByA: true)
        form.handle(.set(field: "oauth2Client", FieldInput(parts: ["clientSecret": "rotated-secret-1"])))
        form.handle(.review)
        let console = ScriptedConsole(["s", "n", "s", "y"])
        let outcome = PlainWizard(console: console).run(&form, announce: false)
        guard case .perform(.save, _) = outcome else { Issue.record("\(outcome)\n\(console.transcript)"); return }
        #expect(console.transcript.contains("The stored client “Celonis app” is also used by “A”: saving changes its secret for it too. Save it [y/N]"))
        #expect(console.transcript.contains("Not saved."), "n kept the form at the review:\n\(console.transcript)")
        #expect(!console.transcript.contains("rotated-secret-1"))
    }
}
