import Foundation

/// Semantic checks of a decoded connector file: what YAML and the types cannot catch, such as a
/// condition on a later field, a template naming a field that does not exist, or a bad regex.
public enum SchemaLinter {
    /// `^[a-z0-9][a-z0-9-]*$`, checked byte by byte (a regular expression compiled for each
    /// file was a tenth of linting a cold catalog).
    static func isConnectorID(_ id: String) -> Bool {
        guard let first = id.utf8.first, isLowerOrDigit(first) else { return false }
        return id.utf8.allSatisfy { isLowerOrDigit($0) || $0 == UInt8(ascii: "-") }
    }

    /// `^[A-Za-z][A-Za-z0-9_]*$`.
    static func isFieldID(_ id: String) -> Bool {
        guard let first = id.utf8.first, isLetter(first) else { return false }
        return id.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    private static func isLowerOrDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || isDigit(byte) }

    /// One finding, located by its path of keys and indexes in the file.
    public struct Finding: Hashable, Sendable {
        public var path: [String]
        public var severity: SchemaDiagnostic.Severity
        public var message: String
        /// A placeholder in the value at `path` that the finding is about (`tenant` for
        /// `{{tenant}}`), and which of its occurrences there (0 for the first): the diagnostic
        /// then points at the placeholder's own column.
        public var placeholder: Placeholder?

        public struct Placeholder: Hashable, Sendable {
            public var name: String
            public var occurrence: Int
        }
    }

    /// Names templates may use besides field references.
    public static let builtinReferences: Set<String> = ["baseURI"]

    public static func lint(_ schema: ConnectorSchema) -> [Finding] {
        var findings: [Finding] = []
        func error(_ path: [String], _ message: String) { findings.append(Finding(path: path, severity: .error, message: message)) }
        func warning(_ path: [String], _ message: String) { findings.append(Finding(path: path, severity: .warning, message: message)) }
        func placeholderError(_ path: [String], _ message: String, _ placeholder: Finding.Placeholder) {
            findings.append(Finding(path: path, severity: .error, message: message, placeholder: placeholder))
        }

        if !Self.isConnectorID(schema.id) {
            error(["id"], "connector id “\(schema.id)” must be lowercase letters, digits and dashes")
        }
        if schema.title.trimmingCharacters(in: .whitespaces).isEmpty { error(["title"], "title is empty") }
        if schema.fields.isEmpty { error(["fields"], "a connector needs at least one field") }

        var seen: [String: Int] = [:]
        for (index, field) in schema.fields.enumerated() {
            let at = ["fields", String(index)]
            if !Self.isFieldID(field.id) {
                error(at + ["id"], "field id “\(field.id)” must start with a letter and hold only letters, digits and _")
            }
            if let first = seen[field.id] {
                error(at + ["id"], "field id “\(field.id)” is used twice (first by field \(first + 1))")
            }
            seen[field.id] = seen[field.id] ?? index
            lintOptions(field, at: at, error: error)
            lintConditions(field.when, at: at + ["when"], before: index, in: schema, error: error)
            for (o, option) in field.options.enumerated() where !option.when.all.isEmpty {
                lintConditions(option.when, at: at + ["options", String(o), "when"], before: index, in: schema, error: error)
            }
            lintDefault(field, at: at, error: error)
            if field.kind == .oauthClient && !field.validations.isEmpty {
                // Its answer is a client ID and secret (or a stored client's name), not one text.
                error(at + ["validate"], "validate does not apply to an oauthClient field: its client ID and secret are checked by the service that issued them; remove it")
            }
            for (r, rule) in field.validations.enumerated() {
                let here = at + ["validate", String(r)]
                lintValidation(rule, field: field, at: here, error: error)
                lintConditions(rule.when, at: here + ["when"], before: index, in: schema, error: error)
            }
            lintSteps(field.normalize, at: at + ["normalize"], error: error)
            for name in field.parts.keys.sorted() {
                let steps = field.parts[name] ?? []
                lintSteps(steps, at: at + ["parts", name], error: error)
                if field.kind.holdsSecret && !steps.contains(where: \.narrows) {
                    error(at + ["parts", name], "a part of a secret must keep only a piece of it ({extract: …}, {after: …} or {before: …}); as written, {{\(field.id).\(name)}} would send the whole secret where it is shown and logged")
                }
            }
            if !field.connectors.isEmpty && field.kind != .connectionRef {
                error(at + ["connectors"], "connectors applies only to connectionRef fields")
            }
            if field.kind == .secret && field.placeholder != nil {
                warning(at + ["placeholder"], "a placeholder on a secret is never shown")
            }
        }

        if let name = schema.field(ConnectorSchema.nameField) {
            if name.kind != .text || !name.required || name.advanced || !name.when.all.isEmpty {
                error(path(of: name.id, in: schema), "the name field must be a required, always shown, simple text field")
            }
        } else {
            error(["fields"], "every connector needs a field with id “name” for the connection's name")
        }

        if let http = schema.http {
            lintHTTP(http, schema: schema, error: error, warning: warning, placeholderError: placeholderError)
        }
        if let standIn = schema.standIn { lintStandIn(standIn, schema: schema, error: error, warning: warning) }
        return findings
    }

