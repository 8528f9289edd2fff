import ConnectionCore
import ConnectorSchema
import Connections
import FormEngine
import Foundation
import Sandbox
import Testing
import TestSupport

/// The one runner of a form's effects (issue 20): the events before and after, and whether a
/// sign-in follows a save, decided once for the line prompts and the full screen.
@Suite("The form effect runner and the connection listing")
struct FormEffectRunnerTests {
    @Test func aTestStartsAtOnceAndASaveOnlyWhenThePolicyTestsFirst() throws {
        let home = TemporaryFolder()
        let cases = sandboxedCases(home)
        let form = FormState(schema: schema("celigo-integrator-io"), context: FormContext())
        let draft = ioDraft()
        #expect(FormEffectRunner(cases: cases, policy: SavePolicy()).startEvents(.test, draft: draft, form: form) == [.testStarted])
        #expect(FormEffectRunner(cases: cases, policy: SavePolicy()).startEvents(.save, draft: draft, form: form).isEmpty)
        #expect(FormEffectRunner(cases: cases, policy: SavePolicy(testFirst: true)).startEvents(.saveAndAuthorize, draft: draft, form: form) == [.testStarted])
    }

    @Test func aSignInFollowsOnlySaveAndAuthorizeOfABrowserGrant() async throws {
        let home = TemporaryFolder()
        let cases = sandboxedCases(home)
        let certinia = schema("certinia")
        let values: [String: FieldValue] = [
            "name": .string("Certinia"), "accountType": .string("sandbox"), "oauthFlow": .string("refresh-token"),
            "consumerKey": .string(SandboxAccounts.salesforceClientID), "consumerSecret": .string(SandboxAccounts.salesforceClientSecret)]
        let runner = FormEffectRunner(cases: cases, policy: SavePolicy())
        let form = FormState(schema: certinia, context: try cases.formContext(.create))
        let authorizing = try await runner.run(.saveAndAuthorize, draft: ConnectionDraft(connectorID: "certinia", values: values), form: form)
        guard case .saveEnded(let first) = authorizing else { Issue.record("not a save"); return }
        #expect(FormEffectRunner.signInAfter(first, schema: certinia)?.connection.name == "Certinia")
        #expect(authorizing.events.contains { if case .saved = $0 { return true } else { return false } })

        var plain = values
        plain["name"] = .string("Certinia too")
        let saving = try await runner.run(.save, draft: ConnectionDraft(connectorID: "certinia", values: plain), form: form)
        guard case .saveEnded(let second) = saving else { Issue.record("not a save"); return }
        #expect(FormEffectRunner.signInAfter(second, schema: certinia) == nil, "Save alone signs nobody in")

        let io = try await runner.run(.saveAndAuthorize, draft: ioDraft("IO"), form: FormState(schema: schema("celigo-integrator-io"), context: FormContext()))
        guard case .saveEnded(let third) = io else { Issue.record("not a save"); return }
        #expect(FormEffectRunner.signInAfter(third, schema: schema("celigo-integrator-io")) == nil, "a token connector has no sign-in")

        let listed = try cases.listing()
        #expect(listed.map(\.connection.name) == ["Certinia", "Certinia too", "IO"])
        #expect(listed.map(\.needsAuthorization) == [true, true, false])
        let noConnectors = ConnectionUseCases(store: cases.store, log: cases.log, transport: cases.transport, connectors: ConnectorLookup { _ in nil })
        #expect(try noConnectors.listing().allSatisfy { !$0.needsAuthorization }, "a missing connector cannot say it needs a sign-in")

        let io3 = try #require(listed.last?.connection)
        guard case .opened(let found, let foundSchema) = try cases.open(id: io3.id) else { Issue.record("not opened"); return }
        #expect(found.id == io3.id && foundSchema.id == "celigo-integrator-io")
        guard case .connectorMissing(let missing) = try noConnectors.open(id: io3.id) else { Issue.record("not missing"); return }
        #expect(ConnectionOpening.missingLine(missing) == "The connector “celigo-integrator-io” of “IO” is not installed.")
        await #expect(throws: UseCaseFailure("The connector “celigo-integrator-io” of “IO” is not installed.")) {
            try await noConnectors.testSaved(missing)
        }
        guard case .gone = try cases.open(id: "no-such-id") else { Issue.record("not gone"); return }
        await cases.transport.close()
    }
}
