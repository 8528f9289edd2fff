import ConnectionCore
import ConnectorSchema
import FormEngine
import Foundation
import PromptUI

/// One pass through a connection's form, shared by `new` and `edit`: answers from options are
/// applied first; then either `--yes` saves (or lists problems), or the prompts ask the rest.
struct FormSession {
    let workspace: Workspace
    let inputs: AnswerOptions

    func run(_ form: FormState) throws {
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
                try save(draft, schema: schema)
                return
            }
            // Ask only what is still missing: start at the first problem, or the review.
            if let first = outcome.problems.first(where: { form.isVisible($0.field) }) {
                form.handle(.goTo(field: first.field))
            } else {
                form.handle(.review)
            }
        }

        let console = StandardConsole()
        switch PlainWizard(console: console).run(&form, actions: [.save]) {
        case .perform(_, let draft):
            try save(draft, schema: schema)
        case .cancelled:
            throw CLIFailure.failed("cancelled; nothing was saved")
        case .inputEnded:
            throw CLIFailure.failed("input ended before the form was finished; nothing was saved")
        }
    }

    func save(_ draft: ConnectionDraft, schema: ConnectorSchema) throws {
        let saved = try workspace.guarded { try workspace.store.save(draft, schema: schema) }
        let verb = draft.connectionID == nil ? "Saved" : "Updated"
        Output.print("\(verb) connection “\(saved.name)” (\(schema.title)).")
    }
}
