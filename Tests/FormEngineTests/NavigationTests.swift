import ConnectorSchema
import FormEngine
import Testing

@Suite("Navigation")
struct NavigationTests {
    @Test func walksFieldByFieldToTheReview() {
        var form = FormState(schema: schema("celigo-integrator-io"))
        #expect(form.route == [.field("name"), .field("region"), .field("token"), .review])
        #expect(form.progress == FormProgress(index: 1, count: 3, mayGrow: false))
        #expect(form.progress.text == "1 of 3")
        form.type("IO", "Europe", "tok-1")
        #expect(form.step == .review)
        #expect(form.value(of: "region") == .string("europe"))
    }

    @Test func invalidAnswerStaysWithAMessageButBackStillWorks() {
        var form = FormState(schema: schema("celigo-integrator-io"))
        form.type("IO", "asia")
        #expect(form.step == .field("region"))
        #expect(form.problems["region"]?.contains("north-america, europe") == true)
        form.handle(.back)
        #expect(form.step == .field("name"))
        form.handle(.back)
        #expect(form.step == .field("name"))
    }

    @Test func blankKeepsTheCurrentAnswerOrFailsWhenRequired() {
        var form = FormState(schema: schema("celigo-integrator-io"))
        form.type("")
        #expect(form.problems["name"] == "Name your connection is required")
        form.type("IO", "2")
        form.handle(.back)
        #expect(form.step == .field("region"))
        form.type("")
        #expect(form.step == .field("token"))
        #expect(form.value(of: "region") == .string("europe"))
    }

    @Test func defaultsAnswerBlankSubmissions() {
        var form = FormState(schema: schema("http-token"))
        form.type("API", "https://api.example.com/v1", "tok", "")
        #expect(form.value(of: "pingPath") == .string("/"))
        #expect(form.step == .advancedGate)
        form.handle(.chooseAdvanced(false))
        #expect(form.step == .review)
        let draft = form.draft
        #expect(draft?.values["headerName"] == .string("Authorization"))
        #expect(draft?.values["scheme"] == .string("Bearer"))
        #expect(draft?.values["pingMethod"] == .string("GET"))
    }

    @Test func advancedFieldsComeAfterTheGateOnlyWhenChosen() {
        var form = FormState(schema: schema("certinia"))
        form.type("SF", "production", "", "ck", "cs")
        #expect(form.step == .advancedGate)
        #expect(!form.route.contains(.field("concurrencyLevel")))
        form.handle(.chooseAdvanced(true))
        #expect(form.step == .field("borrowConcurrencyFrom"))
        form.type("", "26")
        #expect(form.problems["concurrencyLevel"] == "Concurrency level must be at most 25 (1–25); got 26")
        form.type("abc")
        #expect(form.problems["concurrencyLevel"]?.contains("whole number") == true)
        form.type("25")
        #expect(form.step == .review)
        form.handle(.back)
        form.handle(.back)
        form.handle(.back)
        #expect(form.step == .advancedGate)
    }

    @Test func goToAndReview() {
        var form = FormState(schema: schema("celigo-integrator-io"))
        form.handle(.goTo(field: "token"))
        #expect(form.step == .field("token"))
        form.handle(.goTo(field: "nope"))
        #expect(form.step == .field("token"))
        form.handle(.review)
        #expect(form.step == .review)
    }

    @Test func aFieldOpenedFromTheReviewLeadsBackThroughWhatItMadeNecessary() {
        var form = FormState(schema: schema("celonis"))
        form.type("C", "intelligence", "acme.eu-1", "custom", "app-key")
        #expect(form.step == .review)
        form.handle(.goTo(field: "authType"))
        form.type("token")
        #expect(form.step == .field("apiKey"))
        form.type("api-key")
        #expect(form.step == .review)
        form.handle(.goTo(field: "domain"))
        form.type("acme.us-1")
        #expect(form.step == .review)
    }

    @Test func confirmJumpsToTheFirstProblem() {
        var form = FormState(schema: schema("celigo-integrator-io"))
        form.handle(.set(field: "name", FieldInput("IO")))
        form.handle(.review)
        #expect(form.handle(.confirm(.save)).isEmpty)
        #expect(form.step == .field("region"))
        #expect(form.problems["token"] == "Token is required")
    }

    @Test func confirmAsksTheShellToPerformTheAction() throws {
        var form = FormState(schema: schema("celigo-integrator-io"))
        form.type("IO", "1", "tok")
        let effects = form.handle(.confirm(.test))
        guard case .perform(.test, let draft)? = effects.first else { Issue.record("no effect"); return }
        #expect(draft.connectorID == "celigo-integrator-io")
        #expect(draft.connectionID == nil)
        #expect(draft.name == "IO")
    }

    @Test func cancel() {
        var form = FormState(schema: schema("celigo-integrator-io"))
        #expect(form.handle(.cancel) == [.cancelled])
        #expect(form.step == .cancelled)
    }

    @Test func clearingOptionalAndRequiredAnswers() {
        var form = FormState(schema: schema("certinia"))
        form.handle(.set(field: "concurrencyLevel", FieldInput("5")))
        form.handle(.set(field: "concurrencyLevel", FieldInput("-")))
        #expect(form.value(of: "concurrencyLevel") == nil)
        #expect(form.problems["concurrencyLevel"] == nil)
        form.handle(.set(field: "name", FieldInput("N")))
        form.handle(.clear(field: "name"))
        #expect(form.problems["name"] == "Name your connection is required")
    }

    @Test func outlineShowsStates() {
        var form = FormState(schema: schema("celigo-integrator-io"))
        form.type("IO", "mars")
        let outline = form.outline
        #expect(outline.map(\.field) == ["name", "region", "token"])
        #expect(outline[0].state == .done)
        #expect(outline[0].display == "IO")
        guard case .error = outline[1].state else { Issue.record("region should show its error"); return }
        #expect(outline[2].state == .todo)
        #expect(outline.allSatisfy { $0.required })
    }

    @Test func secretsDisplayAsDotsOnly() {
        var form = FormState(schema: schema("celigo-integrator-io"))
        form.type("IO", "1", "very-secret-token")
        #expect(form.display("token") == "••••••")
        #expect(!form.outline.contains { $0.display?.contains("very-secret") == true })
        #expect(!"\(form.draft!)".contains("very-secret"))
    }
}
