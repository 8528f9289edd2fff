import ConnectorSchema
import FormEngine
import Testing

/// One step of filling in a form, as an operator does it, whatever the front end: worked out
/// by walking the form engine with the answers, so it follows the file's field order,
/// conditions, defaults and advanced gate.
enum FormMove: Equatable {
    /// Text typed into a field (empty: Enter keeps what is there); `replacing` when the field
    /// holds a default to clear first.
    case type(label: String, text: String, replacing: Bool)
    /// A choice by its number; nil keeps the one picked.
    case pick(label: String, number: Int?)
    /// A multiple choice: every number in `numbers` (for the line prompts), and the ones to
    /// toggle from the default (for the full screen).
    case tick(label: String, numbers: [Int], toggle: [Int])
    /// A new OAuth 2.0 client, part by part.
    case client(label: String, parts: [String])
    /// The advanced-settings question.
    case advanced(Bool)

    static func moves(answering answers: [String: String], schema: ConnectorSchema) throws -> [FormMove] {
        var form = FormState(schema: schema)
        var moves: [FormMove] = []
        while moves.count < 200 {
            switch form.step {
            case .field(let id):
                let field = try #require(schema.field(id))
                let input: FieldInput
                switch form.shape(of: field) {
                case .typed:
                    let held = form.value(of: id)?.text ?? ""
                    let text = answers[id] ?? ""
                    input = FieldInput(text.isEmpty ? held : text)
                    moves.append(.type(label: field.label, text: text, replacing: !held.isEmpty && !text.isEmpty))
                case .pick(let options, let many, let source):
                    #expect(source == .options, "\(schema.id).\(id): a walk over saved connections is not scripted here")
                    let wanted = (answers[id] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    let number = { (value: String) in options.firstIndex { $0.value == value }.map { $0 + 1 } }
                    let numbers = wanted.compactMap(number)
                    #expect(numbers.count == wanted.count && numbers.allSatisfy { $0 <= 9 }, "\(schema.id).\(id): \(wanted) among \(options.map(\.value))")
                    if many {
                        let held: [String]
                        if case .list(let values)? = form.value(of: id) { held = values } else { held = [] }
                        let heldNumbers = held.compactMap(number)
                        let toggle = wanted.isEmpty ? [] : Array(Set(numbers).symmetricDifference(heldNumbers)).sorted()
                        moves.append(.tick(label: field.label, numbers: numbers, toggle: toggle))
                        input = FieldInput(wanted.isEmpty ? held.joined(separator: ",") : wanted.joined(separator: ","))
                    } else {
                        let held = form.value(of: id)?.text
                        moves.append(.pick(label: field.label, number: wanted.isEmpty || wanted.first == held ? nil : numbers.first))
                        input = FieldInput(wanted.first ?? held ?? "")
                    }
                case .pickOrCreate(_, let parts):
                    var typed: [String: String] = [:]
                    for part in parts { typed[part.id] = answers[part.key(in: id)] ?? "" }
                    moves.append(.client(label: field.label, parts: parts.map { typed[$0.id]! }))
                    input = FieldInput(parts: typed)
                }
                form.handle(.submit(input))
                if form.step == .field(id) {
                    Issue.record("\(schema.id).\(id) refuses \(input): \(form.problems[id].map { "\($0)" } ?? "")")
                    return moves
                }
            case .advancedGate:
                let answered = Set(answers.keys.map(Template.fieldID(of:)))
                let wanted = form.visibleFields.contains { $0.advanced && answered.contains($0.id) }
                moves.append(.advanced(wanted))
                form.handle(.chooseAdvanced(wanted))
            case .review, .cancelled:
                return moves
            }
        }
        Issue.record("\(schema.id): the walk did not reach the review")
        return moves
    }
}
