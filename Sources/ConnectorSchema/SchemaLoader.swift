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

    /// The largest connector file read, in bytes; the built-in ones are under 10 KB.
    public static let maximumSize = 1 << 20
    /// The most values a file may hold once its aliases are expanded: an alias bomb of a few
    /// hundred bytes stands for billions, and is refused before anything decodes it.
    public static let maximumValues = 100_000

    /// Reads and checks the file at `path`.
    public static func load(path: String) -> Result {
        var status = stat()
        if stat(path, &status) == 0, Int(status.st_size) > maximumSize {
            let size = Int(status.st_size)
            return Result(schema: nil, diagnostics: [SchemaDiagnostic(file: path, message: "a connector file is at most 1 MB; this one has \(size) bytes")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return Result(schema: nil, diagnostics: [SchemaDiagnostic(file: path, message: "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let (line, column) = firstInvalidUTF8(data)
            return Result(schema: nil, diagnostics: [SchemaDiagnostic(file: path, line: line, column: column,
                                                                      message: "the file is not UTF-8 text (a byte here is not UTF-8; save the file as UTF-8)")])
        }
        return load(text: text, file: path)
    }

    /// The line and column (1-based, in characters) of the first byte that is not UTF-8.
    static func firstInvalidUTF8(_ data: Data) -> (Int, Int) {
        let bytes = [UInt8](data)
        var line = 1, column = 1, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            guard length > 0, index + length <= bytes.count,
                  String(bytes: bytes[index..<(index + length)], encoding: .utf8) != nil else { return (line, column) }
            if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
            index += length
        }
        return (line, column)
    }

    /// Reads and checks `text`, naming it `file` in diagnostics.
    public static func load(text: String, file: String) -> Result {
        let node: Node
        do {
            // No tag is resolved by regular expression: `NodeDecoder` reads plain scalars itself. The
            // encoding is given, or Yams reads it from the environment for every file.
            guard let composed = try Yams.compose(yaml: text, .basic, .default, .utf8) else {
                return Result(schema: nil, diagnostics: [SchemaDiagnostic(file: file, line: 1, column: 1, message: "the file is empty")])
            }
            node = composed
        } catch let error as YamlError {
            return Result(schema: nil, diagnostics: [diagnostic(for: error, file: file)])
        } catch {
            return Result(schema: nil, diagnostics: [SchemaDiagnostic(file: file, message: "\(error)")])
        }
        var budget = maximumValues
        guard count(node, budget: &budget) else {
            return Result(schema: nil, diagnostics: [SchemaDiagnostic(file: file, line: node.mark?.line, column: node.mark?.column,
                                                                      message: "the file holds more than \(maximumValues) values once its aliases are expanded; write it without an alias bomb")])
        }
        let locator = NodeLocator(root: node, file: file, text: text)
        let schema: ConnectorSchema
        do {
            schema = try NodeDecoder().decode(ConnectorSchema.self, from: node)
        } catch let error as DecodingError {
            return Result(schema: nil, diagnostics: [locator.diagnostic(for: error)])
        } catch let error as YamlError {
            return Result(schema: nil, diagnostics: [diagnostic(for: error, file: file)])
        } catch {
            return Result(schema: nil, diagnostics: [SchemaDiagnostic(file: file, message: "\(error)")])
        }
        let findings = SchemaLinter.lint(schema).map { finding in
            locator.diagnostic(at: finding.path, placeholder: finding.placeholder, severity: finding.severity, message: finding.message)
        }
        let usable = !findings.contains { $0.severity == .error }
        return Result(schema: usable ? schema : nil,
                      diagnostics: findings.sorted { ($0.severity == .error ? 0 : 1, $0.line ?? 0) < ($1.severity == .error ? 0 : 1, $1.line ?? 0) })
    }

    /// Counts the values of `node` as decoding would see them, aliases expanded; false as soon
    /// as `budget` runs out.
    static func count(_ node: Node, budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch node {
        case .scalar, .alias: return true
        case .sequence(let items): return items.allSatisfy { count($0, budget: &budget) }
        case .mapping(let pairs): return pairs.allSatisfy { count($0.key, budget: &budget) && count($0.value, budget: &budget) }
        }
    }

    /// One line with the position first, whatever YAML said.
    static func diagnostic(for error: YamlError, file: String) -> SchemaDiagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return SchemaDiagnostic(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(oneLine(text))")
        case .reader(let problem, let offset, let value, let yaml):
            let (line, column) = position(ofCharacter: offset ?? 0, in: yaml)
            let what = value >= 0 && value < 0x20 || value == 0x7F ? String(format: "the control character U+%04X", value) : "a character YAML does not allow"
            return SchemaDiagnostic(file: file, line: line, column: column, message: "\(what) is not allowed here (\(oneLine(problem)))")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "“\($0)”" }.joined(separator: ", ")
            return SchemaDiagnostic(file: file, line: context.mark.line, column: context.mark.column,
                                    message: "the key \(keys) appears more than once in this mapping; keep one")
        default:
            return SchemaDiagnostic(file: file, message: "YAML: \(oneLine(String(describing: error)))")
        }
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// The line and column (1-based) of the character at `offset` (libyaml counts characters).
    static func position(ofCharacter offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1
        for character in text.unicodeScalars.prefix(offset) {
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}

/// Finds the line and column of a coding path in the YAML node tree.
struct NodeLocator {
    var root: Node
    var file: String
    /// The file's text, to find a placeholder inside a value.
    var text: String = ""

    func mark(at path: [String]) -> Mark? { locate(path).mark }

    /// The mark of the key (or item) at `path`, and the node of its value.
    func locate(_ path: [String]) -> (mark: Mark?, node: Node) {
        var node = root
        var mark = root.mark
        for key in path {
            if let index = Int(key), case .sequence(let items) = node {
                guard index < items.count else { break }
                node = items[index]
                mark = node.mark
            } else if key == "0", node.sequence == nil, !(node.mapping?.keys.contains { $0.string == key } ?? false) {
                // A single value written for a list of one (`validate: {…}`, `auth: {…}`).
                continue
            } else if case .mapping(let mapping) = node,
                      let pair = mapping.first(where: { $0.key.string == key }) {
                // The key's own position: on the line the author wrote the setting.
                mark = pair.key.mark
                node = pair.value
            } else {
                break
            }
        }
        return (mark, node)
    }

    func diagnostic(at path: [String], placeholder: SchemaLinter.Finding.Placeholder? = nil,
                    severity: SchemaDiagnostic.Severity = .error, message: String) -> SchemaDiagnostic {
        let (mark, node) = locate(path)
        if let placeholder, let start = node.mark, let (line, column) = position(of: placeholder, from: start) {
            return SchemaDiagnostic(file: file, line: line, column: column, severity: severity, message: message)
        }
        return SchemaDiagnostic(file: file, line: mark?.line, column: mark?.column, severity: severity, message: message)
    }

    /// The line and column of the placeholder's opening braces, searching the text from where
    /// its value starts; nil when it is not found as written (an escaped quote, say).
    func position(of placeholder: SchemaLinter.Finding.Placeholder, from start: Mark) -> (Int, Int)? {
        var line = 1, column = 1
        var scalars = Substring(text).unicodeScalars[...]
        while !scalars.isEmpty, line < start.line || (line == start.line && column < start.column) {
            if scalars.removeFirst() == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        let rest = String(scalars)
        let escaped = NSRegularExpression.escapedPattern(for: placeholder.name)
        guard let regex = try? NSRegularExpression(pattern: #"\{\{[ \t]*"# + escaped + #"[ \t]*\}\}"#) else { return nil }
        let matches = regex.matches(in: rest, range: NSRange(rest.startIndex..., in: rest))
        guard placeholder.occurrence < matches.count,
              let range = Range(matches[placeholder.occurrence].range, in: rest) else { return nil }
        for scalar in rest[..<range.lowerBound].unicodeScalars {
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
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
