import ConnectionCore
import ConnectorSchema
import FormEngine

/// The Create connection panel: one field at a time in the connector file's order, an outline
/// of every visible field beside it (done, current, to do, error), the field's help and its
/// "how to retrieve" steps, validation while typing, then the advanced step and the review
/// with Test, Save and Save & authorize. Every rule is the form engine's; this screen turns
/// keys into engine events and draws what the engine says. How a field is typed or picked is
/// its widget's (`FieldWidget`); the panel holds the widget of the current field.
public struct ConnectionPanelScreen: Sendable {
    public enum Outcome: Equatable, Sendable {
        case stay
        case perform(FormAction, ConnectionDraft)
        /// Show the View log of the last test (offered once there is one).
        case viewLog
        /// Discarded on the way back (Esc on the first field): the screen below shows again.
        case cancelled
        /// Discarded to leave (Ctrl-C, `q`): the flow the panel was opened from ends too.
        case left
    }

    public private(set) var form: FormState {
        didSet { formRevision &+= 1 }
    }
    /// Counts changes of `form`, so the typed answer's probe is made again only after one.
    private var formRevision = 0
    /// The last probe, for the form revision, field and answer it was made from.
    private var probeMade: (revision: Int, field: String, input: FieldInput, probe: FormState)?
    /// The turning spinner and the elapsed time drawn around a busy status
    /// ("⠙ Testing “IO EU”… 1.2 s"), set by the run loop on each tick; the status is the engine's.
    public var spinner: (frame: Character, elapsed: String)?

    /// How the current field is typed or picked; nil off the fields.
    private(set) var widget: (any FieldWidget)?
    private var review = ReviewStep()
    public private(set) var showSteps = false
    public private(set) var confirmingCancel = false
    /// The discard question was asked by Ctrl-C or `q` (leave), not by Esc (go back).
    private var cancelLeaves = false
    /// Something was typed into the field since the step was shown: until then a secret to be
    /// entered again shows no error, as nothing is wrong yet.
    private var typed = false
    /// The full key help of the current step is shown; any key closes it.
    public private(set) var showingHelp = false
    /// Whether the HTTP view is shown under the step (F3, or v at the review); it stays on
    /// from step to step until toggled off.
    public private(set) var showsHTTP = false
    private var preparedFor: FormStep?
    /// A save that changes a stored client other connections use, waiting for `y`.
    public private(set) var confirmingShared: (change: SharedClientChange, action: FormAction, draft: ConnectionDraft)?

    public init(form: FormState) {
        self.form = form
        prepare()
    }

    /// Hands results of the shell's work (`.tested`, `.saved` …) to the engine.
    public mutating func apply(_ events: [FormEvent]) {
        for event in events { form.handle(event) }
        prepare()
    }

    /// Whether `key` would act on this step (move, choose, save, leave) rather than be typed
    /// into a field. The run loop ignores acting keys typed ahead of a step change.
    public func keyActs(_ key: Key) -> Bool {
        if showingHelp || confirmingCancel || confirmingShared != nil { return true }
        guard case .field = form.step, let widget else { return true }
        return fieldKeymap.action(for: key) != nil || widget.keyActs(key)
    }

    /// What identifies the step on screen: when it changes, keys typed ahead stop acting.
    public var stepMark: AnyHashable {
        AnyHashable([AnyHashable(form.step), AnyHashable(confirmingCancel), AnyHashable(showingHelp), AnyHashable(widget?.takesText),
                     AnyHashable(confirmingShared?.change)])
    }

    /// Makes the widget of the new step's field when the step changes.
    private mutating func prepare() {
        guard preparedFor != form.step else { return }
        let previous = preparedFor
        preparedFor = form.step
        showSteps = false
        typed = false
        review = ReviewStep()
        // Back at the review from a field, that field stays highlighted.
        if form.step == .review, case .field(let id)? = previous {
            review = ReviewStep(highlight: form.visibleFields.firstIndex { $0.id == id } ?? 0)
        }
        widget = form.currentField.map { makeFieldWidget(for: $0, in: form) }
    }

