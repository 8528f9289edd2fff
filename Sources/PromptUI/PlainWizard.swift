import ConnectorSchema
import FormEngine

/// The Create connection panel as line prompts: one field at a time, numbered choices, the
/// current answer or default in brackets, secrets read with echo off, `<` to go back, `?` for
/// the how-to steps. It only draws what the form engine says and turns lines into events.
public struct PlainWizard {
    let console: LineConsole

    public init(console: LineConsole) { self.console = console }

    /// How the walk through the form ended.
    public enum Outcome: Equatable {
        /// The operator asked for an action on a complete draft.
        case perform(FormAction, ConnectionDraft)
        case cancelled
        /// Input ended (Ctrl-D or the end of piped input) before the form was finished.
        case inputEnded
    }

    /// Walks the operator through `form` until an action is chosen, or the form is left.
    /// The review offers what the engine offers (`FormState.offeredActions`), the first the
    /// default. `announce` false resumes quietly (after a test, back at the review).
    public func run(_ form: inout FormState, announce: Bool = true) -> Outcome {
        if announce {
            let verb = form.context.editedID == nil ? "Create connection" : "Edit connection"
            console.line("\(verb): \(form.schema.title)")
            console.line("Type < to go back, ? for help on a field, Ctrl-D to leave without saving.")
        }
        var announced: FormStep?
        while true {
            let step = form.step
            let fresh = announced != step
            announced = step
            switch step {
            case .field(let id):
                guard let field = form.schema.field(id) else { return .cancelled }
                if fresh { describe(field, in: form) }
                guard let event = ask(field, in: form) else { return .inputEnded }
                form.handle(event)
                if form.step == step, let problem = form.problems[id] { console.line("  ✗ \(problem)") }
                // A pasted URL or a number for a choice: say what was kept.
                if form.step != step, !field.kind.holdsSecret, case .submit(let input) = event, !input.isBlank,
                   let kept = form.display(id), kept != input[""].trimmingCharacters(in: .whitespaces) {
                    console.line("    → \(kept)")
                }
            case .advancedGate:
                let names = form.visibleFields.filter(\.advanced).map(\.label).joined(separator: ", ")
                console.line("")
                guard let answer = console.readLine(prompt: "Edit advanced settings (\(names))? [y/N]: ") else { return .inputEnded }
                switch answer.trimmingCharacters(in: .whitespaces).lowercased() {
                case "<": form.handle(.back)
                case "y", "yes": form.handle(.chooseAdvanced(true))
                case "", "n", "no": form.handle(.chooseAdvanced(false))
                default:
                    console.line("  ✗ Answer y or n.")
                    announced = nil
                }
            case .review:
                review(form)
                let actions = form.offeredActions
                let choices = actions.map { "\(Self.key(of: $0)) \(Self.name(of: $0))" }.joined(separator: ", ")
                guard let answer = console.readLine(prompt: "\(choices), a number to change that field, < back, q cancel [\(actions.first.map(Self.key(of:)) ?? "")]: ") else {
                    return .inputEnded
                }
                let word = answer.trimmingCharacters(in: .whitespaces).lowercased()
                let visible = form.visibleFields
                if word == "<" {
                    form.handle(.back)
                } else if word == "q" {
                    if confirmDiscard() { form.handle(.cancel); return .cancelled }
                    announced = nil
                } else if let number = Int(word), visible.indices.contains(number - 1) {
                    form.handle(.goTo(field: visible[number - 1].id))
                } else if let action = word.isEmpty ? actions.first : actions.first(where: { Self.key(of: $0) == word }) {
                    let effects = form.handle(.confirm(action))
                    if case .perform(let action, let draft)? = effects.first {
                        // A change to a stored client others use is named and asked about first.
                        if action != .test, let shared = form.sharedClientChange,
                           !PlainMenu(console: console).confirm("  \(shared.sentence) Save it") {
                            console.line("  Not saved. Change the client's answer (its number), or save to change it for all.")
                            continue
                        }
                        return .perform(action, draft)
                    }
                    for problem in form.allProblems { console.line("  ✗ \(form.schema.field(problem.field)?.label ?? problem.field): \(problem.message)") }
                } else {
                    console.line("  ✗ “\(answer)” is not one of the choices.")
                    announced = nil
                }
            case .cancelled:
                return .cancelled
            }
        }
    }

    // MARK: Fields

    func describe(_ field: FieldSpec, in form: FormState) {
        console.line("")
        console.line("[\(form.progress.text)] \(field.label)\(field.required ? " *" : "")\(field.advanced ? "  (advanced)" : "")")
        if let help = field.help { wrap(help, indent: "    ") }
        switch form.shape(of: field) {
        case .pick(let options, let many, let source):
            if case .savedConnections(let whyNone?) = source { console.line("    (\(whyNone))") }
            for (number, option) in options.enumerated() {
                console.line("    \(number + 1)) \(option.label)" + (option.help.map { " — \($0)" } ?? ""))
            }
            if many { console.line("    Pick one or more: numbers or names, separated by commas.") }
        case .typed, .pickOrCreate: break
        }
        if field.howTo != nil { console.line("    Type ? for the steps to find this value.") }
        if !field.required, form.value(of: field.id) != nil { console.line("    Type - to clear this optional answer.") }
    }

