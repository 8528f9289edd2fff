import ConnectorSchema
import FormEngine
import Testing
@testable import TerminalUI

/// Each field widget on its own: what its keys do, and which keys act (the type-ahead guard
/// ignores acting keys typed ahead of a step change, so a typed letter must never act in a
/// typed field).
@Suite("Field widgets")
struct FieldWidgetTests {
    static let letters: [Key] = [.character("a"), .character("q"), .character("e"), .character("+"), .character(" "), .character("1"),
                                 .paste("pasted")]
    let clientParts = FieldKind.oauthClient.parts
    let stored = [FormContext.SavedOAuthClient(id: "k1", name: "Celonis app", clientId: "sbx-celonis-client"),
                  FormContext.SavedOAuthClient(id: "k2", name: "Other app", clientId: "other-client")]

    func text(_ draw: (inout CellBuffer, inout Int) -> Void, width: Int = 80, height: Int = 24) -> String {
        var buffer = CellBuffer(width: width, height: height)
        var row = 2
        draw(&buffer, &row)
        return buffer.lines.joined(separator: "\n")
    }

    /// The widget of `field` in a form of `connector` with `answers` given and that field current.
    func widget(_ connector: String, _ field: String, answers: KeyValuePairs<String, String> = [:], context: FormContext = FormContext()) -> any FieldWidget {
        var form = FormState(schema: ConnectorCatalog.builtin().connector(connector)!, context: context)
        for (id, answer) in answers { form.handle(.set(field: id, FieldInput(answer))) }
        form.handle(.chooseAdvanced(true))
        form.handle(.goTo(field: field))
        #expect(form.currentField?.id == field, "\(field) is not shown")
        return makeFieldWidget(for: form.schema.field(field)!, in: form)
    }

    // MARK: Typed

