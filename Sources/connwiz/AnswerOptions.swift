import ArgumentParser
import ConnectionCore
import ConnectorSchema
import Foundation
import Yams

/// Answers given on the command line or in a file, so every field can be set without a prompt.
struct AnswerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The connection's name (the name field).", valueName: "name"))
    var name: String?

    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Answer a field: FIELD=VALUE. Repeatable; not for secrets.", valueName: "field=value"),
            completion: CompletionSource.settableFields)
    var sets: [String] = []

    @Option(name: .customLong("secret"), parsing: .singleValue,
            help: ArgumentHelp("Answer a secret field from env:VAR, file:PATH or stdin (never a literal). Repeatable.",
                               valueName: "field=source"),
            completion: CompletionSource.secretFields)
    var secrets: [String] = []

    @Option(name: .long, help: ArgumentHelp("A YAML or JSON file of field: value answers; secrets as env:VAR or file:PATH.",
                                            valueName: "file"), completion: .file(extensions: ["yaml", "yml", "json"]))
    var answers: String?

    @Flag(name: .long, help: "Do not ask anything: save when every answer is valid, else list the problems and exit 2.")
    var yes = false

    @Flag(name: .long, help: "With --yes: print what was saved, and its test, as JSON.")
    var json = false

    func validate() throws {
        if json && !yes { throw ValidationError("--json goes with --yes: the questions and the panel are not JSON") }
    }

    /// Whether any answer was given up front.
    var givesAnswers: Bool { name != nil || !sets.isEmpty || !secrets.isEmpty || answers != nil }

    /// Every answer as text by key (`field` or `field.part`), secrets read from their sources.
    /// Problems of the options themselves are usage failures.
    /// - Parameter sandboxSecrets: secrets a sandbox publishes (`connwiz sandbox accounts`),
    ///   which an answers file may hold as they are while requests go to a sandbox.
    func collect(for schema: ConnectorSchema, environment: [String: String], sandboxSecrets: Set<String> = []) throws -> [String: String] {
        var values: [String: String] = [:]
        var problems: [String] = []
        let stdin = StandardInputLines()

        if let answers {
            do { values = try AnswersFile.read(answers, schema: schema, environment: environment, sandboxSecrets: sandboxSecrets) } catch let failure as CLIFailure {
                problems.append(failure.message)
            }
        }
        for assignment in sets {
            guard let (key, value) = split(assignment) else {
                problems.append("--set \(assignment): write FIELD=VALUE")
                continue
            }
            if schema.isSecret(key: key) {
                problems.append("--set \(key): \(key) is a secret; give it with --secret \(key)=env:VAR (or file:PATH, or stdin) so it stays out of shell history and ps")
                continue
            }
            values[key] = value
        }
        if let name { values[ConnectorSchema.nameField] = name }
        for assignment in secrets {
            guard let (key, source) = split(assignment) else {
                problems.append("--secret \(assignment): write FIELD=env:VAR, FIELD=file:PATH or FIELD=stdin")
                continue
            }
            guard schema.isSecret(key: key) else {
                problems.append(Self.notSecret(key, in: schema, option: "--secret"))
                continue
            }
            do { values[key] = try SecretSource.read(source, for: "--secret \(key)", environment: environment, stdin: stdin) }
            catch let failure as CLIFailure { problems.append(failure.message) }
        }
        if !problems.isEmpty { throw CLIFailure.problems(problems, reason: "invalid_options") }
        return values
    }

    /// Why `key` takes no --secret: a field made of parts names the parts to use
    /// (`oauth2Client.clientId` with --set, `oauth2Client.clientSecret` with --secret).
    static func notSecret(_ key: String, in schema: ConnectorSchema, option: String) -> String {
        if let field = schema.field(key), field.kind.parts.count > 1 {
            let parts = field.kind.parts.map { part in
                (part.isSecret ? "--secret " : "--set ") + part.key(in: field.id) + (part.isSecret ? "=env:VAR" : "=VALUE")
            }
            return "\(option) \(key): \(field.label) has \(parts.count) parts; give each: " + parts.joined(separator: " and ")
        }
        if schema.field(key) == nil {
            let keys = schema.fields.flatMap { field in field.kind.parts.map { $0.key(in: field.id) } }
            let near = NearestName.best(to: key, in: keys).map { " (did you mean \($0)?)" } ?? ""
            return "\(option) \(key): \(schema.id) has no field \(key)\(near)"
        }
        return "\(option) \(key): \(key) is not a secret field of \(schema.id); use --set"
    }

    func split(_ assignment: String) -> (String, String)? {
        guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else { return nil }
        return (String(assignment[..<equals]).trimmingCharacters(in: .whitespaces), String(assignment[assignment.index(after: equals)...]))
    }

}

/// Where a secret comes from: `env:VAR`, `file:PATH` or `stdin`. Never the command line itself.
enum SecretSource {
    static func read(_ source: String, for option: String, environment: [String: String], stdin: StandardInputLines?) throws -> String {
        if source.hasPrefix("env:") {
            let variable = String(source.dropFirst(4))
            ChildEnvironment.withhold(variable)
            guard let value = environment[variable], !value.isEmpty else {
                throw CLIFailure.usage("\(option): the environment variable \(variable) is not set or is empty")
            }
            return value
        }
        if source.hasPrefix("file:") {
            let path = (String(source.dropFirst(5)) as NSString).expandingTildeInPath
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CLIFailure.usage("\(option): cannot read the file \(path)")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        if source == "stdin", let stdin {
            guard let line = stdin.next() else { throw CLIFailure.usage("\(option): standard input ended before a line for it") }
            return line
        }
        throw CLIFailure.usage("\(option): take the secret from env:VAR, file:PATH or stdin; a secret written on the command line would show in ps and shell history")
    }
}

/// Lines of standard input, read one at a time as `--secret …=stdin` asks for them.
final class StandardInputLines {
    func next() -> String? { Swift.readLine(strippingNewline: true) }
}

/// An answers file read for `--answers`: its answers (parsed by `AnswersDocument`), with
/// secrets taken from where their values point.
enum AnswersFile {
    static func read(_ path: String, schema: ConnectorSchema, environment: [String: String], sandboxSecrets: Set<String> = []) throws -> [String: String] {
        var flat: [String: String] = [:]
        for (key, value) in try answers(path) { flat[key] = value }
        var values: [String: String] = [:]
        for (key, value) in flat {
            if schema.isSecret(key: key) && !sandboxSecrets.contains(value) {
                values[key] = try SecretSource.read(value, for: "--answers \(path): \(key)", environment: environment, stdin: nil)
            } else {
                values[key] = value
            }
        }
        return values
    }

    /// The answers by key (`field` or `field.part`), in file order.
    static func answers(_ path: String) throws -> [(String, String)] {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let data = FileManager.default.contents(atPath: path) else { throw CLIFailure.usage("--answers: cannot read \(path)") }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? data.count
        do { return try AnswersDocument.parse(data, file: path, size: size) } catch let problem as SchemaDiagnostic {
            throw CLIFailure.usage(problem.description)
        }
    }
}
