import ConnectorSchema

/// The Create connection panel as pure data: answers, where the operator is, what is wrong.
///
/// Front ends send `FormEvent`s to `handle(_:)` and draw what the state says; the engine never
/// touches a terminal, a file or the network. Work such as testing or saving comes back as
/// `FormEffect`s for the shell to run (the style of bubbletea's `Update` and TCA's reducers).
///
/// ```swift
/// var form = FormState(schema: celonis)
/// form.handle(.submit(FieldInput("EU push")))     // name
/// form.handle(.submit(FieldInput("data-push")))   // apiType
/// form.handle(.back)                              // always allowed
/// ```
///
/// Rules the engine keeps:
/// - fields are asked in the file's order; a field is shown only while its `when` holds, and
///   answers of hidden fields are left out of the draft (but kept, should the field return);
/// - advanced fields come after the simple ones, behind an explicit choice;
/// - an invalid answer is refused with a message, but never traps: `back` always works;
/// - on edit, everything but secrets is pre-filled; secrets must be entered again.
public struct FormState: Sendable {
    public let schema: ConnectorSchema
    public let context: FormContext
    /// Every answer given, by field id, including those of fields hidden now.
    public private(set) var answers: [String: FieldValue]
    /// The current message of each field that has one.
    public private(set) var problems: [String: String] = [:]
    public private(set) var step: FormStep
    /// Whether the operator chose to edit the advanced settings.
    public private(set) var showsAdvanced = false
    /// Set when a field was opened from the review: answering it leads back there, through
    /// any field the new answer made necessary.
    public private(set) var returnsToReview = false
    /// The last test of this form's answers, from `.tested`; kept when answers change, so the
    /// status can say it is stale and View log can still show it.
    public private(set) var lastTest: TestReport?
    /// What the shell is doing for the form, from `.testStarted` and `.testCancelled`.
    public private(set) var activity: FormActivity?
    /// Why the last action did not happen (`.testNotRun`, `.saveRefused`), until the next one.
    public private(set) var refusal: String?
    /// The id the draft was saved under, from `.saved`.
    public private(set) var savedID: String?

    /// A new form. `prefill` holds the saved answers of a connection being edited; values of
    /// secret fields and secret parts are dropped from it, so they must be entered again.
    public init(schema: ConnectorSchema, context: FormContext = FormContext(), prefill: [String: FieldValue] = [:]) {
        self.schema = schema
        self.context = context
        var kept: [String: FieldValue] = [:]
        for field in schema.fields {
            kept[field.id] = prefill[field.id].flatMap(field.withoutSecrets)
        }
        answers = kept
        step = .review
        step = route.first ?? .review
        if kept.contains(where: { key, _ in schema.field(key)?.advanced == true }) { showsAdvanced = true }
    }

    // MARK: Reading the state

    /// The effective answer of a field: what was given, else its default.
    public func value(of fieldID: String) -> FieldValue? {
        answers[fieldID] ?? schema.field(fieldID)?.default
    }

    /// Fields shown with the current answers, in order.
    public var visibleFields: [FieldSpec] { evaluate().fields }

    public func isVisible(_ fieldID: String) -> Bool { visibleFields.contains { $0.id == fieldID } }

    /// The options of a choice field offered with the current answers.
    public func options(of field: FieldSpec) -> [ChoiceOption] {
        let seen = evaluate().seen
        return field.options.filter { $0.when.holds { seen[$0] } }
    }

    /// One pass over the fields in order: which are shown, and the answers conditions may see.
    /// A condition sees only shown fields, and a choice only while its answer is still offered
    /// (switching Celonis to Data push withdraws OAuth 2.0, and with it the OAuth fields).
    func evaluate() -> (fields: [FieldSpec], seen: [String: FieldValue]) {
        var seen: [String: FieldValue] = [:]
        var shown: [FieldSpec] = []
        for field in schema.fields where field.when.holds({ seen[$0] }) {
            shown.append(field)
            guard let value = value(of: field.id) else { continue }
            guard field.kind.hasOptions else {
                seen[field.id] = value
                continue
            }
            let offered = Set(field.options.filter { $0.when.holds { seen[$0] } }.map(\.value))
            switch value {
            case .string(let choice) where offered.contains(choice): seen[field.id] = value
            case .list(let items) where items.allSatisfy(offered.contains): seen[field.id] = value
            default: break
            }
        }
        return (shown, seen)
    }

    /// The steps in order: simple fields, the advanced gate, advanced fields if chosen, review.
    public var route: [FormStep] {
        let visible = visibleFields
        var steps = visible.filter { !$0.advanced }.map { FormStep.field($0.id) }
        let advanced = visible.filter(\.advanced)
        if !advanced.isEmpty {
            steps.append(.advancedGate)
            if showsAdvanced { steps += advanced.map { .field($0.id) } }
        }
        steps.append(.review)
        return steps
    }

