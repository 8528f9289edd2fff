import ConnectorSchema
import FormEngine
import PromptUI
import Testing

/// A console fed from a list of lines that records everything written to it.
final class ScriptedConsole: LineConsole {
    var lines: [String]
    var transcript = ""
    var secretPrompts = 0

    init(_ lines: [String]) { self.lines = lines }

    func write(_ text: String) { transcript += text }
    func readLine(prompt: String) -> String? {
        write(prompt)
        return lines.isEmpty ? nil : lines.removeFirst()
    }
    func readSecret(prompt: String) -> String? {
        secretPrompts += 1
        return readLine(prompt: prompt)
    }
}

@Suite("Plain prompts")
struct PlainWizardTests {
    @Test func createsAConnectionWithBackAndHelp() {
        let console = ScriptedConsole(["IO", "?", "<", "", "2", "?", "tok-secret-1", ""])
        var form = FormState(schema: schema("celigo-integrator-io"))
        let outcome = PlainWizard(console: console).run(&form)
        guard case .perform(.save, let draft) = outcome else { Issue.record("\(outcome)\n\(console.transcript)"); return }
        #expect(draft.values == ["name": .string("IO"), "region": .string("europe"), "token": .string("tok-secret-1")])
        #expect(console.transcript.contains("1) North America"))
        #expect(console.transcript.contains("How to get an API token:"))
        #expect(console.transcript.contains("3. Choose Create API token."))
        #expect(console.transcript.contains("Review: Celigo integrator.io"))
        // The ? on the token field is itself read by the hidden prompt.
        #expect(console.secretPrompts == 2)
        #expect(!console.transcript.contains("tok-secret-1"))
    }

    @Test func saysWhatWasKeptFromAPasteAndWrapsSteps() {
        let console = ScriptedConsole(["C", "2", "https://acme.eu-1.celonis.cloud/home", "1", "?",
                                       "https://acme.eu-1.celonis.cloud/data-pool/pool-abc123", "k", "s"])
        var form = FormState(schema: schema("celonis"))
        guard case .perform = PlainWizard(console: console).run(&form) else { Issue.record(Comment(rawValue: console.transcript)); return }
        #expect(console.transcript.contains("    → acme.eu-1\n"))
        #expect(console.transcript.contains("    → Data push API\n"))
        #expect(console.transcript.contains("    → pool-abc123\n"))
        #expect(!console.transcript.contains("→ k"))
        #expect(console.transcript.contains("      4. Copy the address from the browser; the pool ID is its last part, as\n         in .../data-pool/pool-abc123."))
        #expect(console.transcript.split(separator: "\n").allSatisfy { $0.count <= 78 || $0.contains("?") || $0.contains(":") })
    }

    @Test func showsErrorsAndAsksAgain() {
        let console = ScriptedConsole(["IO", "asia", "1", "t", "s"])
        var form = FormState(schema: schema("celigo-integrator-io"))
        _ = PlainWizard(console: console).run(&form)
        #expect(console.transcript.contains("✗ “asia” is not a choice of Region; choose one of: north-america, europe"))
    }

    @Test func reviewCanChangeAFieldByNumber() {
        let console = ScriptedConsole(["IO", "1", "t", "2", "2", "s"])
        var form = FormState(schema: schema("celigo-integrator-io"))
        guard case .perform(_, let draft) = PlainWizard(console: console).run(&form) else { Issue.record(Comment(rawValue: console.transcript)); return }
        #expect(draft.values["region"] == .string("europe"))
    }

    @Test func endOfInputLeavesWithoutADraft() {
        var form = FormState(schema: schema("celigo-integrator-io"))
        #expect(PlainWizard(console: ScriptedConsole(["IO"])).run(&form) == .inputEnded)
    }

    @Test func quitAsksFirst() {
        var form = FormState(schema: schema("celigo-integrator-io"))
        let console = ScriptedConsole(["IO", "1", "t", "q", "n", "q", "y"])
        #expect(PlainWizard(console: console).run(&form) == .cancelled)
        #expect(console.transcript.components(separatedBy: "Leave without saving?").count == 3)
    }

    @Test func oauthClientAsksBothPartsAndHidesTheSecret() {
        let console = ScriptedConsole(["C", "1", "acme.eu-1", "3", "client-id", "client-secret-9", "acme.eu-1.celonis.cloud", "1,2", ""])
        var form = FormState(schema: schema("celonis"))
        guard case .perform(_, let draft) = PlainWizard(console: console).run(&form) else { Issue.record(Comment(rawValue: console.transcript)); return }
        #expect(draft.values["scopes"] == .list(["studio", "intelligence.knowledge-models:read"]))
        #expect(console.secretPrompts == 1)
        #expect(!console.transcript.contains("client-secret-9"))
        #expect(console.transcript.contains("client-id, secret ••••••"))
    }

    @Test func advancedGateAndNumbers() {
        let console = ScriptedConsole(["SF", "2", "", "ck", "cs", "y", "", "30", "10", "s"])
        var form = FormState(schema: schema("certinia"))
        guard case .perform(_, let draft) = PlainWizard(console: console).run(&form) else { Issue.record(Comment(rawValue: console.transcript)); return }
        #expect(draft.values["concurrencyLevel"] == .number(10))
        #expect(console.transcript.contains("Edit advanced settings (Borrow concurrency from, Concurrency level)?"))
        #expect(console.transcript.contains("✗ Concurrency level must be at most 25"))
        #expect(console.transcript.contains("No connection of this kind is saved yet"))
    }
}

extension PlainWizardTests {
    /// A connection of another org (`matching`) is not listed: the numbers shown are the ones
    /// the engine takes, so `1` picks the connection printed as 1.
    @Test func savedConnectionsAreNumberedAsTheEngineTakesThem() {
        let saved = [FormContext.SavedConnection(id: "c1", name: "Sandbox S", connectorID: "certinia", values: ["accountType": .string("sandbox")]),
                     FormContext.SavedConnection(id: "c2", name: "Prod P", connectorID: "certinia", values: ["accountType": .string("production")])]
        let console = ScriptedConsole(["SF", "1", "", "ck", "cs", "y", "1", "s"])
        var form = FormState(schema: schema("certinia"), context: FormContext(savedConnections: saved))
        guard case .perform(_, let draft) = PlainWizard(console: console).run(&form) else { Issue.record(Comment(rawValue: console.transcript)); return }
        #expect(console.transcript.contains("    1) Prod P"), "\(console.transcript)")
        #expect(!console.transcript.contains("Sandbox S"), "\(console.transcript)")
        #expect(draft.values["borrowConcurrencyFrom"] == .string("c2"))
    }
}