    /// A stand-in's accounts answer fields the connector has, with values its choices offer;
    /// at least one succeeds; and its auth is one a declared stand-in can check.
    static func lintStandIn(_ standIn: StandInSpec, schema: ConnectorSchema, error: ([String], String) -> Void,
                            warning: ([String], String) -> Void) {
        for (index, account) in standIn.accounts.enumerated() {
            let at = ["standIn", "accounts", String(index), "answers"]
            for key in account.answers.keys.sorted() {
                let fieldID = Template.fieldID(of: key)
                guard let field = schema.field(fieldID) else {
                    error(at + [key], "“\(key)” names no field of this connector; fields: " + schema.fields.map(\.id).joined(separator: ", "))
                    continue
                }
                let keys = field.kind.parts.map { $0.key(in: field.id) }
                if !keys.contains(key) { error(at + [key], "use " + keys.joined(separator: " and ") + " for \(field.label)") }
                if field.kind == .choice, let value = account.answers[key], field.option(value) == nil {
                    error(at + [key], "“\(value)” is not an option of \(field.id) (options: \(field.options.map(\.value).joined(separator: ", ")))")
                }
            }
        }
        if standIn.goodAccount == nil { error(["standIn", "accounts"], "no account responds ok: give one that succeeds") }
        // Only the auth variants some account reaches matter: a connector may offer a login
        // the stand-in cannot answer beside a token it can.
        let checkable: Set<AuthType> = [.bearer, .header, .basic, .query, .oauth2, .jwt, .cookie]
        let auths = schema.http?.auth ?? []
        let reached = standIn.accounts.enumerated().compactMap { index, account -> (account: Int, auth: Int)? in
            auths.firstIndex { $0.when.holds { account.answers[$0].map(FieldValue.string) } }.map { (index, $0) }
        }
        for index in Set(reached.map(\.auth)).sorted() {
            let auth = auths[index]
            if !checkable.contains(auth.type) {
                warning(["http", "auth", String(index), "type"], "a declared stand-in cannot check auth type \(auth.type.rawValue) (a signature or a challenge); its accounts will be refused as unauthorized — give the service a Swift stand-in")
            } else if auth.type == .oauth2, auth.signsInThroughBrowser {
                for (account, reachedAuth) in reached where reachedAuth == index && standIn.accounts[account].signIn == nil {
                    warning(["standIn", "accounts", String(account)], "grant \(auth.grant?.rawValue ?? "") needs a browser sign-in: give the account signIn (username, password) for the stand-in's sign-in page")
                }
            } else if auth.type == .oauth2, ![.clientCredentials, .password].contains(auth.grant), !(auth.grant == .refreshToken && auth.refreshToken != nil) {
                warning(["http", "auth", String(index), "grant"], "a declared stand-in answers the clientCredentials, password, given-refresh-token and authorizationCode grants; grant \(auth.grant?.rawValue ?? "") is not among them")
            }
        }
        for (account, index) in reached where standIn.accounts[account].signIn != nil && !auths[index].signsInThroughBrowser {
            error(["standIn", "accounts", String(account), "signIn"], "signIn applies to an account whose auth signs in through a browser (oauth2 authorizationCode); this one's is \(auths[index].type.rawValue)")
        }
    }

    static func path(of fieldID: String, in schema: ConnectorSchema) -> [String] {
        ["fields", String(schema.fields.firstIndex { $0.id == fieldID } ?? 0)]
    }

    static func lintOptions(_ field: FieldSpec, at: [String], error: ([String], String) -> Void) {
        if field.kind.hasOptions {
            if field.options.isEmpty { error(at + ["kind"], "a \(field.kind.rawValue) field needs options") }
            var values = Set<String>()
            for (o, option) in field.options.enumerated() where !values.insert(option.value).inserted {
                error(at + ["options", String(o)], "option value “\(option.value)” is listed twice")
            }
        } else if !field.options.isEmpty {
            error(at + ["options"], "options apply only to choice and multiChoice fields, not \(field.kind.rawValue)")
        }
    }