    /// The field being answered, if the step is a field.
    public var currentField: FieldSpec? {
        if case .field(let id) = step { return schema.field(id) }
        return nil
    }

    /// The place of the current field among the fields asked, and whether more may appear.
    public var progress: FormProgress {
        let fields = route.compactMap { step -> String? in
            if case .field(let id) = step { return id }
            return nil
        }
        let index: Int
        if case .field(let id) = step, let place = fields.firstIndex(of: id) { index = place + 1 } else { index = fields.count + 1 }
        let shown = Set(visibleFields.map(\.id))
        // A field hidden now may be opened by an answer still to come (advanced ones only once
        // chosen); one that hangs on answers already given stays hidden unless they change.
        let answered = Set(fields.prefix(max(0, index - 1)))
        let mayOpen = schema.fields.contains { field in
            !shown.contains(field.id) && (!field.advanced || showsAdvanced) && field.when.all.contains { !answered.contains($0.field) }
        }
        let advancedUnchosen = !showsAdvanced && visibleFields.contains(where: \.advanced) && step != .review
        return FormProgress(index: index, count: fields.count, mayGrow: mayOpen || advancedUnchosen)
    }

    /// The answer of a field as the operator may see it (secrets as dots); nil when unanswered.
    public func display(_ fieldID: String) -> String? {
        guard let field = schema.field(fieldID), let value = value(of: fieldID) else { return nil }
        return field.kind.behavior.display(value, field: field, in: environment(for: field))
    }

    /// Every shown field with its state, for the outline beside the panel.
    public var outline: [OutlineEntry] {
        return visibleFields.map { field in
            let state: OutlineEntry.State
            if let problem = problems[field.id] { state = .error(problem) }
            else if step == .field(field.id) { state = .current }
            else if value(of: field.id) != nil && validate(field) == nil { state = .done }
            else { state = .todo }
            return OutlineEntry(field: field.id, label: field.label, required: field.required,
                                advanced: field.advanced, state: state, display: display(field.id))
        }
    }

    /// The problems of every shown field, in order: what stands between the form and a draft.
    public var allProblems: [FieldProblem] {
        visibleFields.compactMap(validate)
    }

    /// The draft when every shown field passes; its values are those of shown fields only.
    public var draft: ConnectionDraft? {
        guard allProblems.isEmpty else { return nil }
        var values: [String: FieldValue] = [:]
        for field in visibleFields { values[field.id] = value(of: field.id) }
        return ConnectionDraft(connectorID: schema.id, connectionID: context.editedID, draftID: context.draftID, values: values,
                               remoteIDs: context.remoteIDs)
    }

    // MARK: Handling events

    /// Applies one event and returns the work it asks of the shell.
    @discardableResult
    public mutating func handle(_ event: FormEvent) -> [FormEffect] {
        switch event {
        case .submit(let input):
            guard case .field(let id) = step, let field = schema.field(id) else { return [] }
            if input.isBlank {
                if let problem = validate(field) {
                    problems[id] = problem.message
                    return []
                }
                problems[id] = nil
            } else if !answer(field, with: input) {
                return []
            }
            advance(from: .field(id))
        case .set(let id, let input):
            guard let field = schema.field(id) else { return [] }
            if input.isBlank { answers[id] = nil; problems[id] = nil } else { _ = answer(field, with: input) }
        case .clear(let id):
            guard let field = schema.field(id) else { return [] }
            answers[id] = nil
            problems[id] = (field.required && field.default == nil) ? field.missingMessage : nil
        case .back:
            returnsToReview = false
            let steps = route
            if let index = steps.firstIndex(of: step), index > 0 { step = steps[index - 1] }
            else if steps.firstIndex(of: step) == nil { step = steps.first ?? .review }
        case .goTo(let id):
            if isVisible(id) {
                if schema.field(id)?.advanced == true { showsAdvanced = true }
                if step == .review { returnsToReview = true }
                step = .field(id)
            }
        case .review:
            step = .review
            returnsToReview = false
        case .chooseAdvanced(let wanted):
            showsAdvanced = wanted
            advance(from: .advancedGate)
        case .confirm(let action):
            guard offeredActions.contains(action), activity == nil else { return [] }
            let found = allProblems
            for problem in found { problems[problem.field] = problem.message }
            if let first = found.first {
                if schema.field(first.field)?.advanced == true { showsAdvanced = true }
                step = .field(first.field)
                returnsToReview = true
                return []
            }
            guard let draft else { return [] }
            return [.perform(action, draft)]
        case .cancel:
            step = .cancelled
            return [.cancelled]
        case .testStarted:
            activity = .testing
            refusal = nil
        case .testCancelled:
            if activity == .testing { activity = .cancellingTest }
        case .tested(let report):
            activity = nil
            lastTest = report
        case .testNotRun(let reason):
            activity = nil
            refusal = "Cannot test: " + reason
        case .saved(let id):
            activity = nil
            savedID = id
            refusal = nil
        case .saveRefused(let reason):
            activity = nil
            refusal = "Not saved: " + reason
        }
        return []
    }

