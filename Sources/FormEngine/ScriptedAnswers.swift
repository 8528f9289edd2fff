import ConnectorSchema

/// Answers given all at once, by flags or an answers file, keyed `field` or `field.part`
/// (`oauth2Client.clientSecret`). Applying them drives the same engine as the prompts do.
public struct ScriptedAnswers: Sendable {
    /// The outcome of applying answers.
    public struct Outcome: Sendable {
        /// Missing or invalid answers, one per field, in field order.
        public var problems: [FieldProblem]
        /// Keys given for fields the other answers hide; their values are not used.
        public var ignored: [String]
    }

    public var values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    /// Keys that name no field or part of `schema`, each with a message.
    public func unknownKeys(in schema: ConnectorSchema) -> [FieldProblem] {
        values.keys.sorted().compactMap { key in
            let fieldID = Template.fieldID(of: key)
            guard let field = schema.field(fieldID) else {
                let near = closest(fieldID, schema.fields.map(\.id)).map { " (did you mean \($0)?)" } ?? ""
                return FieldProblem(field: key, message: "\(schema.id) has no field “\(fieldID)”\(near); its fields are: "
                    + schema.fields.map(\.id).joined(separator: ", "))
            }
            let keys = field.kind.parts.map { $0.key(in: field.id) }
            if keys.contains(key) { return nil }
            // A stored OAuth 2.0 client is named by the field itself: --set oauth2Client=NAME.
            if key == field.id && field.kind == .oauthClient { return nil }
            return FieldProblem(field: key, message: "use " + keys.joined(separator: " and ") + " for \(field.label)")
        }
    }

    /// Sets every answer in field order (so conditions see earlier answers first), then lists
    /// the problems of every shown field.
    public func apply(to form: inout FormState) -> Outcome {
        var problems = unknownKeys(in: form.schema)
        var used: Set<String> = []
        for field in form.schema.fields where form.isVisible(field.id) {
            var parts: [String: String] = [:]
            for part in field.kind.parts {
                if let text = values[part.key(in: field.id)] { parts[part.id] = text }
            }
            if field.kind == .oauthClient, parts.isEmpty, let name = values[field.id] {
                used.insert(field.id)
                form.handle(.set(field: field.id, FieldInput(name)))
                if let message = form.problems[field.id] { problems.append(FieldProblem(field: field.id, message: message)) }
                continue
            }
            guard !parts.isEmpty else { continue }
            for part in field.kind.parts { used.insert(part.key(in: field.id)) }
            form.handle(.set(field: field.id, FieldInput(parts: parts)))
            if let message = form.problems[field.id] { problems.append(FieldProblem(field: field.id, message: message)) }
        }
        let reported = Set(problems.map(\.field))
        problems += form.allProblems.filter { !reported.contains($0.field) }
        let ignored = values.keys.filter { !used.contains($0) && form.schema.field(Template.fieldID(of: $0)) != nil }.sorted()
        return Outcome(problems: problems, ignored: ignored)
    }

    func closest(_ word: String, _ candidates: [String]) -> String? {
        candidates.first { $0.lowercased() == word.lowercased() }
            ?? candidates.first { $0.lowercased().hasPrefix(word.lowercased()) || word.lowercased().hasPrefix($0.lowercased()) }
    }
}
