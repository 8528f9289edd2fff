import ConnectorSchema
import FormEngine
import Testing

/// Every condition of the Celonis panel (seed 002): API type → auth types → keys.
@Suite("Celonis panel conditions")
struct CelonisPanelTests {
    @Test("visible fields for every API type and auth type", arguments: [
        ("intelligence", "custom", ["name", "apiType", "domain", "authType", "appKey"]),
        ("intelligence", "token", ["name", "apiType", "domain", "authType", "apiKey"]),
        ("intelligence", "oauth2", ["name", "apiType", "domain", "authType", "oauth2Client", "validDomains", "scopes"]),
        ("data-push", "custom", ["name", "apiType", "domain", "authType", "poolId", "appKey"]),
        ("data-push", "token", ["name", "apiType", "domain", "authType", "poolId", "apiKey"]),
    ])
    func visibility(apiType: String, authType: String, expected: [String]) {
        var form = FormState(schema: schema("celonis"))
        form.handle(.set(field: "apiType", FieldInput(apiType)))
        form.handle(.set(field: "authType", FieldInput(authType)))
        #expect(form.problems.isEmpty)
        #expect(form.visibleIDs == expected)
    }

    @Test func beforeAnyAnswerOnlyUnconditionalFieldsShow() {
        let form = FormState(schema: schema("celonis"))
        #expect(form.visibleIDs == ["name", "apiType", "domain", "authType"])
        #expect(form.currentID == "name")
    }

    @Test func dataPushDoesNotOfferOAuth() {
        var form = FormState(schema: schema("celonis"))
        let authType = schema("celonis").field("authType")!
        form.handle(.set(field: "apiType", FieldInput("intelligence")))
        #expect(form.options(of: authType).map(\.value) == ["custom", "token", "oauth2"])
        form.handle(.set(field: "apiType", FieldInput("data-push")))
        #expect(form.options(of: authType).map(\.value) == ["custom", "token"])
        form.handle(.set(field: "authType", FieldInput("oauth2")))
        #expect(form.problems["authType"]?.contains("not a choice") == true)
        #expect(form.value(of: "authType") == nil)
    }

    @Test func switchingToDataPushFlagsAnOAuthAnswer() {
        var form = FormState(schema: schema("celonis"))
        form.handle(.set(field: "name", FieldInput("C")))
        form.handle(.set(field: "apiType", FieldInput("intelligence")))
        form.handle(.set(field: "domain", FieldInput("acme.eu-1")))
        form.handle(.set(field: "authType", FieldInput("oauth2")))
        form.handle(.set(field: "apiType", FieldInput("data-push")))
        #expect(!form.visibleIDs.contains("oauth2Client"))
        let effects = form.handle(.confirm(.save))
        #expect(effects.isEmpty)
        #expect(form.step == .field("authType"))
        #expect(form.problems["authType"]?.contains("not offered") == true)
    }

    @Test("domain accepts a pasted account address", arguments: [
        "acme.eu-1", "ACME.EU-1", "https://acme.eu-1.celonis.cloud", "https://acme.eu-1.celonis.cloud/",
        "https://acme.eu-1.celonis.cloud/process-mining/ui?x=1", "acme.eu-1.celonis.cloud", "  acme.eu-1  ",
        "acme.eu-1.celonis.cloud:443/home",
    ])
    func domainNormalization(pasted: String) {
        var form = FormState(schema: schema("celonis"))
        form.handle(.set(field: "domain", FieldInput(pasted)))
        #expect(form.problems["domain"] == nil)
        #expect(form.value(of: "domain") == .string("acme.eu-1"))
    }

    @Test("domain refuses what is not a team and realm", arguments: ["acme", "https://example.com/acme", "acme eu-1", "acme.eu-1.example"])
    func domainRejection(bad: String) {
        var form = FormState(schema: schema("celonis"))
        form.handle(.set(field: "domain", FieldInput(bad)))
        #expect(form.problems["domain"]?.contains("team and realm") == true)
        #expect(form.value(of: "domain") == nil)
    }

    @Test("pool ID accepts a pasted data-pool address", arguments: [
        ("pool-abc123", "pool-abc123"),
        ("https://celigo.us-1.celonis.cloud/data-pool/pool-abc123", "pool-abc123"),
        ("https://acme.eu-1.celonis.cloud/integration/ui/data-pools/5f1c-77ab/", "5f1c-77ab"),
        ("https://acme.eu-1.celonis.cloud/data-pool/pool-abc123?tab=jobs", "pool-abc123"),
    ])
    func poolNormalization(pasted: String, expected: String) {
        var form = FormState(schema: schema("celonis"))
        form.handle(.set(field: "apiType", FieldInput("data-push")))
        form.handle(.set(field: "poolId", FieldInput(pasted)))
        #expect(form.problems["poolId"] == nil)
        #expect(form.value(of: "poolId") == .string(expected))
    }

    @Test func poolIDRefusesSpaces() {
        var form = FormState(schema: schema("celonis"))
        form.handle(.set(field: "apiType", FieldInput("data-push")))
        form.handle(.set(field: "poolId", FieldInput("pool abc")))
        #expect(form.problems["poolId"]?.contains("pool-abc123") == true)
    }

    @Test func oauthScopesAndClient() throws {
        var form = FormState(schema: schema("celonis"))
        form.type("Celonis OAuth", "1", "acme.eu-1", "3")
        #expect(form.currentID == "oauth2Client")
        form.handle(.submit(FieldInput(parts: ["clientId": "cid", "clientSecret": ""])))
        #expect(form.problems["oauth2Client"]?.contains("client secret") == true)
        form.handle(.submit(FieldInput(parts: ["clientId": "cid", "clientSecret": "csecret"])))
        form.type("ACME.eu-1.celonis.cloud")
        form.type("studio, 3")
        #expect(form.value(of: "scopes") == .list(["studio", "integration.data-pools"]))
        #expect(form.step == .review)
        let effects = form.handle(.confirm(.save))
        guard case .perform(.save, let draft)? = effects.first else { Issue.record("no draft: \(form.allProblems)"); return }
        #expect(draft.values["oauth2Client"] == .parts(["clientId": "cid", "clientSecret": "csecret"]))
        #expect(draft.values["validDomains"] == .string("acme.eu-1.celonis.cloud"))
        #expect(Set(draft.values.keys) == ["name", "apiType", "domain", "authType", "oauth2Client", "validDomains", "scopes"])
    }

    @Test func scopesRefuseUnknownOnes() {
        var form = FormState(schema: schema("celonis"))
        form.handle(.set(field: "apiType", FieldInput("intelligence")))
        form.handle(.set(field: "authType", FieldInput("oauth2")))
        form.handle(.set(field: "scopes", FieldInput("studio admin")))
        #expect(form.problems["scopes"]?.contains("“admin” is not a choice") == true)
    }

    @Test func hiddenAnswersAreDroppedFromTheDraft() throws {
        var form = FormState(schema: schema("celonis"))
        form.type("C1", "intelligence", "acme.eu-1", "token", "api-key-1")
        form.handle(.set(field: "authType", FieldInput("custom")))
        form.handle(.set(field: "appKey", FieldInput("app-key-1")))
        let draft = try #require(form.draft)
        #expect(draft.values["apiKey"] == nil)
        #expect(draft.values["appKey"] == .string("app-key-1"))
        // The hidden answer is kept in case the field returns.
        form.handle(.set(field: "authType", FieldInput("token")))
        #expect(form.draft?.values["apiKey"] == .string("api-key-1"))
    }
}
