/// One key binding: the keys that trigger an action and how the help line names it.
public struct KeyBinding<Action: Hashable & Sendable>: Sendable {
    public var keys: [Key]
    /// The keys as the help line shows them (`↑↓`, `Enter`); defaults to the first key's name.
    public var label: String
    public var help: String
    public var action: Action
    /// Left out of the one-line help (still in the full help).
    public var hiddenInLine: Bool
    /// Named by the binding before it (`↓` under `↑↓ move`): left out of both helps.
    public var pairedWithPrevious: Bool

    public init(_ keys: [Key], _ help: String, label: String? = nil, action: Action, hiddenInLine: Bool = false,
                pairedWithPrevious: Bool = false) {
        self.keys = keys
        self.label = label ?? keys.first?.name ?? ""
        self.help = help
        self.action = action
        self.hiddenInLine = hiddenInLine || pairedWithPrevious
        self.pairedWithPrevious = pairedWithPrevious
    }

    /// The same binding for another action type: a field widget's keys among the panel's.
    func map<Other: Hashable & Sendable>(_ transform: (Action) -> Other) -> KeyBinding<Other> {
        KeyBinding<Other>(keys, help, label: label, action: transform(action), hiddenInLine: hiddenInLine, pairedWithPrevious: pairedWithPrevious)
    }
}

/// The one declaration of a screen's keys: it matches key presses to actions and writes the
/// key-help line and the full help from the same list, so they cannot disagree.
public struct Keymap<Action: Hashable & Sendable>: Sendable {
    public var bindings: [KeyBinding<Action>]

    public init(_ bindings: [KeyBinding<Action>]) {
        self.bindings = bindings
    }

    public func action(for key: Key) -> Action? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    /// `Enter choose · / filter · q back`, cut to `width` columns at a whole binding.
    public func helpLine(width: Int) -> String {
        var line = ""
        for binding in bindings where !binding.hiddenInLine {
            let item = "\(binding.label) \(binding.help)"
            let candidate = line.isEmpty ? item : line + " · " + item
            if DisplayWidth.of(candidate) > width { break }
            line = candidate
        }
        return line
    }

    /// Every binding on its own line, for `?` / F1.
    public var fullHelp: [String] {
        let shown = bindings.filter { !$0.pairedWithPrevious }
        let labelWidth = shown.map { DisplayWidth.of($0.label) }.max() ?? 0
        return shown.map { binding in
            binding.label + String(repeating: " ", count: labelWidth - DisplayWidth.of(binding.label)) + "  " + binding.help
        }
    }
}
