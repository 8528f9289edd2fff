import ConnectorSchema

/// One of the offered options, given by value, by label or by its number in the list.
struct ChoiceField: FieldBehavior {
    func parse(_ input: FieldInput, field: FieldSpec, in environment: FieldEnvironment) -> Result<FieldValue, FieldProblem> {
        guard let option = Self.match(input[""], in: environment.options) else {
            return .failure(unknown(input[""], field: field, environment: environment))
        }
        return .success(.string(option.value))
    }

    func recheck(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> FieldProblem? {
        if environment.options.contains(where: { $0.value == value.text }) { return nil }
        let label = field.option(value.text)?.label ?? value.text
        return FieldProblem(field: field.id, message: "“\(label)” is not offered with the answers above; choose one of: "
            + environment.options.map(\.value).joined(separator: ", "))
    }

    func display(_ value: FieldValue, field: FieldSpec, in environment: FieldEnvironment) -> String {
        field.option(value.text)?.label ?? value.text
    }

    /// The option `text` names: its value or label (ignoring case), or its 1-based position.
    static func match(_ text: String, in options: [ChoiceOption]) -> ChoiceOption? {
        let wanted = text.lowercased()
        if let exact = options.first(where: { $0.value == text }) { return exact }
        if let named = options.first(where: { $0.value.lowercased() == wanted || $0.label.lowercased() == wanted }) { return named }
        if let position = Int(text), options.indices.contains(position - 1) { return options[position - 1] }
        return byWords(text, in: options)
    }

    /// The one option whose label or value has every typed word as the start of one of its
    /// words, or whose label's initials are the word typed: `data push` for “Data push API”,
    /// `north` or `na` for “North America”. Nil when none or several do.
    static func byWords(_ text: String, in options: [ChoiceOption]) -> ChoiceOption? {
        let typed = words(of: text)
        guard !typed.isEmpty else { return nil }
        let fitting = options.filter { option in
            let own = words(of: option.label) + words(of: option.value)
            let initials = String(words(of: option.label).compactMap(\.first))
            if typed.count == 1, typed[0].count > 1, typed[0] == initials { return true }
            return typed.allSatisfy { word in own.contains { $0.hasPrefix(word) } }
        }
        return fitting.count == 1 ? fitting[0] : nil
    }

    /// Lower-cased words, split at spaces and punctuation.
    static func words(of text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    func unknown(_ text: String, field: FieldSpec, environment: FieldEnvironment) -> FieldProblem {
        FieldProblem(field: field.id, message: "“\(text)” is not a choice of \(field.label); choose one of: "
            + environment.options.map(\.value).joined(separator: ", "))
    }
}
