import ConnectorSchema
import FormEngine
import Testing

@Suite("Editing and names")
struct EditTests {
    let saved = [FormContext.SavedConnection(id: "c1", name: "Prod Org", connectorID: "certinia"),
                 FormContext.SavedConnection(id: "c2", name: "IO", connectorID: "celigo-integrator-io")]

    @Test func namesAreUniqueIgnoringCase() {
        var form = FormState(schema: schema("celigo-integrator-io"), context: FormContext(savedConnections: saved))
        form.type(" io ")
        #expect(form.problems["name"]?.contains("already exists") == true)
        form.type("IO two")
        #expect(form.step == .field("region"))
    }

    @Test func editPrefillsAllButSecretsAndKeepsItsOwnName() {
        let context = FormContext(mode: .edit(connectionID: "c2"), savedConnections: saved)
        var form = FormState(schema: schema("celigo-integrator-io"), context: context,
                             prefill: ["name": .string("IO"), "region": .string("europe"), "token": .string("leaked?")])
        #expect(form.value(of: "token") == nil)
        #expect(form.display("region") == "Europe")
        form.type("", "")
        #expect(form.step == .field("token"))
        form.handle(.confirm(.save))
        #expect(form.problems["token"]?.contains("must be entered again") == true)
        form.type("new-token")
        let effects = form.handle(.confirm(.save))
        guard case .perform(_, let draft)? = effects.first else { Issue.record("no draft"); return }
        #expect(draft.connectionID == "c2")
        #expect(draft.values["token"] == .string("new-token"))
    }

    @Test func editKeepsTheClientIDButNotTheClientSecret() {
        let context = FormContext(mode: .edit(connectionID: "c9"))
        var form = FormState(schema: schema("celonis"), context: context, prefill: [
            "name": .string("C"), "apiType": .string("intelligence"), "domain": .string("acme.eu-1"),
            "authType": .string("oauth2"), "oauth2Client": .parts(["clientId": "cid", "clientSecret": "old"]),
            "validDomains": .string("acme.eu-1.celonis.cloud"), "scopes": .list(["studio"]),
        ])
        #expect(form.value(of: "oauth2Client") == .parts(["clientId": "cid"]))
        #expect(form.allProblems.map(\.field) == ["oauth2Client"])
        form.handle(.goTo(field: "oauth2Client"))
        form.handle(.submit(FieldInput(parts: ["clientId": "", "clientSecret": "new-secret"])))
        #expect(form.value(of: "oauth2Client") == .parts(["clientId": "cid", "clientSecret": "new-secret"]))
        #expect(form.draft != nil)
    }

    @Test func aScriptedEditMayGiveOnlyTheClientSecret() {
        var form = FormState(schema: schema("celonis"), context: FormContext(mode: .edit(connectionID: "c9")), prefill: [
            "name": .string("C"), "apiType": .string("intelligence"), "domain": .string("acme.eu-1"),
            "authType": .string("oauth2"), "oauth2Client": .parts(["clientId": "cid"]),
            "validDomains": .string("acme.eu-1.celonis.cloud"), "scopes": .list(["studio"]),
        ])
        let outcome = ScriptedAnswers(["oauth2Client.clientSecret": "new"]).apply(to: &form)
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(form.draft?.values["oauth2Client"] == .parts(["clientId": "cid", "clientSecret": "new"]))
    }

    @Test func prefilledAdvancedAnswersOpenTheAdvancedSteps() {
        let form = FormState(schema: schema("certinia"), prefill: ["concurrencyLevel": .number(5)])
        #expect(form.showsAdvanced)
        #expect(form.route.contains(.field("concurrencyLevel")))
    }