    /// What the engine would say of the answer as it stands (validation while typing).
    /// The form with the answer being typed given to it, nil before anything is typed. The
    /// field's live problem and the HTTP view's values both come from it. It is made once per
    /// change of the answer or the form, not on every frame or spinner tick.
    mutating func typedProbe() -> FormState? {
        // A highlighted choice counts as typed: the HTTP view follows it before Enter.
        guard let field = form.currentField, let widget, typed || !widget.takesText else { return nil }
        let input = widget.input
        guard !input.isBlank else { return nil }
        if let made = probeMade, made.revision == formRevision, made.field == field.id, made.input == input { return made.probe }
        var probe = form
        probe.handle(.set(field: field.id, input))
        probeMade = (formRevision, field.id, input, probe)
        return probe
    }

    public mutating func handle(_ key: Key) -> Outcome {
        if showingHelp {
            showingHelp = false
            return .stay
        }
        if !confirmingCancel, confirmingShared == nil, currentKeymap.action(for: key) == .help {
            showingHelp = true
            return .stay
        }
        if !confirmingCancel, confirmingShared == nil, currentKeymap.action(for: key) == .httpView {
            showsHTTP.toggle()
            return .stay
        }
        if let pending = confirmingShared {
            confirmingShared = nil
            return key == .character("y") || key == .character("Y") ? .perform(pending.action, pending.draft) : .stay
        }
        if confirmingCancel {
            confirmingCancel = false
            // A second Ctrl-C confirms, so Ctrl-C Ctrl-C always leaves.
            if key == .character("y") || key == .character("Y") || key == .control("c") {
                form.handle(.cancel)
                return cancelLeaves || key == .control("c") ? .left : .cancelled
            }
            return .stay
        }
        defer { prepare() }
        switch form.step {
        case .field:
            handleField(key)
        case .advancedGate:
            switch Self.gateKeys.action(for: key) {
            case .yes: form.handle(.chooseAdvanced(true))
            case .no: form.handle(.chooseAdvanced(false))
            case .back: form.handle(.back)
            case .cancel: askToDiscard(leaving: true)
            case .submit, .steps, .up, .down, .test, .save, .authorize, .viewLog, .help, .httpView, .field, nil: break
            }
        case .review:
            return handleReview(key)
        case .cancelled:
            return .cancelled
        }
        return .stay
    }

    /// Esc, Ctrl-C and F2 are the panel's; every other key is the widget's, whose submit the
    /// panel hands to the engine.
    private mutating func handleField(_ key: Key) {
        guard let field = form.currentField else { return }
        switch fieldKeymap.action(for: key) {
        case .back:
            if form.returnsToReview {
                form.handle(.review)
            } else if form.route.first == form.step {
                askToDiscard(leaving: false)
            } else {
                form.handle(.back)
            }
        case .cancel:
            askToDiscard(leaving: true)
        case .steps:
            showSteps.toggle()
        case .submit, .field, nil:
            switch widget?.handle(key) {
            case .edited?: typed = true
            case .submitted?:
                let input = widget?.input ?? FieldInput("")
                // Emptying an optional answer clears it; for the engine, blank means "keep".
                if input.isBlank, !field.required, !field.kind.holdsSecret, form.value(of: field.id) != nil {
                    form.handle(.clear(field: field.id))
                }
                form.handle(.submit(input))
                // What the submit found shows until the next key changes the answer.
                typed = false
            case .kept?, nil: break
            }
        case .up, .down, .yes, .no, .test, .save, .authorize, .viewLog, .help, .httpView:
            break
        }
    }

    /// Asks whether to discard; `leaving` when asked by Ctrl-C or `q` rather than by Esc.
    private mutating func askToDiscard(leaving: Bool) {
        confirmingCancel = true
        cancelLeaves = leaving
    }