    /// Parses and stores an answer; false (with the message recorded) when it is refused.
    mutating func answer(_ field: FieldSpec, with input: FieldInput) -> Bool {
        if !field.required, input.parts.count == 1, input[""].trimmingCharacters(in: .whitespaces) == FieldInput.clearMarker {
            answers[field.id] = nil
            problems[field.id] = nil
            return true
        }
        if let longest = input.parts.values.map(\.count).max(), longest > FieldInput.maximumLength {
            problems[field.id] = "\(field.label) may have at most \(FieldInput.maximumLength) characters (has \(longest))"
            return false
        }
        if let character = input.parts.values.lazy.compactMap({ FieldInput.controlCharacter(in: $0) }).first {
            // Every kind, every front end: a control character cannot go into a header or a
            // URL, and a secret holding one would be written escaped where redaction looks
            // for it raw. The answer is refused whole; none of it is shown.
            problems[field.id] = "\(field.label) holds a control character (\(character)); copy it again without it"
            return false
        }
        let behavior = field.kind.behavior
        var cleaned = input
        for (part, text) in input.parts {
            cleaned.parts[part] = behavior.isNormalized
                ? normalize(text, with: field.normalize)
                : text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        cleaned = behavior.completing(cleaned, held: answers[field.id], field: field)
        switch behavior.parse(cleaned, field: field, in: environment(for: field)) {
        case .success(let value):
            answers[field.id] = value
            problems[field.id] = nil
            return true
        case .failure(let problem):
            problems[field.id] = problem.message
            return false
        }
    }

    /// Moves to the step after `from` in the route as it stands after the answer; when the
    /// field was opened from the review, to the next field that still needs an answer, or back
    /// to the review.
    mutating func advance(from: FormStep) {
        let steps = route
        guard let index = steps.firstIndex(of: from) else {
            step = .review
            return
        }
        let rest = steps[(index + 1)...]
        if returnsToReview {
            let needed = rest.first { next in
                guard case .field(let id) = next, let field = schema.field(id) else { return false }
                return validate(field) != nil
            }
            step = needed ?? .review
            if step == .review { returnsToReview = false }
        } else {
            step = rest.first ?? .review
        }
    }

    /// The problem of one field's effective answer, if any.
    func validate(_ field: FieldSpec) -> FieldProblem? {
        guard let value = value(of: field.id) else {
            guard field.required else { return nil }
            if field.kind.holdsSecret && context.editedID != nil {
                return FieldProblem(field: field.id, message: "\(field.label) must be entered again: secrets are never copied into an edit")
            }
            return FieldProblem(field: field.id, message: field.missingMessage)
        }
        return field.kind.behavior.recheck(value, field: field, in: environment(for: field))
    }

    /// The saved connections a `connectionRef` field offers with the current answers.
    public func choices(for field: FieldSpec) -> [FormContext.SavedConnection] {
        context.choices(for: field) { value(of: $0) }
    }

    /// Why a `connectionRef` field offers nothing, in words every front end shows: none of
    /// the right connector is saved, or those saved answer `matching` differently (another
    /// org), or each would lead back to this connection.
    public func noChoicesReason(for field: FieldSpec) -> String {
        let context = self.context
        let kind = context.savedConnections.filter { saved in
            saved.id != context.editedID && (field.connectors.isEmpty || field.connectors.contains(saved.connectorID))
        }
        guard !kind.isEmpty else { return "No connection of this kind is saved yet; press Enter to skip" }
        let labels = field.matching.compactMap { schema.field($0)?.label }
        let otherOrg = kind.filter { saved in field.matching.contains { id in value(of: id).map { saved.values[id] != $0 } ?? false } }
        let cycles = kind.count - otherOrg.count
        var reasons: [String] = []
        if !otherOrg.isEmpty {
            let names = otherOrg.prefix(3).map { "“\($0.name)”" }.joined(separator: ", ") + (otherOrg.count > 3 ? " …" : "")
            reasons.append("\(names) \(otherOrg.count == 1 ? "has" : "have") another \(labels.joined(separator: ", "))")
        }
        if cycles > 0 {
            reasons.append("\(cycles) would lead back to this connection through its own \(field.label)")
        }
        return "None can be chosen: " + reasons.joined(separator: "; ") + ". Press Enter to skip"
    }

    func environment(for field: FieldSpec) -> FieldEnvironment {
        var rules = field.validations
        if rules.contains(where: { !$0.when.all.isEmpty }) {
            let seen = evaluate().seen
            rules = field.validations { seen[$0] }
        }
        return FieldEnvironment(options: field.kind.hasOptions ? options(of: field) : [],
                                connections: field.kind == .connectionRef ? choices(for: field) : [],
                                context: context, validations: rules)
    }
}