    static func lintConditions(_ set: ConditionSet, at: [String], before index: Int, in schema: ConnectorSchema,
                               error: ([String], String) -> Void) {
        for (c, condition) in set.all.enumerated() {
            let here = set.all.count > 1 ? at + [String(c)] : at
            guard let target = schema.fields.firstIndex(where: { $0.id == condition.field }) else {
                let earlier = schema.fields.prefix(index).filter { !$0.kind.holdsSecret }.map(\.id)
                let near = NearestName.best(to: condition.field, in: earlier) ?? NearestName.best(to: condition.field, in: schema.fields.map(\.id))
                error(here + ["field"], "condition names unknown field “\(condition.field)”" + (near.map { " (did you mean “\($0)”?)" } ?? ""))
                continue
            }
            if target >= index {
                error(here + ["field"], "condition on “\(condition.field)”, which is not asked before this field")
                continue
            }
            let referenced = schema.fields[target]
            if referenced.kind.hasOptions {
                for value in condition.namedValues where referenced.option(value) == nil {
                    error(here, "“\(value)” is not an option of \(referenced.id) (options: \(referenced.options.map(\.value).joined(separator: ", ")))")
                }
            }
            if referenced.kind.holdsSecret {
                error(here + ["field"], "a condition may not test a secret (\(referenced.id))")
            }
        }
    }

    static func lintDefault(_ field: FieldSpec, at: [String], error: ([String], String) -> Void) {
        guard let value = field.default else { return }
        let here = at + ["default"]
        if field.kind.holdsSecret { error(here, "a secret may not have a default"); return }
        switch (field.kind, value) {
        case (.choice, .string(let choice)):
            if field.option(choice) == nil { error(here, "default “\(choice)” is not one of the options") }
        case (.multiChoice, .list(let items)):
            for item in items where field.option(item) == nil { error(here, "default “\(item)” is not one of the options") }
        case (.number, .number(let n)):
            if let min = field.validate?.min, n < min { error(here, "default \(n) is below the minimum \(min)") }
            if let max = field.validate?.max, n > max { error(here, "default \(n) is above the maximum \(max)") }
        case (.number, _): error(here, "the default of a number field must be a whole number")
        case (.multiChoice, _): error(here, "the default of a multiChoice field must be a list")
        case (.text, .string), (.url, .string): break
        default: error(here, "a \(field.kind.rawValue) field cannot have the default “\(value.text)”")
        }
    }

    static func lintValidation(_ rules: Validation, field: FieldSpec, at here: [String], error: ([String], String) -> Void) {
        if let pattern = rules.pattern, case .failure(let message) = compile(pattern) {
            error(here + ["pattern"], "pattern is not a valid regular expression: \(message)")
        }
        if rules.pattern != nil && rules.message == nil {
            error(here + ["pattern"], "a pattern needs a message telling the operator what to enter")
        }
        if let lo = rules.minLength, let hi = rules.maxLength, lo > hi { error(here, "minLength is above maxLength") }
        if let lo = rules.min, let hi = rules.max, lo > hi { error(here, "min is above max") }
        if (rules.min != nil || rules.max != nil) && field.kind != .number {
            error(here, "min and max apply only to number fields; use minLength/maxLength for text")
        }
    }

    static func lintHTTP(_ http: HTTPSpec, schema: ConnectorSchema, error: ([String], String) -> Void,
                         warning: ([String], String) -> Void,
                         placeholderError: ([String], String, Finding.Placeholder) -> Void) {
        let end = schema.fields.count
        func templates(_ list: [(String, Template?)], at: [String]) {
            for (key, template) in list {
                guard let template else { continue }
                var seen: [String: Int] = [:]
                for reference in template.references {
                    let occurrence = seen[reference, default: 0]
                    seen[reference] = occurrence + 1
                    checkReference(reference, schema: schema) { message in
                        placeholderError(at + [key], message, Finding.Placeholder(name: reference, occurrence: occurrence))
                    }
                }
            }
        }
        for (i, variant) in http.baseURI.enumerated() {
            let at = ["http", "baseURI", String(i)]
            lintConditions(variant.when, at: at + ["when"], before: end, in: schema, error: error)
            templates([("value", variant.value)], at: at)
            for reference in variant.value.references where schema.isSecret(key: reference) {
                error(at, "the base URI may not hold a secret (\(reference)); it is shown and logged")
            }
        }
        if http.baseURI.isEmpty { error(["http", "baseURI"], "http needs a baseURI") }
        else if !http.baseURI.contains(where: { $0.when.all.isEmpty }) {
            warning(["http", "baseURI"], "no baseURI variant without when: some answers may leave the connection without a base URI")
        }
        for (i, auth) in http.auth.enumerated() {
            let at = ["http", "auth", String(i)]
            lintConditions(auth.when, at: at + ["when"], before: end, in: schema, error: error)
            templates(auth.templates, at: at)
        }
        for (i, test) in http.tests.enumerated() {
            let at = ["http", "tests", String(i)]
            lintConditions(test.when, at: at + ["when"], before: end, in: schema, error: error)
            templates([("method", test.method), ("path", test.path), ("body", test.body)], at: at)
            for (name, value) in test.headers { templates([(name, value)], at: at + ["headers"]) }
            let names = test.headers.keys.sorted()
            for (n, name) in names.enumerated() {
                if let first = names[..<n].first(where: { $0.lowercased() == name.lowercased() }) {
                    error(at + ["headers", name], "header “\(name)” is set twice (also as “\(first)”); header names ignore case")
                }
            }
            lintExplain(test, at: at, warning: warning)
            for (j, check) in test.success.headers.enumerated() where [check.equals, check.contains].contains(where: { $0?.contains("{{") == true }) {
                error(at + ["success", "headers", String(j)], "a headers check is compared as written: “{{…}}” is not filled in from the answers; give the literal value")
            }
            for (j, check) in test.success.json.enumerated() where check.equals?.contains("{{") == true {
                error(at + ["success", "json", String(j), "equals"],
                      "equals is compared as written: “\(check.equals ?? "")” is not filled in from the answers; give the literal value")
            }
            for reference in test.path.references where schema.isSecret(key: reference) {
                error(at + ["path"], "a test path may not hold a secret (\(reference)); it is shown and logged — use auth type query")
            }
        }
        if let concurrency = http.concurrency {
            templates([("level", concurrency.level), ("borrowFrom", concurrency.borrowFrom)], at: ["http", "concurrency"])
        }
    }