    private mutating func handleReview(_ key: Key) -> Outcome {
        let visible = form.visibleFields
        switch reviewKeymap.action(for: key) {
        case .test: return confirm(.test)
        case .save: return confirm(.save)
        case .authorize: return confirm(.saveAndAuthorize)
        case .viewLog: return .viewLog
        case .up: review.moveUp()
        case .down: review.moveDown(count: visible.count)
        case .submit:
            if visible.indices.contains(review.highlight) { form.handle(.goTo(field: visible[review.highlight].id)) }
        case .back: form.handle(.back)
        case .cancel: askToDiscard(leaving: true)
        case .steps, .yes, .no, .help, .httpView, .field, nil: break
        }
        return .stay
    }

    private mutating func confirm(_ action: FormAction) -> Outcome {
        let effects = form.handle(.confirm(action))
        if case .perform(let action, let draft)? = effects.first {
            // A change to a stored client others use is named and asked about first.
            if action != .test, let shared = form.sharedClientChange {
                confirmingShared = (shared, action, draft)
                return .stay
            }
            return .perform(action, draft)
        }
        if let first = form.allProblems.first, let index = form.visibleFields.firstIndex(where: { $0.id == first.field }) {
            review = ReviewStep(highlight: index)
        }
        return .stay
    }

    // MARK: Drawing

    public mutating func render(into buffer: inout CellBuffer) {
        draw(into: &buffer)
        if showingHelp {
            HelpOverlay.draw(currentKeymap, title: "Keys of this step (F1)", into: &buffer)
        }
    }

    private mutating func draw(into buffer: inout CellBuffer) {
        buffer.clear()
        if ScreenLayout.tooSmall(&buffer) { return }
        let verb = form.context.editedID == nil ? "Create connection" : "Edit connection"
        let help = confirmingShared != nil ? "y save and change it for all · any other key keeps editing"
            : confirmingCancel ? "y or Ctrl-C discard · any other key keeps editing" : currentKeymap.helpLine(width: buffer.width - 2)
        ScreenLayout.frame(&buffer, title: "\(verb) › \(form.schema.title)", help: help)
        // The status is wrapped over as many rows as it takes, never cut: the panel starts below it.
        var top = 3
        if let shared = confirmingShared?.change {
            top = max(top, buffer.putWrapped(shared.sentence + " Save and change it for all?", left: 1, width: buffer.width - 2,
                                             row: 1, tone: .failure) + 1)
        } else if confirmingCancel {
            top = max(top, buffer.putWrapped(discardQuestion, left: 1, width: buffer.width - 2, row: 1, tone: .failure) + 1)
        } else if let status = form.status {
            switch status.tone {
            case .busy:
                let line = (spinner.map { "\($0.frame) " } ?? "") + status.text + (spinner.map { " " + $0.elapsed } ?? "")
                    + (form.activity == .testing ? " · Esc cancels" : "")
                top = max(top, buffer.putWrapped(line, left: 1, width: buffer.width - 2, row: 1, tone: .strong) + 1)
            case .passed, .failed, .stale, .note:
                top = max(top, buffer.putWrapped(status.text, left: 1, width: buffer.width - 2, row: 1, tone: Self.tone(of: status.tone)) + 1)
            }
        }

        // The outline beside the panel when there is room, else only the step counter.
        let probe = typedProbe()
        var left = 1
        if buffer.width >= 90 {
            // While an answer is typed, the outline judges the new text, not the last Enter.
            PanelOutline.draw((probe ?? form).outline, atReview: form.step == .review, into: &buffer, width: 28, top: top)
            left = 32
        }
        let width = buffer.width - left - 1
        var row = top
        switch form.step {
        case .field:
            drawField(&buffer, probe: probe, left: left, width: width, row: &row)
        case .advancedGate:
            let names = form.visibleFields.filter(\.advanced).map(\.label).joined(separator: ", ")
            row = buffer.putWrapped("Advanced settings", left: left, width: width, row: row, tone: .strong)
            row = buffer.putWrapped("Change \(names)? Most connections keep the defaults.", left: left, width: width, row: row + 1)
            _ = buffer.putWrapped("y to edit them, n or Enter to go on to the review.", left: left, width: width, row: row + 1, tone: .dim)
        case .review:
            review.draw(into: &buffer, form: form, left: left, width: width, row: &row)
        case .cancelled:
            break
        }
        if showsHTTP { drawHTTPView(&buffer, values: (probe ?? form).currentValues, left: left, width: width, row: row + 1) }
    }

