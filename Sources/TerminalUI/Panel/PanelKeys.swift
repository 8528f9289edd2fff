import FormEngine

/// The Create connection panel's keys, declared once: each step's keymap matches key presses
/// to actions and writes the key line and the full help (F1) from the same list. A field's
/// keys are the panel's (Enter, Esc, F2, F1, Ctrl-C, F3) around its widget's own.
extension ConnectionPanelScreen {
    enum Action: Hashable, Sendable {
        case submit, back, cancel, steps, up, down, yes, no, test, save, authorize, viewLog, help
        /// Shows or hides the HTTP view: what the answers resolve to.
        case httpView
        /// A key of the current field's widget.
        case field(FieldWidgetAction)
    }

    static let submitKey = KeyBinding<Action>([.enter], "next", action: .submit)
    /// The field keys before the widget's own (F2 only where the field has how-to steps).
    static let fieldKeys: [KeyBinding<Action>] = [
        KeyBinding([.escape], "back", label: "Esc", action: .back),
        KeyBinding([.function(2)], "how to find it", action: .steps),
    ]
    /// The field keys after the widget's own; last, where the line is short, the HTTP view.
    static let closingKeys: [KeyBinding<Action>] = [
        KeyBinding([.function(1)], "all keys", action: .help, hiddenInLine: true),
        KeyBinding([.control("c")], "leave", action: .cancel),
        KeyBinding([.function(3)], "HTTP view", action: .httpView),
    ]

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

    /// The keys of the current step.
    var currentKeymap: Keymap<Action> {
        switch form.step {
        case .advancedGate: return Self.gateKeys
        case .review: return reviewKeymap
        case .field, .cancelled: return fieldKeymap
        }
    }

    /// Enter, Esc, F2 where there are how-to steps, the widget's own keys (first, after Enter,
    /// where the widget says so), then F1, Ctrl-C and F3.
    var fieldKeymap: Keymap<Action> {
        let around = Self.fieldKeys.filter { $0.action != .steps || form.currentField?.howTo != nil }
        guard let widget else { return Keymap([Self.submitKey] + around + Self.closingKeys) }
        let own = widget.keymap.bindings.map { $0.map(Action.field) }
        return Keymap([Self.submitKey] + (widget.keysLead ? own + around : around + own) + Self.closingKeys)
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
            case .submit, .back, .cancel, .steps, .up, .down, .yes, .no, .help, .httpView: return true
            case .field: return false
            }
        })
    }
}
