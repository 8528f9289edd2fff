import ArgumentParser
import ConnectionCore
import Connections
import ConnectorSchema
import FormEngine

/// The answer, check and screen options of `remote pull` and `import`: those of `new`.
struct DocumentFormOptions: ParsableArguments {
    @OptionGroup var inputs: AnswerOptions
    @OptionGroup var checks: CheckOptions
    @OptionGroup var screen: ScreenOptions

    func form(_ workspace: Workspace) -> DocumentForm {
        DocumentForm(workspace: workspace, inputs: inputs, checks: checks, screen: screen)
    }
}

/// Opens the form on answers read from a connection document (`remote pull`, `import`): every
/// answer filled in, asking only those still missing (the secrets), through the
/// same session as `new`, so flags, prompts and the full screen all work.
struct DocumentForm {
    let workspace: Workspace
    let inputs: AnswerOptions
    let checks: CheckOptions
    let screen: ScreenOptions

    /// - Parameters:
    ///   - linked: the local connection the document is already linked to; the form edits it.
    ///   - remoteIDs: recorded with the connection when it is saved (account id → `_id`).
    func run(_ answers: DocumentAnswers, from origin: String, linked: StoredConnection?, remoteIDs: [String: String]) async throws {
        let schema = try workspace.connector(answers.connector)
        let mode: FormContext.Mode = linked.map { .edit(connectionID: $0.id) } ?? .create
        var context = try workspace.guarded { try workspace.useCases(nil).formContext(mode) }
        context.remoteIDs = remoteIDs
        var form = FormState(schema: schema, context: context, prefill: answers.values)
        let missing = form.allProblems.filter { form.isVisible($0.field) }
        // Opened from the review, each answer leads to the next one missing, then back to it.
        form.handle(.review)
        if let first = missing.first { form.handle(.goTo(field: first.field)) }
        let labels = missing.compactMap { schema.field($0.field)?.label }
        Output.note("Read “\(answers.name)” (\(schema.title)) from \(origin)"
                    + (linked.map { "; saving updates the local “\($0.name)”" } ?? "")
                    + (labels.isEmpty ? "." : "; still to answer: \(labels.joined(separator: ", "))."))
        try await FormSession(workspace: workspace, inputs: inputs, checks: checks, screen: screen).run(form)
    }
}
