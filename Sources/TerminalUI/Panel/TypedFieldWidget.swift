import ConnectorSchema
import FormEngine

/// A field typed into: text, a secret, a number, an address, an OAuth 2.0 client's ID and
/// secret. A line editor per part (Enter, Tab and ↑↓ move between parts); secrets show as dots
/// until Ctrl-R; an empty one-part field offers its example on Tab or →.
struct TypedFieldWidget: FieldWidget {
    /// What an empty editor shows of a secret held from before: Enter keeps it.
    static let keptSecret = "•••••• (kept; type to replace)"

    let parts: [FieldPart]
    /// The field's example (its placeholder), never to be mistaken for an answer.
    let example: String?
    /// A line under the editors on what the answer must be ("A whole number from 1 to 25.").
    let hint: String?
    /// Per part, whether a secret is held from before: the part's empty editor keeps it.
    let kept: [Bool]
    private(set) var editors: [LineEditor]
    /// The part typed into.
    private(set) var part: Int
    /// Whether secrets show as typed (Ctrl-R).
    private(set) var reveal = false

    init(parts: [FieldPart], texts: [String], example: String?, hint: String? = nil, kept: [Bool], part: Int = 0) {
        self.parts = parts
        self.example = example
        self.hint = hint
        self.kept = kept
        editors = texts.map { LineEditor($0, limit: FieldInput.maximumLength) }
        self.part = part
    }

    /// Which of `parts` hold a secret answered earlier in this form (`held`), but not when the
    /// answer names a stored client: that client's secret is not this answer's.
    static func keptSecrets(of parts: [FieldPart], held: FieldValue?) -> [Bool] {
        parts.map { piece in
            guard piece.isSecret, let held, (held.part(FieldPart.storedClientReference) ?? "").isEmpty else { return false }
            return !(held.part(piece.id) ?? "").isEmpty
        }
    }

    static let bindings: [KeyBinding<FieldWidgetAction>] = [
        KeyBinding([.control("r")], "reveal while typing", action: .reveal),
        // Named beside the example instead of on the key line: the key line then stays as it is
        // when the first letter is typed, which costs a slow link 20 bytes a field.
        KeyBinding([.tab, .right], "use the example", label: "Tab", action: .useExample, hiddenInLine: true),
        KeyBinding([.tab], "next part", action: .nextPart),
        KeyBinding([.up], "part", label: "↑↓", action: .up),
        KeyBinding([.down], "down", action: .down, pairedWithPrevious: true),
    ]

    /// Reveal only for secrets, the example only while it can be taken, parts only for several.
    var keymap: Keymap<FieldWidgetAction> {
        Keymap(Self.bindings.filter { binding in
            switch binding.action {
            case .reveal: return hidesTyping
            case .useExample: return offersExample
            case .nextPart, .up, .down: return parts.count > 1
            case .toggle, .newClient, .editClient: return false
            }
        })
    }

    var keysLead: Bool { false }
    var takesText: Bool { true }

    /// Typed text never acts; Enter and the widget's own keys do.
    func keyActs(_ key: Key) -> Bool { key == .enter || keymap.action(for: key) != nil }

    var hidesTyping: Bool { parts.contains(where: \.isSecret) }

    /// The example can be taken with Tab or →: a one-part field, not secret, typed into that
    /// is still empty.
    var offersExample: Bool {
        guard example != nil, parts.count == 1, !hidesTyping else { return false }
        return editors.first?.text.isEmpty ?? false
    }

    var input: FieldInput { FieldInput(parts: Dictionary(uniqueKeysWithValues: zip(parts.map(\.id), editors.map(\.text)))) }

    mutating func handle(_ key: Key) -> FieldWidgetResult {
        switch keymap.action(for: key) {
        case .reveal: reveal.toggle()
        case .useExample:
            guard let example else { break }
            editors[0] = LineEditor(example, limit: FieldInput.maximumLength)
            return .edited
        case .nextPart: part = (part + 1) % editors.count
        case .up: part = max(0, part - 1)
        case .down: part = min(editors.count - 1, part + 1)
        case .toggle, .newClient, .editClient: break
        case nil:
            // Enter in a part that is not the last moves on to the next part.
            if key == .enter {
                guard part < editors.count - 1 else { return .submitted }
                part += 1
                break
            }
            let before = editors[part].changes
            _ = editors[part].apply(key)
            if editors[part].changes != before { return .edited }
        }
        return .kept
    }

    mutating func draw(into buffer: inout CellBuffer, left: Int, width: Int, row: inout Int) {
        let parted = parts.count > 1
        for (index, piece) in parts.enumerated() {
            let focused = index == part
            // With several parts, › marks the one typed into (bold and dim alone are lost on a
            // terminal without attributes).
            let label = piece.label.isEmpty ? "› " : (parted ? (focused ? "› " : "  ") : "") + piece.label + ": "
            buffer.put(label, row: row, column: left, tone: focused ? .strong : .dim)
            let start = left + DisplayWidth.of(label)
            let mask: Character? = piece.isSecret && !reveal ? "•" : nil
            let view = editors[index].view(width: max(1, width - DisplayWidth.of(label) - 1), mask: mask)
            if view.text.isEmpty, kept[index] {
                buffer.put(DisplayWidth.truncate(Self.keptSecret, to: width - DisplayWidth.of(label)), row: row, column: start, tone: .dim)
            } else if view.text.isEmpty, let example, index == 0, !piece.isSecret {
                // An example, never to be mistaken for an answer; Tab or → takes it.
                buffer.put(DisplayWidth.truncate("e.g. \(example) (Tab takes it)", to: width - DisplayWidth.of(label)), row: row, column: start, tone: .dim)
            } else {
                buffer.put(view.text, row: row, column: start)
            }
            if focused { buffer.cursor = (row, start + view.cursor) }
            row += 1
        }
        if let hint { row = buffer.putWrapped(hint, left: left, width: width, row: row, tone: .dim) }
        if hidesTyping {
            row = buffer.putWrapped(reveal ? "Shown while you type (Ctrl-R hides it); never saved in the clear."
                                           : "Hidden as you type; Ctrl-R shows what you are typing now.",
                                    left: left, width: width, row: row, tone: .dim)
        }
    }

    var refusal: String? {
        editors.first { $0.refused > 0 }.map { "✗ At most \($0.limit) characters fit here; \($0.refused) more were not taken." }
    }
}
