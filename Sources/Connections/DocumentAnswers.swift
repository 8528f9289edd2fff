import ConnectionCore
import ConnectorSchema
import Foundation

/// What an integrator.io connection document says of the connection connwiz made it from:
/// its connector, its name and every answer but the secrets, which come back as `******`
/// (or not at all) and must be entered again.
public struct DocumentAnswers: Sendable {
    public var connector: String
    public var name: String
    public var values: [String: FieldValue]
    /// The document's `_id`, when it came from an account.
    public var remoteID: String?
}

/// Why a document cannot be read back into answers; the message says what is wrong and where.
public struct DocumentProblem: Error, CustomStringConvertible, Sendable {
    public var description: String
}

extension CeligoDocument {
    /// Reads `document` (untrusted: an export file or an account's answer) back into answers.
    /// Only documents connwiz wrote carry their answers, in `_connwiz.answers`; a secret shown
    /// as `******` is left out.
    public static func answers(in document: [String: Any]) throws(DocumentProblem) -> DocumentAnswers {
        guard let name = document["name"] as? String, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DocumentProblem(description: "the document has no name")
        }
        guard let origin = document["_connwiz"] as? [String: Any] else {
            throw DocumentProblem(description: "“\(name)” was not made by connwiz (its document has no _connwiz object), so its answers cannot be read back; create it with connwiz new")
        }
        guard let connector = origin["connector"] as? String, !connector.isEmpty else {
            throw DocumentProblem(description: "_connwiz.connector of “\(name)” is missing or not a string")
        }
        guard let raw = origin["answers"] as? [String: Any] else {
            throw DocumentProblem(description: "“\(name)” was pushed by an older connwiz, whose documents do not carry their answers (_connwiz.answers); push it again from the machine that has it")
        }
        var values: [String: FieldValue] = [:]
        for (field, value) in raw {
            switch value {
            case let text as String where text == mask || text.isEmpty:
                continue
            case let text as String:
                values[field] = .string(text)
            case let number as Int:
                values[field] = .number(number)
            case let items as [Any]:
                let texts = items.compactMap { $0 as? String }
                guard texts.count == items.count else {
                    throw DocumentProblem(description: "_connwiz.answers.\(field) of “\(name)” is a list with something other than text in it")
                }
                values[field] = .list(texts)
            case let parts as [String: Any]:
                var texts: [String: String] = [:]
                for (part, text) in parts {
                    guard let text = text as? String else {
                        throw DocumentProblem(description: "_connwiz.answers.\(field).\(part) of “\(name)” is not text")
                    }
                    if text != mask { texts[part] = text }
                }
                if !texts.isEmpty { values[field] = .parts(texts) }
            default:
                throw DocumentProblem(description: "_connwiz.answers.\(field) of “\(name)” is neither text, a whole number, a list nor parts")
            }
        }
        values[ConnectorSchema.nameField] = .string(name)
        let remoteID = (document["_id"] as? String).flatMap { RemoteID.isValid($0) ? $0 : nil }
        return DocumentAnswers(connector: connector, name: name, values: values, remoteID: remoteID)
    }
}