    /// Warns of `explain` keys that no response can bring up.
    static func lintExplain(_ test: TestRequestSpec, at: [String], warning: ([String], String) -> Void) {
        let here = at + ["explain"]
        for status in test.explain.byStatus.keys.sorted() {
            if (100...199).contains(status) {
                warning(here + [String(status)], "explain \(status) never shows: a \(status) is not a final response")
            } else if test.success.accepts(status: status) && !test.success.checksMoreThanStatus {
                warning(here + [String(status)], "explain \(status) never shows: \(status) passes this test, and it has no rule on the body (noArray or json) that could fail")
            }
        }
        if test.explain.rule != nil && !test.success.checksMoreThanStatus {
            warning(here + [FailureExplanation.ruleKey], "explain rule never shows: this test has no rule on the body (noArray or json)")
        }
    }

    /// Checks normalizer steps: each extract is a valid regular expression with a group to keep.
    static func lintSteps(_ steps: [Normalizer], at: [String], error: ([String], String) -> Void) {
        for (n, step) in steps.enumerated() {
            guard case .extract(let pattern) = step else { continue }
            switch compile(pattern) {
            case .failure(let message): error(at + [String(n)], "extract is not a valid regular expression: \(message)")
            case .success(let captures) where captures < 1:
                error(at + [String(n)], "extract needs a capture group ( … ) holding the part to keep")
            default: break
            }
        }
    }

    static func checkReference(_ reference: String, schema: ConnectorSchema, error: (String) -> Void) {
        if builtinReferences.contains(reference) { return }
        let fieldID = Template.fieldID(of: reference)
        if fieldID == "callback" && schema.field(fieldID) == nil {
            let kept = Set(schema.http?.auth.flatMap(\.callbackValues) ?? [])
            let name = String(reference.dropFirst(fieldID.count + 1))
            if !kept.contains(name) {
                error("“{{\(reference)}}” is a value of the sign-in's callback that no auth variant keeps; list “\(name)” under callbackValues of an authorizationCode auth")
            }
            return
        }
        guard let field = schema.field(fieldID) else {
            let names = builtinReferences.sorted() + schema.fields.flatMap { field in
                field.kind.parts.map { $0.key(in: field.id) } + field.parts.keys.sorted().map { field.id + "." + $0 }
            }
            let near = NearestName.best(to: reference, in: names).map { " (did you mean “{{\($0)}}”?)" } ?? ""
            error("“{{\(reference)}}” names no field of this connector\(near)")
            return
        }
        let keys = field.kind.parts.map { $0.key(in: field.id) } + field.parts.keys.sorted().map { field.id + "." + $0 }
        if !keys.contains(reference) {
            error("“{{\(reference)}}” is not a part of \(field.id); use " + keys.map { "{{\($0)}}" }.joined(separator: " or "))
        }
    }

    /// Compiles a regular expression, giving its number of capture groups or why it is invalid.
    static func compile(_ pattern: String) -> Swift.Result<Int, CompileFailure> {
        do {
            let regex = try NSRegularExpression(pattern: pattern)
            return .success(regex.numberOfCaptureGroups)
        } catch {
            return .failure(CompileFailure(message: "“\(pattern)”"))
        }
    }

    struct CompileFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
