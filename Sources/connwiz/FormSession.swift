import ArgumentParser
import ConnectionCore
import ConnectorSchema
import FormEngine
import Foundation
import PromptUI
import TerminalUI

/// One pass through a connection's form, shared by `new` and `edit`: answers from options are
/// applied first; then either `--yes` saves (or lists problems), or the prompts ask the rest.
struct FormSession {
    let workspace: Workspace
    let inputs: AnswerOptions
    let checks: CheckOptions
    let screen: ScreenOptions

    func run(_ form: FormState) async throws {
        var form = form
        let schema = form.schema
        let given = try inputs.collect(for: schema, environment: workspace.environment)
        let unknown = ScriptedAnswers(given).unknownKeys(in: schema)
        if !unknown.isEmpty {
            // A misspelt key is a mistake in the command, whether or not prompts could follow.
            for problem in unknown { Output.error(problem.description) }
            throw CLIFailure.quiet(2)
        }
        if !given.isEmpty || inputs.yes {
            let outcome = ScriptedAnswers(given).apply(to: &form)
            for key in outcome.ignored {
                Output.note("note: \(key) is not used with these answers; its value was ignored")
            }
            if inputs.yes {
                guard outcome.problems.isEmpty, let draft = form.draft else {
                    Output.error("\(outcome.problems.count) answer(s) missing or invalid; nothing was saved:")
                    for problem in outcome.problems { Output.note("  \(problem)") }
                    throw CLIFailure.quiet(2)
                }
                try await finish(draft, schema: schema, interactive: false)
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
            let session = FullScreenSession(driver: driver, workspace: workspace, checks: checks)
            guard try await session.running({ try await $0.panel(form) }) != nil else {
                throw CLIFailure.failed("cancelled; nothing was saved")
            }
            return
        }
        let console = StandardConsole()
        var announce = true
        while true {
            switch PlainWizard(console: console).run(&form, actions: [.save, .test], announce: announce) {
            case .perform(.test, let draft):
                _ = try await test(draft, schema: schema)
                Output.print("")
            case .perform(_, let draft):
                if try await finish(draft, schema: schema, interactive: true) { return }
                Output.print("")
            case .cancelled:
                throw CLIFailure.failed("cancelled; nothing was saved")
            case .inputEnded:
                throw CLIFailure.failed("input ended before the form was finished; nothing was saved")
            }
            announce = false
        }
    }

    /// Saves `draft`, testing it first with `--test`. Returns false when an interactive
    /// session should go back to the review (the test failed).
    @discardableResult
    func finish(_ draft: ConnectionDraft, schema: ConnectorSchema, interactive: Bool) async throws -> Bool {
        var tested: TestAttempt?
        if checks.test {
            let attempt = try await test(draft, schema: schema)
            tested = attempt
            if !attempt.passed && !checks.saveAnyway {
                if interactive {
                    Output.print("Not saved: the test failed. Change an answer, test again, or save with --save-anyway.")
                    return false
                }
                Output.error("not saved: the test failed (use --save-anyway to save all the same)")
                throw CLIFailure.quiet(1)
            }
        }
        let saved = try workspace.save(draft, schema: schema, tested: tested)
        let verb = draft.connectionID == nil ? "Saved" : "Updated"
        Output.print("\(verb) connection “\(saved.name)” (\(schema.title)).")
        if let tested, !tested.passed { throw CLIFailure.quiet(1) }
        return true
    }

    /// Tests the draft as it stands; the attempt is logged under the connection (when editing)
    /// or under the draft's name until it is saved.
    func test(_ draft: ConnectionDraft, schema: ConnectorSchema) async throws -> TestAttempt {
        let harness = try await TestHarness.open(checks.network, workspace: workspace)
        let key = draft.connectionID ?? ExchangeLog.draftKey(for: draft.name)
        let subject = ConnectionTester.Subject(name: draft.name, logKey: key, schema: schema, values: draft.values)
        do {
            let result = try await harness.run(subject, json: false, logName: draft.name)
            await harness.close()
            return result.attempt
        } catch {
            await harness.close()
            throw error
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

    func validate() throws {
        if saveAnyway && !test { throw ValidationError("--save-anyway goes with --test") }
    }
}
