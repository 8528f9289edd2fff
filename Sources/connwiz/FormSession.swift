import ArgumentParser
import ConnectionCore
import Connections
import ConnectorSchema
import FormEngine
import Foundation
import PromptUI
import StandIns
import TerminalUI

/// One pass through a connection's form, shared by `new` and `edit`: answers from options are
/// applied first; then either `--yes` saves (or lists problems), or the full screen or the
/// line prompts ask the rest. Every action goes through the use cases, and their results go
/// back into the form as events.
struct FormSession {
    let workspace: Workspace
    let inputs: AnswerOptions
    let checks: CheckOptions
    let screen: ScreenOptions
    /// `--authorize` and how to sign in: Save & authorize for `--yes`, and how the review's
    /// Save & authorize signs in.
    var signIn = SignInChoice()
    var authorizeAfterSave = false

    func run(_ form: FormState) async throws {
        var form = form
        let schema = form.schema
        // Under a sandbox, its own published secrets may be written in an answers file as they are.
        let published = checks.network.sandbox || checks.network.sandboxURL != nil
            ? SandboxAccountList.secretValues(in: workspace.catalog(reportProblems: false)) : []
        let given = try inputs.collect(for: schema, environment: workspace.environment, sandboxSecrets: published)
        let unknown = ScriptedAnswers(given).unknownKeys(in: schema)
        if !unknown.isEmpty {
            // A misspelt key is a mistake in the command, whether or not prompts could follow.
            throw CLIFailure.problems(unknown.map(\.description), reason: "unknown_field", field: unknown.first?.field)
        }
        if !given.isEmpty || inputs.yes {
            let outcome = ScriptedAnswers(given).apply(to: &form)
            for key in outcome.ignored {
                Output.note("note: \(key) is not used with these answers; its value was ignored")
            }
            if inputs.yes {
                guard outcome.problems.isEmpty, let draft = form.draft else {
                    throw CLIFailure(message: (["\(outcome.problems.count) answer(s) missing or invalid; nothing was saved:"]
                                               + outcome.problems.map { "  \($0)" }).joined(separator: "\n"),
                                     code: 2, reason: "invalid_answers", field: outcome.problems.first?.field)
                }
                let cases = workspace.useCases(checks.network)
                do {
                    try await save(draft, action: authorizeAfterSave ? .saveAndAuthorize : .save, form: &form, cases: cases, interactive: false)
                } catch {
                    await cases.transport.close()
                    throw error
                }
                await cases.transport.close()
                return
            }
            // Ask only what is still missing: start at the first problem, or the review.
            if let first = outcome.problems.first(where: { form.isVisible($0.field) }) {
                form.handle(.goTo(field: first.field))
            } else {
                form.handle(.review)
            }
        }

        if let driver = screen.fullScreen(environment: workspace.environment) {
            guard case .saved = try await FullScreen.run(.form(form), driver: driver, workspace: workspace, checks: checks, signIn: signIn) else {
                throw CLIFailure.failed("cancelled; nothing was saved")
            }
            return
        }
        let cases = workspace.useCases(checks.network)
        do {
            try await prompt(&form, cases: cases)
        } catch {
            await cases.transport.close()
            throw error
        }
        await cases.transport.close()
    }

    /// The line prompts, until the form is saved or left.
    private func prompt(_ form: inout FormState, cases: ConnectionUseCases) async throws {
        let console = StandardConsole()
        var announce = true
        while true {
            switch PlainWizard(console: console).run(&form, announce: announce) {
            case .perform(.test, let draft):
                let runner = FormEffectRunner(cases: cases, policy: checks.policy), asked = form
                for event in runner.startEvents(.test, draft: draft, form: form) { form.handle(event) }
                let run = try await Interruptible.run { try await runner.test(draft, form: asked) }
                try TestPrinter.print(run, json: false, logName: draft.name)
                form.handle(run.event)
                Output.print("")
            case .perform(let action, let draft):
                if try await save(draft, action: action, form: &form, cases: cases, interactive: true) { return }
                Output.print("")
            case .cancelled:
                discard(form, cases: cases)
                throw CLIFailure.failed("cancelled; nothing was saved")
            case .inputEnded:
                discard(form, cases: cases)
                throw CLIFailure.failed("input ended before the form was finished; nothing was saved")
            }
            announce = false
        }
    }

    /// A new connection left unsaved takes its draft's test logs with it.
    private func discard(_ form: FormState, cases: ConnectionUseCases) {
        let removed = cases.discard(form)
        if removed > 0 { Output.note("Removed the \(removed) logged test(s) of the unsaved draft “\(form.currentValues[ConnectorSchema.nameField]?.text ?? "")”.") }
    }

    /// Saves `draft` under the `--test` policy. Returns false when an interactive session
    /// should go back to the review (the test failed).
    @discardableResult
    func save(_ draft: ConnectionDraft, action: FormAction, form: inout FormState, cases: ConnectionUseCases,
              interactive: Bool) async throws -> Bool {
        let schema = form.schema, lastTest = form.lastTest, asked = form
        let shared = form.sharedClientChange
        let runner = FormEffectRunner(cases: cases, policy: checks.policy)
        let outcome = try await Interruptible.run { try await runner.save(draft, action: action, form: asked) }
        let ran: TestRun?
        switch outcome {
        case .saved(let saved): ran = saved.test
        case .refused(let run): ran = run
        }
        for event in outcome.events { form.handle(event) }
        if inputs.json {
            try SaveReport.print(outcome, ran: ran)
            switch outcome {
            case .refused: throw CLIFailure.quiet(1)
            case .saved(let saved): if saved.savedDespiteFailedTest { throw CLIFailure.quiet(1) }
            }
            if authorizeAfterSave { throw CLIFailure.usage("--authorize prints no JSON: the connection was saved; sign in with connwiz authorize NAME --json") }
            return true
        }
        // A test run for this save is reported as `test` reports it; one the operator already saw is not.
        if let ran, ran.report != lastTest { try TestPrinter.print(ran, json: false, logName: draft.name) }
        switch outcome {
        case .refused:
            if interactive {
                Output.print("Not saved: the test failed. Change an answer, test again, or save with --save-anyway.")
                return false
            }
            Output.error("not saved: the test failed (use --save-anyway to save all the same)")
            throw CLIFailure.quiet(1)
        case .saved(let saved):
            Output.print(saved.line(title: schema.title))
            for note in saved.notes { Output.print(note) }
            if let shared {
                Output.print("The stored client “\(shared.client)” changed for \(shared.othersListed) too: "
                             + (shared.others.count == 1 ? "it uses" : "they use") + " it.")
            }
            if saved.savedDespiteFailedTest { throw CLIFailure.quiet(1) }
            if FormEffectRunner.signInAfter(outcome, schema: schema) != nil {
                Output.print("")
                try await SignIn(options: signIn, cases: cases).run(saved.connection)
            }
            return true
        }
    }
}

/// `--test`, `--save-anyway` and how tests reach the network, for `new` and `edit`.
struct CheckOptions: ParsableArguments {
    @Flag(name: .long, help: "Test the connection before saving; save only if the test passes.")
    var test = false

    @Flag(name: .customLong("save-anyway"), help: "With --test: save even when the test fails (exit status 1 all the same).")
    var saveAnyway = false

    @OptionGroup var network: NetworkOptions

    var policy: SavePolicy { SavePolicy(testFirst: test, saveAnyway: saveAnyway) }

    func validate() throws {
        if saveAnyway && !test { throw ValidationError("--save-anyway goes with --test") }
    }
}
