import ConnectorSchema

/// Everything a front end can tell the engine. Keys, prompt lines and flags all become these.
public enum FormEvent: Hashable, Sendable {
    /// Answer the current field. Blank keeps the current answer, or takes the default.
    case submit(FieldInput)
    /// Answer any field without moving (flags, answers files, inline edits).
    case set(field: String, FieldInput)
    /// Remove the answer of an optional field.
    case clear(field: String)
    /// Go to the previous step. Always allowed, whatever the current field holds.
    case back
    /// Go to a visible field (from the review or the outline).
    case goTo(field: String)
    /// Go to the review of every answer.
    case review
    /// At the advanced gate: whether to edit the advanced settings.
    case chooseAdvanced(Bool)
    /// Check every answer and, when all pass, ask the shell to run the action.
    case confirm(FormAction)
    /// Leave without saving.
    case cancel

    // Results of the shell's work, sent back by the use-case layer.

    /// A test of the draft has started.
    case testStarted
    /// The operator asked to stop the running test.
    case testCancelled
    /// A test finished (passed, failed or cancelled) and was logged.
    case tested(TestReport)
    /// A test could not run at all (the sandbox did not start, the log cannot be written).
    case testNotRun(String)
    /// The draft was saved as the connection with this id.
    case saved(id: String)
    /// The draft was not saved, for this reason (a failed test under `--test`, a taken name).
    case saveRefused(String)
}

/// What the operator asks for once the form is filled.
public enum FormAction: String, Hashable, Sendable, CaseIterable {
    case test
    case save
    /// OAuth connectors: save, then send the operator through the provider's sign-in.
    case saveAndAuthorize
}

/// Work for the shell to do; its results come back as new events (`.tested`, `.saved` …).
public enum FormEffect: Hashable, Sendable {
    case perform(FormAction, ConnectionDraft)
    case cancelled
}
