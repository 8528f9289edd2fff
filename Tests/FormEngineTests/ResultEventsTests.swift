import ConnectorSchema
import Foundation
import FormEngine
import PromptUI
import Testing

/// Results of the shell's work come back as events, and the engine owns what follows from
/// them: the status line, whether View log is offered, which actions are, and staleness.
@Suite("Results as events")
struct ResultEventsTests {
    /// A Celonis Data push form, answered and at the review.
    static func dataPushForm() -> FormState {
        var form = FormState(schema: schema("celonis"))
        for (field, answer) in [("name", "EU push"), ("apiType", "data-push"), ("domain", "acme.eu-1"), ("authType", "custom"),
                                ("poolId", "pool-abc123"), ("appKey", "app-key-secret-1")] {
            form.handle(.set(field: field, FieldInput(answer)))
        }
        form.handle(.review)
        return form
    }

    static func report(_ result: TestReport.Result, of form: FormState, line: String = "Test succeeded: 200 OK in 84 ms", attempt: Int = 1) -> TestReport {
        TestReport(result: result, line: line, logKey: "draft-eu-push", attempt: attempt, at: Date(timeIntervalSince1970: 0),
                   values: form.currentValues)
    }

    @Test func aPassingTestGoesStaleWhenAnAnswerItDependedOnChanges() {
        var form = Self.dataPushForm()
        #expect(form.status == nil && !form.canViewLog)
        form.handle(.testStarted)
        #expect(form.status?.tone == .busy)
        #expect(form.offeredActions.isEmpty, "nothing is offered while a test runs")
        form.handle(.tested(Self.report(.passed, of: form)))
        #expect(form.status == FormStatus("Test succeeded: 200 OK in 84 ms", tone: .passed))
        #expect(form.canViewLog && !form.testIsStale)

        // Switching API type to Intelligence: the Data push test says nothing of these answers.
        form.handle(.set(field: "apiType", FieldInput("intelligence")))
        #expect(form.testIsStale)
        #expect(form.changedSinceTest == ["API type", "Pool ID"])
        #expect(form.status?.tone == .stale)
        #expect(form.status?.text.contains("passed, but API type, Pool ID changed since") == true)
        #expect(form.status?.text.contains("Test succeeded") == false)
        #expect(form.canViewLog, "the earlier attempt can still be viewed")
        #expect(form.lastTest?.attempt == 1)

        // Back to the tested answers, the result holds again.
        form.handle(.set(field: "apiType", FieldInput("data-push")))
        #expect(!form.testIsStale && form.status?.tone == .passed)
    }

    /// Issue 19, item 17: the name and the concurrency settings reach no request, so changing
    /// them leaves the test standing.
    @Test func renamingOrChangingConcurrencyLeavesTheTestStanding() {
        var form = Self.dataPushForm()
        form.handle(.tested(Self.report(.passed, of: form)))
        form.handle(.set(field: "name", FieldInput("EU push, renamed")))
        #expect(!form.testIsStale && form.changedSinceTest.isEmpty && form.status?.tone == .passed)

        var certinia = FormState(schema: schema("certinia"))
        for (field, answer) in [("name", "C"), ("accountType", "sandbox"), ("consumerKey", "ck"), ("consumerSecret", "cs")] {
            certinia.handle(.set(field: field, FieldInput(answer)))
        }
        certinia.handle(.tested(Self.report(.passed, of: certinia)))
        certinia.handle(.set(field: "concurrencyLevel", FieldInput("5")))
        #expect(!certinia.testIsStale)
        certinia.handle(.set(field: "consumerKey", FieldInput("another-key")))
        #expect(certinia.changedSinceTest == ["Consumer key"] || certinia.testIsStale, "an answer a request carries still does")
    }

    @Test func cancellingAndRefusalsAreStatusesToo() {
        var form = Self.dataPushForm()
        form.handle(.testStarted)
        form.handle(.testCancelled)
        #expect(form.activity == .cancellingTest && form.status?.text == "Cancelling the test…")
        form.handle(.tested(Self.report(.cancelled, of: form, line: "Cancelled: the test was stopped before it finished")))
        #expect(form.activity == nil && form.status?.tone == .failed)
        form.handle(.testNotRun("the sandbox could not start: port in use"))
        #expect(form.status == FormStatus("Cannot test: the sandbox could not start: port in use", tone: .failed))
        form.handle(.testStarted)
        #expect(form.status?.tone == .busy, "a new test clears the refusal")
        form.handle(.tested(Self.report(.failed, of: form, line: "The credentials were rejected: 401 Unauthorized", attempt: 2)))
        form.handle(.saveRefused("the test failed"))
        #expect(form.status == FormStatus("Not saved: the test failed", tone: .failed))
        form.handle(.saved(id: "c123"))
        #expect(form.savedID == "c123")
    }

    @Test func oneFunctionDecidesTheActionsOffered() {
        #expect(Self.dataPushForm().offeredActions == [.save, .test])
        var certinia = FormState(schema: schema("certinia"))
        #expect(certinia.offeredActions == [.save, .test, .saveAndAuthorize], "refresh token is the default flow")
        certinia.handle(.set(field: "oauthFlow", FieldInput("jwt-bearer")))
        #expect(certinia.offeredActions == [.save, .test])
        // An action not offered is not performed.
        #expect(certinia.handle(.confirm(.saveAndAuthorize)).isEmpty)
    }

    @Test func theLinePromptsOfferSaveAndAuthorizeWhereTheFullScreenDoes() {
        let console = ScriptedConsole(["a"])
        var form = FormState(schema: schema("certinia"))
        for (field, answer) in [("name", "Certinia"), ("accountType", "production"), ("consumerKey", "3MVG9-key"),
                                ("consumerSecret", "consumer-secret-1")] {
            form.handle(.set(field: field, FieldInput(answer)))
        }
        form.handle(.review)
        let outcome = PlainWizard(console: console).run(&form)
        guard case .perform(.saveAndAuthorize, _) = outcome else { Issue.record("\(outcome)\n\(console.transcript)"); return }
        #expect(console.transcript.contains("a save & authorize"))
    }

    @Test func theLinePromptsShowTheEnginesStatusAtTheReview() {
        let console = ScriptedConsole(["s"])
        var form = Self.dataPushForm()
        form.handle(.tested(Self.report(.passed, of: form)))
        form.handle(.set(field: "poolId", FieldInput("pool-other")))
        _ = PlainWizard(console: console).run(&form, announce: false)
        #expect(console.transcript.contains("! The last test passed, but Pool ID changed since"), "\(console.transcript)")
    }

    @Test func aReportNeverPrintsTheAnswersItTested() {
        let form = Self.dataPushForm()
        let report = Self.report(.passed, of: form)
        #expect(!"\(report)".contains("app-key-secret-1") && !String(reflecting: report).contains("app-key-secret-1"))
    }
}
