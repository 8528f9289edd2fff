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

/// A control character in any answer (issue 19, item 5): refused at entry, for every kind of
/// field, with a message that names the character and shows none of the answer.
@Suite("Control characters in answers")
struct ControlCharacterAnswerTests {
    @Test(arguments: [
        ("http-token", "token", "Leak-Me-\u{7f}Tok-998877", "DEL"),
        ("http-token", "name", "Name\u{1b}[2J", "ESC"),
        ("http-token", "baseUri", "https://api.example.com/\u{85}v1", "U+0085"),
        ("http-token", "pingPath", "/me\u{1}", "U+0001"),
        ("certinia", "concurrencyLevel", "2\u{7f}", "DEL"),
        ("celonis", "oauth2Client.clientSecret", "cs-\u{9b}-secret", "U+009B"),
        ("celonis", "oauth2Client.clientId", "id-\u{7}-x", "U+0007"),
    ])
    func everyKindRefusesAControlCharacter(connector: String, key: String, value: String, named: String) {
        var form = FormState(schema: schema(connector))
        var answers = ["name": "C", "apiType": "intelligence", "domain": "acme.eu-1", "authType": "oauth2",
                       "oauth2Client.clientId": "id", "oauth2Client.clientSecret": "s", "validDomains": "acme.eu-1.celonis.cloud",
                       "scopes": "studio", "baseUri": "https://api.example.com", "token": "t0k3n-ok", "accountType": "sandbox",
                       "consumerKey": "ck", "consumerSecret": "cs"]
        answers[key] = value
        let outcome = ScriptedAnswers(answers.filter { schema(connector).field(String($0.key.split(separator: ".")[0])) != nil }).apply(to: &form)
        let field = String(key.split(separator: ".")[0])
        let problem = outcome.problems.first { $0.field == field }
        #expect(problem?.message.contains("holds a control character (\(named))") == true, "\(outcome.problems)")
        for problem in outcome.problems {
            #expect(!problem.description.contains(value), "the answer was shown")
        }
        #expect(form.draft?.values[field]?.text.contains(value) != true)
    }

    @Test func aNulIsRefusedToo() {
        var form = FormState(schema: schema("http-token"))
        let outcome = ScriptedAnswers(["name": "N", "baseUri": "https://api.example.com", "token": "t0k3n-ok", "pingPath": "/me\u{0}x"]).apply(to: &form)
        #expect(outcome.problems.map(\.message.debugDescription) == ["\"Test path holds a control character (U+0000); copy it again without it\""])
    }
}
