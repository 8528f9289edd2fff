import ConnectorSchema
import FormEngine
import Testing

@Suite("Scripted answers")
struct ScriptedAnswersTests {
    @Test func appliesInFieldOrderWhateverTheKeyOrder() throws {
        var form = FormState(schema: schema("celonis"))
        let outcome = ScriptedAnswers(["poolId": "https://x.celonis.cloud/data-pool/p-1", "appKey": "k", "authType": "custom",
                                       "apiType": "data-push", "domain": "acme.eu-1", "name": "Push"]).apply(to: &form)
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(form.draft?.values["poolId"] == .string("p-1"))
    }

    @Test func listsEveryProblemOncePerField() {
        var form = FormState(schema: schema("celonis"))
        let outcome = ScriptedAnswers(["apiType": "intelligence", "authType": "oauth2", "domain": "nope", "scopes": "studio,bogus"]).apply(to: &form)
        #expect(outcome.problems.map(\.field) == ["domain", "scopes", "name", "oauth2Client", "validDomains"])
        #expect(outcome.problems[0].description.hasPrefix("domain: "))
    }

    @Test func unknownKeysAreProblemsWithAHint() {
        var form = FormState(schema: schema("celonis"))
        let outcome = ScriptedAnswers(["Domain": "acme.eu-1", "oauth2Client.secret": "x"]).apply(to: &form)
        #expect(outcome.problems.contains { $0.field == "Domain" && $0.message.contains("did you mean domain") })
        #expect(outcome.problems.contains { $0.field == "oauth2Client.secret" && $0.message.contains("oauth2Client.clientSecret") })
    }

    @Test func answersForHiddenFieldsAreIgnoredAndReported() {
        var form = FormState(schema: schema("celonis"))
        let outcome = ScriptedAnswers(["name": "C", "apiType": "intelligence", "domain": "acme.eu-1", "authType": "custom",
                                       "appKey": "k", "apiKey": "unused", "poolId": "p"]).apply(to: &form)
        #expect(outcome.problems.isEmpty)
        #expect(outcome.ignored == ["apiKey", "poolId"])
        #expect(form.draft?.values["apiKey"] == nil)
    }

    @Test func clientPartsCombine() {
        var form = FormState(schema: schema("celonis"))
        let outcome = ScriptedAnswers(["name": "C", "apiType": "intelligence", "domain": "acme.eu-1", "authType": "oauth2",
                                       "oauth2Client.clientId": "id", "oauth2Client.clientSecret": "s",
                                       "validDomains": "acme.eu-1.celonis.cloud", "scopes": "studio"]).apply(to: &form)
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(form.draft?.values["oauth2Client"] == .parts(["clientId": "id", "clientSecret": "s"]))
    }
}