    /// The HTTP view under the step: what the answers given so far resolve to, credentials as
    /// fingerprints; it follows every change of an answer.
    private func drawHTTPView(_ buffer: inout CellBuffer, values: [String: FieldValue], left: Int, width: Int, row: Int) {
        let saved = form.context.savedConnections
        // On a field letters are typed, so only F3 toggles it there.
        let key: String
        if case .field = form.step { key = "F3" } else { key = "v" }
        var row = buffer.putWrapped("HTTP view (\(key) hides it)", left: left, width: width, row: row, tone: .strong)
        for line in HTTPView.lines(schema: form.schema, values: values, connectionName: { id in saved.first { $0.id == id }?.name }) {
            row = buffer.putWrapped(line, left: left, width: width, row: row, tone: .dim)
        }
    }

    /// The discard question: what goes, and that nothing was saved.
    var discardQuestion: String {
        form.context.editedID == nil
            ? "Discard this connection? Nothing has been saved; its test logs go too. y/N"
            : "Discard these changes? The saved connection stays as it was. y/N"
    }

    static func tone(of status: FormStatus.Tone) -> Tone {
        switch status {
        case .passed: return .success
        case .failed: return .failure
        case .stale: return .accent
        case .busy, .note: return .strong
        }
    }

    /// The field's title and help, its widget, its problem, and its how-to steps (F2).
    private mutating func drawField(_ buffer: inout CellBuffer, probe: FormState?, left: Int, width: Int, row: inout Int) {
        guard let field = form.currentField else { return }
        let title = "[\(form.progress.text)] \(field.label)" + (field.required ? " *" : "")
        row = buffer.putWrapped(title, left: left, width: width, row: row, tone: .strong)
        if let help = field.help { row = buffer.putWrapped(help, left: left, width: width, row: row, tone: .dim) }
        row += 1
        widget?.draw(into: &buffer, left: left, width: width, row: &row)
        if let refusal = widget?.refusal {
            row = buffer.putWrapped(refusal, left: left, width: width, row: row + 1, tone: .failure)
        } else if let problem = typed ? probe?.problems[field.id] : form.problems[field.id] {
            // Once the answer is being typed again, only what is wrong with the new text shows.
            row = buffer.putWrapped("✗ " + problem, left: left, width: width, row: row + 1, tone: .failure)
        }
        if let howTo = field.howTo {
            if showSteps {
                row = buffer.putWrapped(howTo.title, left: left, width: width, row: row + 1, tone: .strong)
                for (index, step) in howTo.steps.enumerated() where row < buffer.height - 2 {
                    row = buffer.putWrapped("\(index + 1). \(step)", left: left, width: width, row: row)
                }
            } else {
                row = buffer.putWrapped("F2: \(howTo.title.prefix(1).lowercased() + howTo.title.dropFirst())", left: left, width: width,
                                        row: row + 1, tone: .accent)
            }
        }
    }

    // MARK: What tests read of the current field

    var editors: [LineEditor] { (widget as? TypedFieldWidget)?.editors ?? (widget as? OAuthClientWidget)?.typing.editors ?? [] }
    var pickingClient: Bool { (widget as? OAuthClientWidget)?.picking ?? false }
    var choices: [PickOption] { (widget as? ChoiceFieldWidget)?.list.rows ?? [] }
}
