import ConnectorSchema
import FormEngine
import PromptUI
import Testing

/// Choices named by words of their labels at the line prompts, and a step counter that moves
/// by one field and does not promise a total while fields may still appear.
@Suite("Label words and the step counter")
struct LabelWordsAndProgressTests {
    @Test func linePromptsTakeWordsOfAChoicesLabel() {
        let console = ScriptedConsole(["Push", "data push", "acme.eu-1", "1", "pool-1", "key-1", "s"])
        var form = FormState(schema: schema("celonis"))
        guard case .perform(.save, let draft) = PlainWizard(console: console).run(&form) else {
            Issue.record(Comment(rawValue: console.transcript)); return
        }
        #expect(draft.values["apiType"] == .string("data-push"))
        #expect(console.transcript.contains("    → Data push API\n"))

        for typed in ["na", "north", "North Am", "NA"] {
            var io = FormState(schema: schema("celigo-integrator-io"))
            io.type("IO", typed)
            #expect(io.value(of: "region") == .string("north-america"), "“\(typed)”")
        }
        var eu = FormState(schema: schema("celigo-integrator-io"))
        eu.type("IO", "eu")
        #expect(eu.value(of: "region") == .string("europe"))
    }

    @Test func wordsThatFitSeveralOptionsOrNoneAreRefused() {
        var form = FormState(schema: schema("celonis"))
        form.type("C", "api")
        #expect(form.step == .field("apiType"), "“api” fits both APIs")
        #expect(form.problems["apiType"]?.contains("is not a choice") == true)
        form.type("asia")
        #expect(form.step == .field("apiType"))
    }

    @Test func theCounterMovesByOneFieldAndSaysAtLeastWhileFieldsMayAppear() {
        var form = FormState(schema: schema("celonis"))
        var seen: [FormProgress] = [form.progress]
        for answer in ["C", "intelligence", "acme.eu-1", "oauth2", "client-1"] {
            form.type(answer)
            seen.append(form.progress)
        }
        #expect(seen.map(\.index) == [1, 2, 3, 4, 5, 5], "\(seen)")
        #expect(seen.first?.text == "1 of at least 4")
        #expect(seen.prefix(4).allSatisfy { $0.mayGrow }, "\(seen)")
        // Once the auth type is answered, nothing hidden can appear: the total is known.
        #expect(seen[4].text == "5 of 7", "\(seen)")
        var simple = FormState(schema: schema("celigo-integrator-io"))
        #expect(simple.progress.text == "1 of 3")
        simple.type("IO", "europe", "tok")
        #expect(simple.step == .review && simple.progress.index == 4)
    }
}
