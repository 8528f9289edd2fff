import Foundation
import Yams

/// The answers of an answers file (`--answers`): a YAML (or JSON) mapping of field id to
/// text, a list of text (a multiple choice), or one level of parts (an OAuth 2.0 client):
/// `region: europe`, `scopes: [studio]`, `oauth2Client: {clientId: abc, clientSecret: env:S}`.
///
/// Read from YAML's node tree, not decoded as `Any`: a key that is a list or a mapping
/// (`[a]: x`, or `name: {{secret}}`, which YAML reads as a mapping) is refused instead of
/// crashing the decoder, and nothing deeper than a part is followed, so an alias bomb is
/// refused before it is expanded. Each refusal is one `SchemaDiagnostic` at its place.
public enum AnswersDocument {
    public static let maximumSize = 1 << 20

    /// The answers by key (`field` or `field.part`), in file order.
    public static func parse(_ data: Data, file: String, size: Int? = nil) throws -> [(String, String)] {
        let size = size ?? data.count
        guard size <= maximumSize else {
            throw SchemaDiagnostic(file: file, message: "an answers file is at most 1 MB; this one has \(size) bytes")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let (line, column) = SchemaLoader.firstInvalidUTF8(data)
            throw SchemaDiagnostic(file: file, line: line, column: column, message: "not UTF-8 text")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw SchemaLoader.diagnostic(for: error, file: file)
        }
        guard case .mapping(let mapping)? = root else {
            throw at(root, file, "expected a mapping of field: value")
        }
        var found: [(String, String)] = []
        for (keyNode, value) in mapping {
            let key = try scalar(keyNode, file, what: "a field id")
            switch value {
            case .scalar(let text):
                found.append((key, text.string))
            case .sequence(let items):
                found.append((key, try items.map { try scalar($0, file, what: "an item of \(key)") }.joined(separator: ",")))
            case .mapping(let parts):
                for (partNode, partValue) in parts {
                    let part = try scalar(partNode, file, what: "a part of \(key)")
                    found.append((key + "." + part, try scalar(partValue, file, what: "the answer \(key).\(part)")))
                }
            case .alias:
                throw at(value, file, "\(key): aliases are not allowed in answers files; write the value out")
            }
        }
        return found
    }

    /// The text of a scalar node, or a refusal saying where it is and what was found.
    static func scalar(_ node: Node, _ file: String, what: String) throws -> String {
        switch node {
        case .scalar(let text): return text.string
        case .mapping:
            throw at(node, file, "\(what) must be plain text, not a mapping (a value such as {{…}} is a mapping to YAML: quote it)")
        case .sequence:
            throw at(node, file, "\(what) must be plain text, not a list")
        case .alias:
            throw at(node, file, "\(what): aliases are not allowed in answers files; write the value out")
        }
    }

    static func at(_ node: Node?, _ file: String, _ message: String) -> SchemaDiagnostic {
        SchemaDiagnostic(file: file, line: node?.mark?.line, column: node?.mark?.column, message: message)
    }
}