    @Test func typedTextIsTypedAndNeverActsWhileEnterSubmits() {
        var name = TypedFieldWidget(parts: FieldKind.text.parts, texts: [""], example: nil, kept: [false])
        for key in Self.letters + [.backspace, .left, .right, .home, .control("u")] { #expect(!name.keyActs(key), "\(key)") }
        #expect(name.keyActs(.enter))
        #expect(name.handle(.character("I")) == .edited)
        #expect(name.handle(.paste("O prod")) == .edited)
        #expect(name.handle(.left) == .kept, "a move changes no text")
        #expect(name.input == FieldInput("IO prod"))
        #expect(name.handle(.enter) == .submitted)
        #expect(name.keymap.bindings.isEmpty, "no reveal, example or parts on a plain text field")
    }

    @Test func theExampleIsTakenByTabOrRightOnlyWhileTheFieldIsEmpty() {
        var domain = TypedFieldWidget(parts: FieldKind.text.parts, texts: [""], example: "acme.eu-1", kept: [false])
        #expect(domain.keyActs(.tab) && domain.keyActs(.right))
        #expect(text { domain.draw(into: &$0, left: 1, width: 60, row: &$1) }.contains("› e.g. acme.eu-1"))
        #expect(domain.input.isBlank, "an example is not an answer")
        #expect(domain.handle(.right) == .edited)
        #expect(domain.input == FieldInput("acme.eu-1"))
        // Now → moves the cursor, and is typed-text editing again, not an acting key.
        #expect(!domain.keyActs(.right))
        #expect(domain.handle(.right) == .kept)
        #expect(domain.input == FieldInput("acme.eu-1"))
    }

    @Test func aSecretIsMaskedUntilCtrlRAndAKeptOneSaysSo() {
        var token = TypedFieldWidget(parts: FieldKind.secret.parts, texts: [""], example: "never shown", kept: [true])
        #expect(token.keymap.action(for: .control("r")) == .reveal)
        #expect(!token.keyActs(.tab), "a secret offers no example")
        #expect(text { token.draw(into: &$0, left: 1, width: 60, row: &$1) }.contains(TypedFieldWidget.keptSecret))
        for character in "tok-123" { _ = token.handle(.character(character)) }
        let hidden = text { token.draw(into: &$0, left: 1, width: 60, row: &$1) }
        #expect(hidden.contains("•••••••") && !hidden.contains("tok-123") && hidden.contains("Hidden as you type"))
        #expect(token.handle(.control("r")) == .kept)
        #expect(text { token.draw(into: &$0, left: 1, width: 60, row: &$1) }.contains("tok-123"))
    }

    @Test func enterAndTabMoveBetweenPartsAndOnlyTheLastEnterSubmits() {
        var client = TypedFieldWidget(parts: clientParts, texts: ["", ""], example: nil, kept: [false, false])
        #expect(client.keyActs(.tab) && client.keyActs(.up) && client.keyActs(.down))
        #expect(!client.keyActs(.character("x")))
        _ = client.handle(.character("i"))
        #expect(client.handle(.enter) == .kept && client.part == 1)
        _ = client.handle(.character("s"))
        #expect(client.handle(.tab) == .kept && client.part == 0, "Tab goes round")
        #expect(client.handle(.down) == .kept && client.part == 1)
        #expect(client.input == FieldInput(parts: ["clientId": "i", "clientSecret": "s"]))
        #expect(client.handle(.enter) == .submitted)
    }

    @Test func aSecretIsKeptOnlyWhenItWasAnsweredInlineBefore() {
        #expect(TypedFieldWidget.keptSecrets(of: FieldKind.secret.parts, held: .string("tok")) == [true])
        #expect(TypedFieldWidget.keptSecrets(of: FieldKind.secret.parts, held: nil) == [false])
        #expect(TypedFieldWidget.keptSecrets(of: clientParts, held: .parts(["clientId": "i", "clientSecret": "s"])) == [false, true])
        #expect(TypedFieldWidget.keptSecrets(of: clientParts, held: .parts([FieldPart.storedClientReference: "k1", "clientId": "i"])) == [false, false])
    }

    @Test func aPasteTooLongForTheLineIsCutAndSaysSo() {
        var token = TypedFieldWidget(parts: FieldKind.secret.parts, texts: [""], example: nil, kept: [false])
        #expect(token.refusal == nil)
        _ = token.handle(.paste(String(repeating: "z", count: FieldInput.maximumLength + 3)))
        #expect(token.refusal == "✗ At most \(FieldInput.maximumLength) characters fit here; 3 more were not taken.")
    }

    @Test func aNumberFieldSaysItsBounds() {
        var level = widget("certinia", "concurrencyLevel")
        #expect(level.takesText)
        #expect(text { level.draw(into: &$0, left: 1, width: 60, row: &$1) }.contains("A whole number from 1 to 25."))
    }

    // MARK: Choice

    @Test func everyKeyActsInAChoiceListAndADigitPicksItsRow() {
        var region = widget("celigo-integrator-io", "region", answers: ["name": "IO"])
        #expect(!region.takesText)
        for key in Self.letters + [.backspace, .left, .up, .enter] { #expect(region.keyActs(key), "\(key)") }
        let first = region.input
        #expect(region.handle(.down) == .kept)
        #expect(region.input != first)
        #expect(region.handle(.character("x")) == .kept, "a letter picks nothing")
        #expect(region.handle(.character("9")) == .kept, "there is no ninth region")
        let second = region.input
        #expect(region.handle(.up) == .kept && region.input == first)
        #expect(region.handle(.character("2")) == .submitted)
        #expect(region.input == second)
        #expect(region.handle(.enter) == .submitted)
    }

    @Test func aMultiChoiceTicksWithSpaceOrADigitAndSubmitsOnEnter() {
        var scopes = widget("celonis", "scopes", answers: ["apiType": "intelligence", "authType": "oauth2"])
        #expect(scopes.keymap.action(for: .character(" ")) == .toggle)
        #expect(scopes.input.isBlank)
        #expect(scopes.handle(.character(" ")) == .kept)
        #expect(scopes.handle(.character("2")) == .kept, "a digit ticks, it does not submit")
        #expect(scopes.input == FieldInput("studio,intelligence.knowledge-models:read"))
        #expect(text { scopes.draw(into: &$0, left: 1, width: 70, row: &$1) }.contains("2) [x]"))
        #expect(scopes.handle(.character(" ")) == .kept)
        #expect(scopes.input == FieldInput("studio"))
        #expect(scopes.handle(.enter) == .submitted)
    }

    @Test func anOptionalPickStartsWithNoneAndAnEmptyOneSaysWhy() {
        let saved = [FormContext.SavedConnection(id: "c9", name: "Certinia old", connectorID: "certinia", values: ["accountType": .string("production")])]
        var borrow = widget("certinia", "borrowConcurrencyFrom", answers: ["accountType": "production"], context: FormContext(savedConnections: saved))
        let shown = text { borrow.draw(into: &$0, left: 1, width: 70, row: &$1) }
        #expect(shown.contains("1) (none)") && shown.contains("2) Certinia old"), "\(shown)")
        #expect(borrow.input.isBlank)
        var none = widget("certinia", "borrowConcurrencyFrom")
        #expect(text { none.draw(into: &$0, left: 1, width: 70, row: &$1) }.contains("No connection of this kind is saved yet; press Enter to skip."))
        #expect(none.handle(.enter) == .submitted)
    }

    // MARK: OAuth 2.0 client

    func client(value: FieldValue? = nil, stored: [FormContext.SavedOAuthClient]? = nil) -> OAuthClientWidget {
        var context = FormContext()
        context.oauthClients = stored ?? self.stored
        return OAuthClientWidget(stored: context.oauthClients, parts: clientParts, example: nil, context: context, value: value, held: value)
    }

    @Test func storedClientsArePickedAndEveryKeyActsThere() {
        var picker = client()
        #expect(picker.picking && picker.keysLead && !picker.takesText)
        for key in Self.letters { #expect(picker.keyActs(key), "\(key)") }
        #expect(picker.input == FieldInput("Celonis app"))
        #expect(picker.handle(.down) == .kept && picker.input == FieldInput("Other app"))
        #expect(picker.handle(.character("1")) == .submitted && picker.input == FieldInput("Celonis app"))
        #expect(picker.handle(.enter) == .submitted)
        let shown = text { picker.draw(into: &$0, left: 1, width: 100, row: &$1) }
        #expect(shown.contains("1) Celonis app (client ID sbx-celonis-client)") && shown.contains("Stored clients, shared by every connection"), "\(shown)")
    }

    @Test func theHeldStoredClientIsHighlighted() {
        let picker = client(value: .parts([FieldPart.storedClientReference: "k2", "clientId": "other-client"]))
        #expect(picker.picking && picker.input == FieldInput("Other app"))
    }

    @Test func plusTypesANewClientWhereLettersNoLongerAct() {
        var picker = client()
        #expect(picker.handle(.character("+")) == .kept)
        #expect(!picker.picking && picker.takesText && !picker.keysLead)
        #expect(!picker.keyActs(.character("e")) && !picker.keyActs(.character("+")))
        #expect(picker.handle(.character("e")) == .edited, "e is typed into the client ID now")
        #expect(picker.handle(.enter) == .kept)
        #expect(picker.handle(.character("s")) == .edited)
        #expect(picker.input == FieldInput(parts: ["clientId": "e", "clientSecret": "s"]))
        #expect(picker.handle(.enter) == .submitted)
    }

    @Test func eChangesTheHighlightedClientInPlace() {
        var picker = client()
        _ = picker.handle(.down)
        #expect(picker.handle(.character("e")) == .kept)
        #expect(!picker.picking && picker.editing?.id == "k2")
        #expect(picker.typing.part == 1, "the secret is the part to type")
        #expect(picker.input == FieldInput(parts: [FieldPart.storedClientReference: "k2", "clientId": "other-client", "clientSecret": ""]))
        let shown = text { picker.draw(into: &$0, left: 1, width: 100, row: &$1) }
        #expect(shown.contains("Changing the stored client “Other app”.") && shown.contains("Client secret: " + TypedFieldWidget.keptSecret), "\(shown)")
    }

    @Test func withNoStoredClientOrAnInlineOneHeldItStartsTyping() {
        #expect(!client(stored: []).picking)
        let inline = client(value: .parts(["clientId": "inline-id", "clientSecret": "s"]))
        #expect(!inline.picking && inline.typing.editors.map(\.text) == ["inline-id", ""])
        #expect(inline.typing.kept == [false, true])
    }

    // MARK: On the panel

    @Test func thePanelAsksTheWidgetWhichKeysAct() {
        let io = ConnectorCatalog.builtin().connector("celigo-integrator-io")!
        var panel = ConnectionPanelScreen(form: FormState(schema: io))
        #expect(!panel.keyActs(.character("q")) && panel.keyActs(.enter) && panel.keyActs(.escape) && panel.keyActs(.control("c")))
        for character in "IO" { _ = panel.handle(.character(character)) }
        _ = panel.handle(.enter)
        #expect(panel.form.currentField?.id == "region")
        #expect(panel.keyActs(.character("q")), "a letter acts in a choice list")
    }

    @Test func aPickedClientsKeysLeadTheKeyLine() {
        var context = FormContext()
        context.oauthClients = stored
        var form = FormState(schema: ConnectorCatalog.builtin().connector("celonis")!, context: context)
        for (field, answer) in [("name", "C"), ("apiType", "intelligence"), ("domain", "acme.eu-1"), ("authType", "oauth2")] {
            form.handle(.set(field: field, FieldInput(answer)))
        }
        form.handle(.goTo(field: "oauth2Client"))
        var panel = ConnectionPanelScreen(form: form)
        #expect(panel.fieldKeymap.helpLine(width: 200).hasPrefix("Enter next · ↑↓ choose · + new client · e edit client · Esc back"))
        _ = panel.handle(.character("+"))
        #expect(panel.fieldKeymap.helpLine(width: 200).hasPrefix("Enter next · Esc back · F2 how to find it · Ctrl-R reveal while typing · Tab next part · ↑↓ part"))
    }

    /// `1` on an optional list picks “(none)”, and clears the answer held, as Enter on that
    /// row does (before, a digit handed the blank to the engine, which kept the old answer).
    @Test func digitOneOnNoneClearsTheHeldAnswer() {
        let saved = [FormContext.SavedConnection(id: "c9", name: "Certinia old", connectorID: "certinia", values: ["accountType": .string("production")])]
        var form = FormState(schema: ConnectorCatalog.builtin().connector("certinia")!, context: FormContext(savedConnections: saved))
        form.handle(.set(field: "accountType", FieldInput("production")))
        form.handle(.set(field: "borrowConcurrencyFrom", FieldInput("Certinia old")))
        form.handle(.chooseAdvanced(true))
        form.handle(.goTo(field: "borrowConcurrencyFrom"))
        #expect(form.value(of: "borrowConcurrencyFrom") == .string("c9"))
        var panel = ConnectionPanelScreen(form: form)
        _ = panel.handle(.character("1"))
        #expect(panel.form.value(of: "borrowConcurrencyFrom") == nil)
        #expect(panel.form.currentField?.id != "borrowConcurrencyFrom")
    }
}
