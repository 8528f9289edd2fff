import ConnectorSchema

/// What the form says of the work the front end did for it: the last test, whether the answers
/// changed since, the status line and the actions offered at the review.
extension FormState {
    // MARK: Results of the shell's work

    /// The answers of the shown fields as they stand, whether or not they all pass: what a
    /// test of the form now would send.
    public var currentValues: [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        for field in visibleFields { values[field.id] = value(of: field.id) }
        return values
    }

    /// The labels of the fields whose answers changed since the last test, in form order
    /// (empty when there is no test, or it still matches).
    public var changedSinceTest: [String] {
        guard let tested = lastTest?.values else { return [] }
        let now = currentValues
        // Only answers a request carries: a new name sends nothing different.
        let neutral = schema.requestNeutralFields
        return schema.fields.filter { !neutral.contains($0.id) && tested[$0.id] != now[$0.id] }.map(\.label)
    }

    /// Whether the last test no longer matches the answers.
    public var testIsStale: Bool { lastTest != nil && !changedSinceTest.isEmpty }

    /// The line at the top of the panel, for every front end.
    public var status: FormStatus? {
        switch activity {
        case .testing?: return FormStatus("Testing “\(currentValues[ConnectorSchema.nameField]?.text ?? schema.title)”…", tone: .busy)
        case .cancellingTest?: return FormStatus("Cancelling the test…", tone: .busy)
        case nil: break
        }
        if let refusal { return FormStatus(refusal, tone: .failed) }
        guard let lastTest else { return nil }
        let changed = changedSinceTest
        if !changed.isEmpty {
            let verdict: String
            switch lastTest.result {
            case .passed: verdict = "passed"
            case .failed: verdict = "failed"
            case .cancelled: verdict = "was cancelled"
            }
            return FormStatus("The last test \(verdict), but \(changed.joined(separator: ", ")) changed since; test again to know whether these answers work.",
                              tone: .stale)
        }
        switch lastTest.result {
        case .passed: return FormStatus(lastTest.fullLine, tone: .passed)
        case .failed, .cancelled: return FormStatus(lastTest.fullLine, tone: .failed)
        }
    }

    /// Whether a test of this form has been logged, so View log can be offered.
    public var canViewLog: Bool { lastTest != nil && activity == nil }

    /// The actions on offer now, the default first, for every front end: Save; Test when the
    /// connector declares how to test it; Save & authorize while the answers choose an auth
    /// that signs in through a browser. Nothing while a test runs.
    public var offeredActions: [FormAction] {
        guard activity == nil else { return [] }
        var offered: [FormAction] = [.save]
        if schema.http != nil { offered.append(.test) }
        if schema.http?.signsInThroughBrowser({ value(of: $0) }) == true { offered.append(.saveAndAuthorize) }
        return offered
    }
}