    func ask(_ field: FieldSpec, in form: FormState) -> FormEvent? {
        let shape = form.shape(of: field)
        let current = form.display(field.id)
        var prompt = field.label
        switch shape {
        case .pickOrCreate(let stored, let parts):
            return askClient(field, stored: stored, parts: parts, in: form)
        case .typed where shape.hidesTyping:
            prompt += current == nil ? " (typing is hidden)" : " (typing is hidden; Enter keeps the one entered)"
        case .typed, .pick:
            if let current {
                prompt += " [\(current)]"
            } else if case .pick(let options, _, .options) = shape {
                prompt += " (1-\(options.count))"
            } else if let placeholder = field.placeholder {
                prompt += " (e.g. \(placeholder))"
            }
        }
        prompt += ": "
        let read = shape.hidesTyping ? console.readSecret(prompt: prompt) : console.readLine(prompt: prompt)
        guard let line = read else { return nil }
        return event(for: line, field: field) ?? .submit(FieldInput(line))
    }

    /// A stored client by name, or a new client part by part (its secret read with echo off).
    func askClient(_ field: FieldSpec, stored: [FormContext.SavedOAuthClient], parts: [FieldPart], in form: FormState) -> FormEvent? {
        let held = form.value(of: field.id)
        if !stored.isEmpty {
            console.line("    Stored clients: " + stored.map { "\($0.name) (\($0.clientId))" }.joined(separator: ", ")
                         + ". Type one's name to use it, or a new client ID.")
        }
        var typed: [String: String] = [:]
        for (index, part) in parts.enumerated() {
            var prompt = part.label + (index == 0 && !stored.isEmpty ? " or stored client" : "")
            if part.isSecret {
                prompt += " (typing is hidden)"
            } else if let shown = held?.part(part.id), !shown.isEmpty {
                prompt += " [\(shown)]"
            }
            guard let line = part.isSecret ? console.readSecret(prompt: prompt + ": ") : console.readLine(prompt: prompt + ": ") else { return nil }
            if let special = event(for: line, field: field) { return special }
            // A stored client's name stands for it: its secret stays where it is.
            let name = line.trimmingCharacters(in: .whitespaces).lowercased()
            if index == 0, !name.isEmpty, stored.contains(where: { $0.name.lowercased() == name }) { return .submit(FieldInput(line)) }
            typed[part.id] = line
        }
        return .submit(FieldInput(parts: typed))
    }

    /// `<` and `?` are commands, not answers; `?` prints the help and asks again.
    func event(for line: String, field: FieldSpec) -> FormEvent? {
        switch line.trimmingCharacters(in: .whitespaces) {
        case "<": return .back
        case "?":
            showHowTo(field)
            return .goTo(field: field.id)
        default: return nil
        }
    }

    func showHowTo(_ field: FieldSpec) {
        if let howTo = field.howTo {
            console.line("    \(howTo.title):")
            for (number, step) in howTo.steps.enumerated() {
                let mark = "      \(number + 1). "
                wrap(step, indent: String(repeating: " ", count: mark.count), first: mark)
            }
        } else if let help = field.help {
            wrap(help, indent: "    ")
        } else {
            console.line("    No further help for this field.")
        }
    }

    // MARK: Review

    func review(_ form: FormState) {
        console.line("")
        console.line("Review: \(form.schema.title)")
        if let status = form.status {
            let mark: String
            switch status.tone {
            case .passed: mark = "✓ "
            case .failed: mark = "✗ "
            case .stale: mark = "! "
            case .busy, .note: mark = ""
            }
            wrap(mark + status.text, indent: "  ")
        }
        let fields = form.visibleFields
        let width = min(32, fields.map(\.label.count).max() ?? 0)
        for (number, field) in fields.enumerated() {
            let label = field.label.padding(toLength: width, withPad: " ", startingAt: 0)
            let value = form.display(field.id) ?? (field.required ? "(missing)" : "—")
            let mark = form.problems[field.id] != nil ? "  ✗ " + (form.problems[field.id] ?? "") : ""
            console.line(String(format: "  %2d. ", number + 1) + "\(label)  \(value)\(mark)")
        }
    }

    func confirmDiscard() -> Bool {
        guard let answer = console.readLine(prompt: "Leave without saving? [y/N]: ") else { return true }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }

    static func key(of action: FormAction) -> String {
        switch action {
        case .save: return "s"
        case .test: return "t"
        case .saveAndAuthorize: return "a"
        }
    }

    static func name(of action: FormAction) -> String {
        switch action {
        case .save: return "save"
        case .test: return "test"
        case .saveAndAuthorize: return "save & authorize"
        }
    }

    /// Prints `text` folded at 78 columns, each line after `indent` (the first after `first`).
    func wrap(_ text: String, indent: String, first: String? = nil) {
        var prefix = first ?? indent
        var words: [Substring] = []
        func flush() {
            console.line(prefix + words.joined(separator: " "))
            prefix = indent
            words = []
        }
        for word in text.split(separator: " ") {
            let length = prefix.count + words.reduce(0) { $0 + $1.count + 1 } + word.count
            if !words.isEmpty && length > 78 { flush() }
            words.append(word)
        }
        if !words.isEmpty { flush() }
    }
}

import Foundation
