import Foundation
import Yams

/// Reads connector files: YAML text → `ConnectorSchema`, with every problem located at its
/// line and column, and the semantic checks of `SchemaLinter` applied.
public enum SchemaLoader {
    /// The outcome of reading one file: the schema when it is usable, and every diagnostic.
    public struct Result: Sendable {
        public var schema: ConnectorSchema?
        public var diagnostics: [SchemaDiagnostic]
    }

    /// Reads and checks the file at `path`.
    public static func load(path: String) -> Result {
        guard let data = FileManager.default.contents(atPath: path) else {
            return Result(schema: nil, diagnostics: [SchemaDiagnostic(file: path, message: "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return Result(schema: nil, diagnostics: [SchemaDiagnostic(file: path, message: "the file is not UTF-8 text")])
        }
        return load(text: text, file: path)
    }

    /// Reads and checks `text`, naming it `file` in diagnostics.
    public static func load(text: String, file: String) -> Result {
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                return Result(schema: nil, diagnostics: [SchemaDiagnostic(file: file, line: 1, column: 1, message: "the file is empty")])
            }
            node = composed
        } catch let error as YamlError {
            return Result(schema: nil, diagnostics: [diagnostic(for: error, file: file)])
        } catch {
            return Result(schema: nil, diagnostics: [SchemaDiagnostic(file: file, message: "\(error)")])
        }
        let locator = NodeLocator(root: node, file: file)
        let schema: ConnectorSchema
        do {
            schema = try YAMLDecoder().decode(ConnectorSchema.self, from: node)
        } catch let error as DecodingError {
            return Result(schema: nil, diagnostics: [locator.diagnostic(for: error)])
        } catch let error as YamlError {
            return Result(schema: nil, diagnostics: [diagnostic(for: error, file: file)])
        } catch {
            return Result(schema: nil, diagnostics: [SchemaDiagnostic(file: file, message: "\(error)")])
        }
        let findings = SchemaLinter.lint(schema).map { finding in
            locator.diagnostic(at: finding.path, severity: finding.severity, message: finding.message)
        }
        let usable = !findings.contains { $0.severity == .error }
        return Result(schema: usable ? schema : nil,
                      diagnostics: findings.sorted { ($0.severity == .error ? 0 : 1, $0.line ?? 0) < ($1.severity == .error ? 0 : 1, $1.line ?? 0) })
    }

    static func diagnostic(for error: YamlError, file: String) -> SchemaDiagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return SchemaDiagnostic(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(text)")
        default:
            return SchemaDiagnostic(file: file, message: "YAML: \(error)")
        }
    }
}

/// Finds the line and column of a coding path in the YAML node tree.
struct NodeLocator {
    var root: Node
    var file: String

    func mark(at path: [String]) -> Mark? {
        var node = root
        var mark = root.mark
        for key in path {
            if let index = Int(key), case .sequence(let items) = node {
                guard index < items.count else { break }
                node = items[index]
                mark = node.mark
            } else if case .mapping(let mapping) = node,
                      let pair = mapping.first(where: { $0.key.string == key }) {
                // The key's own position: on the line the author wrote the setting.
                mark = pair.key.mark
                node = pair.value
            } else {
                break
            }
        }
        return mark
    }

    func diagnostic(at path: [String], severity: SchemaDiagnostic.Severity = .error, message: String) -> SchemaDiagnostic {
        let mark = mark(at: path)
        return SchemaDiagnostic(file: file, line: mark?.line, column: mark?.column, severity: severity, message: message)
    }

    func diagnostic(for error: DecodingError) -> SchemaDiagnostic {
        switch error {
        case .keyNotFound(let key, let context):
            return diagnostic(at: names(context.codingPath), message: "missing required key “\(key.stringValue)”")
        case .typeMismatch(let type, let context):
            return diagnostic(at: names(context.codingPath), message: "expected \(describe(type)) here")
        case .valueNotFound(let type, let context):
            return diagnostic(at: names(context.codingPath), message: "expected \(describe(type)) here, found nothing")
        case .dataCorrupted(let context):
            return diagnostic(at: names(context.codingPath), message: context.debugDescription)
        @unknown default:
            return SchemaDiagnostic(file: file, message: "\(error)")
        }
    }

    func names(_ path: [CodingKey]) -> [String] {
        path.map { $0.intValue.map(String.init) ?? $0.stringValue }
    }

    func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Int.Type: return "a whole number"
        case is Bool.Type: return "true or false"
        case is [Any].Type: return "a list"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") || name.contains("Keyed") { return "a mapping" }
            return "a value of another form"
        }
    }
}
