import ConnectorSchema
import FormEngine
import PromptUI
import Testing

/// How the engine says a field is asked: every kind maps to the shape its front ends draw.
@Suite("Field shapes")
struct FieldShapeTests {
    let options = [ChoiceOption(value: "eu", label: "Europe", help: "Frankfurt"), ChoiceOption(value: "us", label: "North America")]
    let client = FormContext.SavedOAuthClient(id: "k1", name: "Celonis app", clientId: "sbx-celonis-client")

    /// A form of one field of `kind`, with a saved connection and a stored client to offer.
    func shape(of kind: FieldKind) -> FieldShape {
        let field = FieldSpec(id: "f", label: "F", kind: kind, options: kind.hasOptions ? options : [])
        var context = FormContext(savedConnections: [FormContext.SavedConnection(id: "c1", name: "Other", connectorID: "x")])
        context.oauthClients = [client]
        let form = FormState(schema: ConnectorSchema(id: "x", title: "X", fields: [field]), context: context)
        return form.shape(of: field)
    }

    @Test func everyKindMapsToItsShape() {
        let unnamed = FieldKind.text.parts
        #expect(unnamed.map(\.id) == [""] && !unnamed[0].isSecret)
        #expect(FieldKind.secret.parts.map(\.isSecret) == [true])
        #expect(FieldKind.oauthClient.parts.map(\.id) == ["clientId", "clientSecret"] && FieldKind.oauthClient.parts.map(\.isSecret) == [false, true])
        let picked = [PickOption(value: "eu", label: "Europe", help: "Frankfurt"), PickOption(value: "us", label: "North America")]
        for kind in FieldKind.allCases {
            let expected: FieldShape
            // Exhaustive on purpose: a new kind must say here how it is asked.
            switch kind {
            case .text, .url: expected = .typed(parts: unnamed, wholeNumber: false)
            case .secret: expected = .typed(parts: FieldKind.secret.parts, wholeNumber: false)
            case .number: expected = .typed(parts: unnamed, wholeNumber: true)
            case .choice: expected = .pick(options: picked, many: false, source: .options)
            case .multiChoice: expected = .pick(options: picked, many: true, source: .options)
            case .connectionRef: expected = .pick(options: [PickOption(value: "c1", label: "Other")], many: false, source: .savedConnections(whyNone: nil))
            case .oauthClient: expected = .pickOrCreate(stored: [client], parts: FieldKind.oauthClient.parts)
            }
            #expect(shape(of: kind) == expected, "\(kind)")
            #expect(shape(of: kind).hidesTyping == kind.holdsSecret, "\(kind)")
        }
    }

    @Test func aListOfSavedConnectionsSaysWhyItIsEmpty() {
        let certinia = schema("certinia")
        let form = FormState(schema: certinia)
        let field = certinia.field("borrowConcurrencyFrom")!
        #expect(form.shape(of: field) == .pick(options: [], many: false,
                                               source: .savedConnections(whyNone: "No connection of this kind is saved yet; press Enter to skip")))
    }

    /// The offered options follow the answers above: Celonis offers OAuth 2.0 only for the
    /// Intelligence API.
    @Test func aPickOffersWhatTheAnswersAboveAllow() {
        let celonis = schema("celonis")
        var form = FormState(schema: celonis)
        form.handle(.set(field: "apiType", FieldInput("data-push")))
        guard case .pick(let pushOptions, false, .options) = form.shape(of: celonis.field("authType")!) else { Issue.record("not a pick"); return }
        form.handle(.set(field: "apiType", FieldInput("intelligence")))
        guard case .pick(let intelligenceOptions, false, .options) = form.shape(of: celonis.field("authType")!) else { Issue.record("not a pick"); return }
        #expect(!pushOptions.map(\.value).contains("oauth2"))
        #expect(intelligenceOptions.map(\.value).contains("oauth2"))
    }
}