    @Test func connectionRefOffersOnlyOtherConnectionsOfItsConnectors() {
        let context = FormContext(mode: .edit(connectionID: "c1"), savedConnections: saved + [
            FormContext.SavedConnection(id: "c3", name: "Sandbox Org", connectorID: "certinia"),
        ])
        var form = FormState(schema: schema("certinia"), context: context)
        let field = schema("certinia").field("borrowConcurrencyFrom")!
        #expect(context.choices(for: field).map(\.name) == ["Sandbox Org"])
        form.handle(.set(field: "borrowConcurrencyFrom", FieldInput("prod org")))
        #expect(form.problems["borrowConcurrencyFrom"] == "Borrow concurrency from cannot name the connection itself")
        form.handle(.set(field: "borrowConcurrencyFrom", FieldInput("sandbox ORG")))
        #expect(form.value(of: "borrowConcurrencyFrom") == .string("c3"))
        #expect(form.display("borrowConcurrencyFrom") == "Sandbox Org")
        form.handle(.set(field: "borrowConcurrencyFrom", FieldInput("1")))
        #expect(form.value(of: "borrowConcurrencyFrom") == .string("c3"))
    }

    @Test func aDeletedReferenceIsReported() {
        let form = FormState(schema: schema("certinia"), prefill: ["borrowConcurrencyFrom": .string("gone")])
        #expect(form.allProblems.contains { $0.field == "borrowConcurrencyFrom" && $0.message.contains("no longer exists") })
    }
}

@Suite("Field kinds")
struct FieldKindTests {
    @Test("choices by value, label or number", arguments: ["europe", "Europe", "EUROPE", "2"])
    func choice(input: String) {
        var form = FormState(schema: schema("celigo-integrator-io"))
        form.handle(.set(field: "region", FieldInput(input)))
        #expect(form.value(of: "region") == .string("europe"))
    }

    @Test("URLs must be absolute http(s) without credentials", arguments: [
        ("https://api.example.com/v1", true), ("http://localhost:8080", true), ("api.example.com", false),
        ("ftp://example.com", false), ("https://", false), ("https://user:pw@example.com", false), ("https://a b.com", false),
    ])
    func url(input: String, valid: Bool) {
        var form = FormState(schema: schema("http-token"))
        form.handle(.set(field: "baseUri", FieldInput(input)))
        #expect((form.problems["baseUri"] == nil) == valid, "\(form.problems)")
    }

    @Test func textPatternsAndLengths() {
        var form = FormState(schema: schema("http-token"))
        form.handle(.set(field: "pingPath", FieldInput("me")))
        #expect(form.problems["pingPath"] == "Start the path with / and leave out spaces, such as /me.")
        form.handle(.set(field: "headerName", FieldInput("X API Key")))
        #expect(form.problems["headerName"]?.contains("X-API-Key") == true)
        form.handle(.set(field: "name", FieldInput(String(repeating: "n", count: 201))))
        #expect(form.problems["name"]?.contains("at most 200") == true)
        form.handle(.set(field: "name", FieldInput("Zürich 日本")))
        #expect(form.problems["name"] == nil)
    }

    @Test func secretsAreTrimmedAndChecked() {
        var form = FormState(schema: schema("celigo-integrator-io"))
        form.handle(.set(field: "token", FieldInput("  tok-1 \n")))
        #expect(form.value(of: "token") == .string("tok-1"))
        form.handle(.set(field: "token", FieldInput("two words")))
        #expect(form.problems["token"]?.contains("no spaces") == true)
    }

    @Test func jwtBearerAsksForUsernameAndKeyInsteadOfTheSecret() {
        var form = FormState(schema: schema("certinia"))
        form.handle(.set(field: "oauthFlow", FieldInput("jwt-bearer")))
        #expect(form.visibleIDs == ["name", "accountType", "oauthFlow", "consumerKey", "username", "privateKeyFile",
                                    "borrowConcurrencyFrom", "concurrencyLevel"])
        form.handle(.set(field: "username", FieldInput("not an email")))
        #expect(form.problems["username"]?.contains("email") == true)
    }
}
