import ConnectionCore
import ConnectorSchema
import FormEngine

/// The Create connection panel: one field at a time in the connector file's order, an outline
/// of every visible field beside it (done, current, to do, error), the field's help and its
/// "how to retrieve" steps, validation while typing, then the advanced step and the review
/// with Test, Save and Save & authorize. Every rule is the form engine's; this screen turns
/// keys into engine events and draws what the engine says.
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

    enum Action: Hashable, Sendable {
        case submit, back, cancel, steps, reveal, useExample, nextPart, up, down, toggle, yes, no, test, save, authorize, viewLog, help, newClient, editClient
        /// Shows or hides the HTTP view: what the answers resolve to.
        case httpView
    }

    static let fieldKeys = Keymap<Action>([
        KeyBinding([.enter], "next", action: .submit),
        KeyBinding([.escape], "back", label: "Esc", action: .back),
        KeyBinding([.function(2)], "how to find it", action: .steps),
        KeyBinding([.control("r")], "reveal while typing", action: .reveal),
        KeyBinding([.tab, .right], "use the example", label: "Tab", action: .useExample),
        KeyBinding([.tab], "next part", action: .nextPart),
        KeyBinding([.up], "choose", label: "↑↓", action: .up),
        KeyBinding([.down], "down", action: .down, pairedWithPrevious: true),
        KeyBinding([.character(" ")], "tick", action: .toggle),
        KeyBinding([.character("+")], "new client", label: "+", action: .newClient),
        KeyBinding([.character("e")], "edit client", action: .editClient),
        KeyBinding([.function(1)], "all keys", action: .help, hiddenInLine: true),
        KeyBinding([.control("c")], "leave", action: .cancel),
        // Last: where the line is short, the keys of the step come first.
        KeyBinding([.function(3)], "HTTP view", action: .httpView),
    ])

    static let gateKeys = Keymap<Action>([
        KeyBinding([.character("y")], "edit advanced settings", action: .yes),
        KeyBinding([.character("n"), .enter], "skip them", label: "n/Enter", action: .no),
        KeyBinding([.escape], "back", label: "Esc", action: .back),
        KeyBinding([.function(1)], "all keys", action: .help, hiddenInLine: true),
        KeyBinding([.control("c")], "leave", action: .cancel),
        KeyBinding([.character("v"), .function(3)], "HTTP view", label: "v", action: .httpView),
    ])

    static let reviewKeys = Keymap<Action>([
        KeyBinding([.character("t")], "test", action: .test),
        KeyBinding([.character("s")], "save", action: .save),
        KeyBinding([.character("a")], "save & authorize", action: .authorize),
        KeyBinding([.character("l")], "view log", action: .viewLog),
        KeyBinding([.enter], "change field", action: .submit),
        KeyBinding([.up], "move", label: "↑↓", action: .up, hiddenInLine: true),
        KeyBinding([.down], "down", action: .down, pairedWithPrevious: true),
        KeyBinding([.escape], "back", label: "Esc", action: .back),
        KeyBinding([.control("c"), .character("q")], "leave", label: "q", action: .cancel),
        KeyBinding([.character("?"), .function(1)], "all keys", label: "?/F1", action: .help, hiddenInLine: true),
        KeyBinding([.character("v"), .function(3)], "HTTP view", label: "v", action: .httpView),
    ])

    /// What an empty editor shows of a secret held from before: Enter keeps it.
    static let keptSecret = "•••••• (kept; type to replace)"

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

    public private(set) var editors: [LineEditor] = [LineEditor()]
    public private(set) var part = 0
    public private(set) var highlight = 0
    public private(set) var ticked: Set<String> = []
    public private(set) var reveal = false
    public private(set) var showSteps = false
    public private(set) var confirmingCancel = false
    /// The discard question was asked by Ctrl-C or `q` (leave), not by Esc (go back).
    private var cancelLeaves = false
    /// Something was typed into the editors since the step was shown: until then a secret to
    /// be entered again shows no error, as nothing is wrong yet.
    private var typed = false
    /// The full key help of the current step is shown; any key closes it.
    public private(set) var showingHelp = false
    /// Whether the HTTP view is shown under the step (F3, or h at the review); it stays on
    /// from step to step until toggled off.
    public private(set) var showsHTTP = false
    private var preparedFor: FormStep?
    /// An OAuth 2.0 client field shows the stored clients to pick from (`+` types a new one,
    /// `e` edits the highlighted one in place).
    public private(set) var pickingClient = false
    /// The stored client whose ID and secret the editors change (`e`).
    private var editingClient: String?
    /// A save that changes a stored client other connections use, waiting for `y`.
    public private(set) var confirmingShared: (change: SharedClientChange, action: FormAction, draft: ConnectionDraft)?
    /// The first row shown of a long choice list or review.
    private var listScroll = 0

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
        switch form.step {
        case .advancedGate, .review, .cancelled: return true
        case .field: break
        }
        if currentKeymap.action(for: key) != nil { return true }
        guard let field else { return true }
        switch field.kind {
        case .choice, .multiChoice, .connectionRef: return true
        case .oauthClient: return pickingClient
        case .text, .secret, .number, .url: return false
        }
    }

    /// What identifies the step on screen: when it changes, keys typed ahead stop acting.
    public var stepMark: AnyHashable {
        AnyHashable([AnyHashable(form.step), AnyHashable(confirmingCancel), AnyHashable(showingHelp), AnyHashable(pickingClient),
                     AnyHashable(confirmingShared?.change)])
    }

    var field: FieldSpec? { form.currentField }

    /// The keys of the current step.
    var currentKeymap: Keymap<Action> {
        switch form.step {
        case .advancedGate: return Self.gateKeys
        case .review: return reviewKeymap
        case .field, .cancelled: return fieldKeymap
        }
    }

    /// The field keys that mean something for this field: reveal only for secrets, the how-to
    /// key only when there are steps, arrows for lists and multi-part answers, Space for ticks.
    /// Whether the field is answered by picking from a list (its options, saved connections,
    /// or stored OAuth 2.0 clients).
    var listsChoices: Bool {
        guard let field else { return false }
        return field.kind.isPickedFromList || pickingClient
    }

    var fieldKeymap: Keymap<Action> {
        guard let field else { return Self.fieldKeys }
        let listed = listsChoices
        var bindings = Self.fieldKeys.bindings
        if !listed, let index = bindings.firstIndex(where: { $0.action == .up }) { bindings[index].help = "part" }
        if pickingClient {
            // Picking a stored client, its own keys come first: where the line is short they stay.
            let own: Set<Action> = [.up, .down, .newClient, .editClient]
            bindings = bindings.filter { $0.action == .submit } + bindings.filter { own.contains($0.action) }
                + bindings.filter { $0.action != .submit && !own.contains($0.action) }
        }
        return Keymap(bindings.filter { binding in
            switch binding.action {
            case .reveal: return field.kind.holdsSecret && !pickingClient
            case .useExample: return offersExample
            case .steps: return field.howTo != nil
            case .nextPart: return field.kind.parts.count > 1 && !pickingClient
            case .up, .down: return listed || field.kind.parts.count > 1
            case .toggle: return field.kind == .multiChoice
            case .newClient, .editClient: return pickingClient
            case .submit, .back, .cancel, .help, .yes, .no, .test, .save, .authorize, .viewLog, .httpView: return true
            }
        })
    }

    /// The review's keys without the actions the engine does not offer now.
    var reviewKeymap: Keymap<Action> {
        let offered = form.offeredActions
        return Keymap(Self.reviewKeys.bindings.filter { binding in
            switch binding.action {
            case .test: return offered.contains(.test)
            case .save: return offered.contains(.save)
            case .authorize: return offered.contains(.saveAndAuthorize)
            case .viewLog: return form.canViewLog
            case .submit, .back, .cancel, .steps, .reveal, .useExample, .nextPart, .up, .down, .toggle, .yes, .no, .help, .httpView: return true
            case .newClient, .editClient: return false
            }
        })
    }

    /// The field's example (its placeholder) can be taken with Tab or →: a one-part field
    /// typed into that is still empty.
    var offersExample: Bool {
        guard let field, field.placeholder != nil, !listsChoices, field.kind.parts.count == 1, !field.kind.holdsSecret else { return false }
        return editors.first?.text.isEmpty ?? false
    }

    /// Whether the part's secret is held from before (answered earlier in this form, or the
    /// stored client being changed with `e`): an empty editor then keeps it.
    func keepsSecret(_ index: Int) -> Bool {
        guard let field, field.kind.parts.indices.contains(index), field.kind.parts[index].isSecret else { return false }
        if editingClient != nil { return true }
        guard let held = form.answers[field.id], (held.part("client") ?? "").isEmpty else { return false }
        return !(held.part(field.kind.parts[index].id) ?? "").isEmpty
    }

    var choices: [(value: String, label: String, help: String?)] {
        guard let field else { return [] }
        let listed: [(value: String, label: String, help: String?)]
        switch field.kind {
        case .multiChoice: return form.options(of: field).map { ($0.value, $0.label, $0.help) }
        case .choice: listed = form.options(of: field).map { ($0.value, $0.label, $0.help) }
        case .connectionRef: listed = form.choices(for: field).map { ($0.id, $0.name, nil) }
        case .oauthClient:
            guard pickingClient else { return [] }
            return form.context.oauthClients.map { ($0.name, "\($0.name) (client ID \($0.clientId))", nil) }
        case .text, .secret, .number, .url: return []
        }
        // An optional single choice can be left empty: its first row says so.
        guard !field.required, field.default == nil, !listed.isEmpty else { return listed }
        return [("", "(none)", nil)] + listed
    }

    /// Loads the editors and choice marks from the engine when the step changes.
    private mutating func prepare() {
        guard preparedFor != form.step else { return }
        let previous = preparedFor
        preparedFor = form.step
        part = 0
        reveal = false
        showSteps = false
        typed = false
        highlight = 0
        listScroll = 0
        // Back at the review from a field, that field stays highlighted.
        if form.step == .review, case .field(let id)? = previous {
            highlight = form.visibleFields.firstIndex { $0.id == id } ?? 0
        }
        guard let field else { return }
        let value = form.value(of: field.id) ?? field.default
        editingClient = nil
        // Stored clients are offered first, unless an inline client is being held.
        pickingClient = field.kind == .oauthClient && !form.context.oauthClients.isEmpty
            && (value == nil || !(value?.part("client") ?? "").isEmpty)
        if pickingClient, let reference = value?.part("client"),
           let index = form.context.oauthClients.firstIndex(where: { $0.id == reference }) { highlight = index }
        editors = field.kind.parts.map { part in
            part.isSecret ? LineEditor(limit: FieldInput.maximumLength) : LineEditor(value?.part(part.id) ?? "", limit: FieldInput.maximumLength)
        }
        if case .list(let values)? = value { ticked = Set(values) } else { ticked = [] }
        if let current = value?.text, let index = choices.firstIndex(where: { $0.value == current }) { highlight = index }
    }

    /// The answer as typed, for the engine.
    var input: FieldInput {
        guard let field else { return FieldInput("") }
        switch field.kind {
        case .choice, .connectionRef:
            return FieldInput(choices.indices.contains(highlight) ? choices[highlight].value : "")
        case .multiChoice:
            return FieldInput(choices.map(\.value).filter(ticked.contains).joined(separator: ","))
        case .oauthClient where pickingClient:
            return FieldInput(choices.indices.contains(highlight) ? choices[highlight].value : "")
        case .text, .secret, .number, .url, .oauthClient:
            var parts = Dictionary(uniqueKeysWithValues: zip(field.kind.parts.map(\.id), editors.map(\.text)))
            if let editingClient { parts["client"] = editingClient }
            return FieldInput(parts: parts)
        }
    }

    /// What the engine would say of the answer as it stands (validation while typing).
    /// The form with the answer being typed given to it, nil before anything is typed. The
    /// field's live problem and the HTTP view's values both come from it. It is made once per
    /// change of the answer or the form, not on every frame or spinner tick.
    mutating func typedProbe() -> FormState? {
        // A highlighted choice counts as typed: the HTTP view follows it before Enter.
        guard let field, typed || listsChoices else { return nil }
        let input = self.input
        guard !input.isBlank else { return nil }
        if let made = probeMade, made.revision == formRevision, made.field == field.id, made.input == input { return made.probe }
        var probe = form
        probe.handle(.set(field: field.id, input))
        probeMade = (formRevision, field.id, input, probe)
        return probe
    }

    /// Runs on copies what the step's next keys will run, and keeps nothing: a character
    /// typed into the field, Enter on it, and the step Enter leads to drawn. The run loop calls
    /// it once a step while it waits for the operator, so the code, type metadata and protocol
    /// conformances those keys need are loaded before the first of them, not on it (decision D36).
    public func rehearse(width: Int, height: Int) {
        guard let field, case .field = form.step else { return }
        var scratch = CellBuffer(width: max(1, width), height: max(1, height))
        var typing = self
        switch field.kind {
        case .text, .secret, .number, .url:
            _ = typing.handle(.character("x"))
            typing.render(into: &scratch)
        case .choice, .connectionRef, .multiChoice, .oauthClient:
            break
        }
        // Enter with that answer (or the highlighted choice): the check, the move and the next
        // step's first frame. An answer the field refuses draws its problem instead, and the
        // next field is then drawn as it would be reached.
        var entering = typing
        _ = entering.handle(.enter)
        entering.render(into: &scratch)
        let steps = form.route
        if entering.form.step == form.step, let index = steps.firstIndex(of: form.step), index + 1 < steps.count,
           case .field(let next) = steps[index + 1] {
            var ahead = form
            ahead.handle(.goTo(field: next))
            var panel = ConnectionPanelScreen(form: ahead)
            panel.render(into: &scratch)
        }
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
            return handleField(key)
        case .advancedGate:
            switch Self.gateKeys.action(for: key) {
            case .yes: form.handle(.chooseAdvanced(true))
            case .no: form.handle(.chooseAdvanced(false))
            case .back: form.handle(.back)
            case .cancel: askToDiscard(leaving: true)
            case .submit, .steps, .reveal, .useExample, .nextPart, .up, .down, .toggle, .test, .save, .authorize, .viewLog, .help, .newClient,
                 .editClient, .httpView, nil: break
            }
        case .review:
            return handleReview(key)
        case .cancelled:
            return .cancelled
        }
        return .stay
    }

    private mutating func handleField(_ key: Key) -> Outcome {
        guard let field else { return .stay }
        let listed = listsChoices
        if let action = fieldKeymap.action(for: key) {
            switch action {
            case .submit:
                // Enter in a part that is not the last moves on to the next part.
                if !listed && part < editors.count - 1 {
                    part += 1
                } else {
                    // Emptying an optional answer clears it; for the engine, blank means "keep".
                    if input.isBlank, !field.required, !field.kind.holdsSecret, form.value(of: field.id) != nil {
                        form.handle(.clear(field: field.id))
                    }
                    form.handle(.submit(input))
                    // What the submit found shows until the next key changes the answer.
                    typed = false
                }
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
            case .reveal:
                reveal.toggle()
            case .useExample:
                if let example = field.placeholder {
                    editors[0] = LineEditor(example, limit: FieldInput.maximumLength)
                    typed = true
                }
            case .nextPart:
                if editors.count > 1 { part = (part + 1) % editors.count }
            case .up:
                if listed { highlight = max(0, highlight - 1) } else if editors.count > 1 { part = max(0, part - 1) }
            case .down:
                if listed { highlight = min(max(0, choices.count - 1), highlight + 1) } else if editors.count > 1 { part = min(editors.count - 1, part + 1) }
            case .toggle:
                // Bound only on a multi-choice field (elsewhere Space is typed text).
                toggleHighlighted()
            case .newClient:
                pickingClient = false
                editors = field.kind.parts.map { _ in LineEditor(limit: FieldInput.maximumLength) }
                part = 0
            case .editClient:
                guard form.context.oauthClients.indices.contains(highlight) else { break }
                let client = form.context.oauthClients[highlight]
                pickingClient = false
                editingClient = client.id
                editors = field.kind.parts.map { piece in LineEditor(piece.isSecret ? "" : client.clientId, limit: FieldInput.maximumLength) }
                part = editors.count > 1 ? 1 : 0
            case .yes, .no, .test, .save, .authorize, .viewLog, .help, .httpView:
                break
            }
            return .stay
        }
        if listed {
            // A digit picks the option of that number, as in the plain prompts.
            if case .character(let character) = key, let number = character.wholeNumberValue, choices.indices.contains(number - 1) {
                highlight = number - 1
                if field.kind == .multiChoice {
                    toggleHighlighted()
                } else {
                    form.handle(.submit(input))
                }
            }
            return .stay
        }
        let before = editors[part].changes
        _ = editors[part].apply(key)
        if editors[part].changes != before { typed = true }
        return .stay
    }

    /// Asks whether to discard; `leaving` when asked by Ctrl-C or `q` rather than by Esc.
    private mutating func askToDiscard(leaving: Bool) {
        confirmingCancel = true
        cancelLeaves = leaving
    }

    /// Ticks or unticks the highlighted option of a multi-choice field.
    private mutating func toggleHighlighted() {
        guard choices.indices.contains(highlight) else { return }
        let value = choices[highlight].value
        if ticked.contains(value) { ticked.remove(value) } else { ticked.insert(value) }
    }

    private mutating func handleReview(_ key: Key) -> Outcome {
        let visible = form.visibleFields
        switch reviewKeymap.action(for: key) {
        case .test: return confirm(.test)
        case .save: return confirm(.save)
        case .authorize: return confirm(.saveAndAuthorize)
        case .viewLog: return .viewLog
        case .up: highlight = max(0, highlight - 1)
        case .down: highlight = min(max(0, visible.count - 1), highlight + 1)
        case .submit:
            if visible.indices.contains(highlight) { form.handle(.goTo(field: visible[highlight].id)) }
        case .back: form.handle(.back)
        case .cancel: askToDiscard(leaving: true)
        case .steps, .reveal, .useExample, .nextPart, .toggle, .yes, .no, .help, .newClient, .editClient, .httpView, nil: break
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
            highlight = index
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
        let keys: String
        keys = currentKeymap.helpLine(width: buffer.width - 2)
        let help = confirmingShared != nil ? "y save and change it for all · any other key keeps editing"
            : confirmingCancel ? "y or Ctrl-C discard · any other key keeps editing" : keys
        ScreenLayout.frame(&buffer, title: "\(verb) › \(form.schema.title)", help: help)
        // The status is wrapped over as many rows as it takes, never cut: the panel starts below it.
        var top = 3
        if let shared = confirmingShared?.change {
            top = max(top, put(&buffer, shared.sentence + " Save and change it for all?", left: 1, width: buffer.width - 2,
                               row: 1, tone: .failure) + 1)
        } else if confirmingCancel {
            top = max(top, put(&buffer, discardQuestion, left: 1, width: buffer.width - 2, row: 1, tone: .failure) + 1)
        } else if let status = form.status {
            switch status.tone {
            case .busy:
                let line = (spinner.map { "\($0.frame) " } ?? "") + status.text + (spinner.map { " " + $0.elapsed } ?? "")
                    + (form.activity == .testing ? " · Esc cancels" : "")
                top = max(top, put(&buffer, line, left: 1, width: buffer.width - 2, row: 1, tone: .strong) + 1)
            case .passed, .failed, .stale, .note:
                top = max(top, put(&buffer, status.text, left: 1, width: buffer.width - 2, row: 1, tone: Self.tone(of: status.tone)) + 1)
            }
        }

        // The outline beside the panel when there is room, else only the step counter.
        let probe = typedProbe()
        var left = 1
        if buffer.width >= 90 {
            // While an answer is typed, the outline judges the new text, not the last Enter.
            drawOutline(&buffer, outline: (probe ?? form).outline, width: 28, top: top)
            left = 32
        }
        let width = buffer.width - left - 1
        var row = top
        switch form.step {
        case .field:
            drawField(&buffer, probe: probe, left: left, width: width, row: &row)
        case .advancedGate:
            let names = form.visibleFields.filter(\.advanced).map(\.label).joined(separator: ", ")
            row = put(&buffer, "Advanced settings", left: left, width: width, row: row, tone: .strong)
            row = put(&buffer, "Change \(names)? Most connections keep the defaults.", left: left, width: width, row: row + 1)
            _ = put(&buffer, "y to edit them, n or Enter to go on to the review.", left: left, width: width, row: row + 1, tone: .dim)
        case .review:
            drawReview(&buffer, left: left, width: width, row: &row)
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
        var row = put(&buffer, "HTTP view (\(key) hides it)", left: left, width: width, row: row, tone: .strong)
        for line in HTTPView.lines(schema: form.schema, values: values, connectionName: { id in saved.first { $0.id == id }?.name }) {
            row = put(&buffer, line, left: left, width: width, row: row, tone: .dim)
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

    private func drawOutline(_ buffer: inout CellBuffer, outline: [OutlineEntry], width: Int, top: Int) {
        var row = top
        let advancedStart = outline.firstIndex { $0.advanced }
        for (index, entry) in outline.enumerated() where row < buffer.height - 2 {
            if index == advancedStart {
                buffer.put("Advanced", row: row, column: 1, tone: .dim)
                row += 1
            }
            let (mark, tone): (String, Tone)
            switch entry.state {
            case .done: (mark, tone) = ("✓", .success)
            case .current: (mark, tone) = ("›", .selected)
            case .todo: (mark, tone) = ("·", .dim)
            case .error: (mark, tone) = ("✗", .failure)
            }
            if entry.state == .current { buffer.fill(row: row, column: 1, count: width, tone: .selected) }
            buffer.put(mark, row: row, column: 1, tone: tone)
            buffer.put(DisplayWidth.truncate(entry.label + (entry.required ? " *" : ""), to: width - 3), row: row, column: 3,
                       tone: entry.state == .current ? .selected : .normal)
            row += 1
        }
        if form.step == .review {
            buffer.fill(row: row, column: 1, count: width, tone: .selected)
            buffer.put("› Review", row: row, column: 1, tone: .selected)
        }
    }

    private mutating func drawField(_ buffer: inout CellBuffer, probe: FormState?, left: Int, width: Int, row: inout Int) {
        guard let field else { return }
        let title = "[\(form.progress.text)] \(field.label)" + (field.required ? " *" : "")
        row = put(&buffer, title, left: left, width: width, row: row, tone: .strong)
        if let help = field.help { row = put(&buffer, help, left: left, width: width, row: row, tone: .dim) }
        row += 1
        if listsChoices {
            if choices.isEmpty {
                row = put(&buffer, form.noChoicesReason(for: field) + ".", left: left, width: width, row: row, tone: .dim)
            }
            // A long list scrolls to keep the highlighted row in view.
            let all = choices
            let room = max(1, buffer.height - 5 - row)
            listScroll = ScreenLayout.scroll(listScroll, keeping: highlight, height: room)
            for (index, choice) in all.enumerated().dropFirst(listScroll).prefix(room) {
                let selected = index == highlight
                if selected { buffer.fill(row: row, column: left, count: width, tone: .selected) }
                let box = field.kind == .multiChoice ? (ticked.contains(choice.value) ? "[x] " : "[ ] ") : ""
                if selected { buffer.put("›", row: row, column: left, tone: .selected) }
                buffer.put(DisplayWidth.truncate("\(index + 1)) \(box)\(choice.label)", to: width - 2), row: row, column: left + 2,
                           tone: selected ? .selected : .normal)
                row += 1
            }
            // What the highlighted option means, as the browser shows on hover.
            if choices.indices.contains(highlight), let help = choices[highlight].help {
                row = put(&buffer, help, left: left + 2, width: width - 2, row: row + 1, tone: .dim)
            }
            if pickingClient {
                row = put(&buffer, "Stored clients, shared by every connection that names them. + types a new client; e changes the highlighted one's ID and secret.",
                          left: left, width: width, row: row + 1, tone: .dim)
            }
        } else {
            if let editingClient, let client = form.context.oauthClients.first(where: { $0.id == editingClient }) {
                let others = form.context.users(ofClient: editingClient).map { "“\($0.name)”" }
                row = put(&buffer, "Changing the stored client “\(client.name)”"
                          + (others.isEmpty ? "." : ", also used by " + others.joined(separator: ", ") + ": saving changes it for them too."),
                          left: left, width: width, row: row, tone: .strong) + 1
            }
            let parted = field.kind.parts.count > 1
            for (index, piece) in field.kind.parts.enumerated() {
                let focused = index == part
                // With several parts, › marks the one typed into (bold and dim alone are lost
                // on a terminal without attributes).
                let label = piece.label.isEmpty ? "› " : (parted ? (focused ? "› " : "  ") : "") + piece.label + ": "
                buffer.put(label, row: row, column: left, tone: focused ? .strong : .dim)
                let start = left + DisplayWidth.of(label)
                let mask: Character? = piece.isSecret && !reveal ? "•" : nil
                let view = editors[index].view(width: max(1, width - DisplayWidth.of(label) - 1), mask: mask)
                if view.text.isEmpty, keepsSecret(index) {
                    buffer.put(DisplayWidth.truncate(Self.keptSecret, to: width - DisplayWidth.of(label)), row: row, column: start, tone: .dim)
                } else if view.text.isEmpty, let placeholder = field.placeholder, index == 0, !piece.isSecret {
                    // An example, never to be mistaken for an answer; Tab or → takes it.
                    buffer.put(DisplayWidth.truncate("e.g. \(placeholder)", to: width - DisplayWidth.of(label)),
                               row: row, column: start, tone: .dim)
                } else {
                    buffer.put(view.text, row: row, column: start)
                }
                if focused { buffer.cursor = (row, start + view.cursor) }
                row += 1
            }
            if field.kind == .number, let validation = field.validate, let low = validation.min, let high = validation.max {
                row = put(&buffer, "A whole number from \(low) to \(high).", left: left, width: width, row: row, tone: .dim)
            }
            if field.kind.holdsSecret {
                row = put(&buffer, reveal ? "Shown while you type (Ctrl-R hides it); never saved in the clear."
                                           : "Hidden as you type; Ctrl-R shows what you are typing now.",
                          left: left, width: width, row: row, tone: .dim)
            }
        }
        if let full = editors.first(where: { $0.refused > 0 }) {
            row = put(&buffer, "✗ At most \(full.limit) characters fit here; \(full.refused) more were not taken.", left: left, width: width,
                      row: row + 1, tone: .failure)
        } else if let problem = typed ? probe?.problems[field.id] : form.problems[field.id] {
            // Once the answer is being typed again, only what is wrong with the new text shows.
            row = put(&buffer, "✗ " + problem, left: left, width: width, row: row + 1, tone: .failure)
        }
        if let howTo = field.howTo {
            if showSteps {
                row = put(&buffer, howTo.title, left: left, width: width, row: row + 1, tone: .strong)
                for (index, step) in howTo.steps.enumerated() where row < buffer.height - 2 {
                    row = put(&buffer, "\(index + 1). \(step)", left: left, width: width, row: row)
                }
            } else {
                row = put(&buffer, "F2: \(howTo.title.prefix(1).lowercased() + howTo.title.dropFirst())", left: left, width: width,
                          row: row + 1, tone: .accent)
            }
        }
    }

    private mutating func drawReview(_ buffer: inout CellBuffer, left: Int, width: Int, row: inout Int) {
        row = put(&buffer, "Review", left: left, width: width, row: row, tone: .strong)
        let visible = form.visibleFields
        let problems = Dictionary(form.allProblems.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
        let labelWidth = min(24, visible.map { DisplayWidth.of($0.label) }.max() ?? 10)
        let room = max(1, buffer.height - 4 - row)
        let valueWidth = max(1, width - labelWidth - 4)
        // A value too long for its row (a stored client's name and ID) goes on over up to three
        // rows rather than being cut; the list scrolls by whole fields.
        let values = visible.map { field in problems[field.id].map { "✗ " + $0 } ?? form.display(field.id) ?? "—" }
        let heights = values.map { min(3, max(1, ScreenLayout.wrap($0, width: valueWidth).count)) }
        listScroll = ScreenLayout.scroll(listScroll, keeping: highlight, height: room)
        while listScroll < highlight, heights[listScroll...highlight].reduce(0, +) > room { listScroll += 1 }
        let end = buffer.height - 4
        for (index, field) in visible.enumerated().dropFirst(listScroll) {
            guard row + heights[index] <= end || index == listScroll else { break }
            let selected = index == highlight
            if selected {
                for offset in 0..<heights[index] { buffer.fill(row: row + offset, column: left, count: width, tone: .selected) }
                buffer.put("›", row: row, column: left, tone: .selected)
            }
            buffer.put(DisplayWidth.truncate(field.label, to: labelWidth), row: row, column: left + 1, tone: selected ? .selected : .dim)
            let lines = ScreenLayout.wrap(values[index], width: valueWidth)
            for (offset, line) in lines.prefix(heights[index]).enumerated() {
                let last = offset == heights[index] - 1 && lines.count > heights[index]
                buffer.put(last ? DisplayWidth.truncate(line + " …", to: valueWidth) : line, row: row + offset,
                           column: left + labelWidth + 3, tone: selected ? .selected : (problems[field.id] == nil ? .normal : .failure))
            }
            row += heights[index]
        }
        let order: [FormAction] = [.test, .save, .saveAndAuthorize]
        let offered = order.filter(form.offeredActions.contains).map { action -> String in
            switch action {
            case .test: return "t Test"
            case .save: return "s Save"
            case .saveAndAuthorize: return "a Save & authorize"
            }
        }.joined(separator: "   ") + (form.canViewLog ? "   l View log" + (form.testIsStale ? " (earlier answers)" : "") : "")
        row = put(&buffer, offered, left: left, width: width, row: row + 1, tone: .accent)
    }

    /// Writes `text` folded at word boundaries, over as many rows as it takes (up to the key
    /// line); returns the next free row. A word wider than `width` is cut into pieces.
    private func put(_ buffer: inout CellBuffer, _ text: String, left: Int, width: Int, row: Int, tone: Tone = .normal) -> Int {
        var row = row
        let lines = ScreenLayout.wrap(text, width: width)
        for text in lines where row < buffer.height - 2 {
            buffer.put(DisplayWidth.truncate(text, to: width), row: row, column: left, tone: tone)
            row += 1
        }
        return row
    }
}
