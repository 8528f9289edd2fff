import Foundation

/// Finds the service's own explanation in an error body, in the shapes real APIs use:
/// integrator.io's `{"errors":[{"message"}]}`, OAuth's `error_description`, Celonis's
/// `{"title","detail"}`, Salesforce's `[{"message","errorCode"}]`, or a short plain text.
///
/// The message is found whole and never cut here: it may quote a secret, and a cut secret
/// could no longer be recognised. `shown(_:redactor:)` redacts first, then cuts.
enum ServiceMessage {
    static let maximumLength = 240

    /// The message at `path` (a dotted path such as `error.message`, a connector's
    /// `errorPath`) in a JSON body; when the path is not given or finds nothing, the usual
    /// shapes are tried. With `plainText`, a body where none of them is found gives its first line.
    static func from(_ data: Data, at path: String?, plainText: Bool = true) -> String? {
        if let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) {
            if let path, let found = SuccessJudge.value(at: path, in: object) {
                let text: String?
                switch found {
                case is [String: Any], is [Any]: text = fromJSON(found)
                default: text = SuccessJudge.text(of: found)
                }
                if let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return text }
            }
            if let message = fromJSON(object) { return message }
        }
        return plainText ? from(data) : nil
    }

    static func from(_ data: Data) -> String? {
        guard !data.isEmpty else { return nil }
        if let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
           let message = fromJSON(object) {
            return message
        }
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed.hasPrefix("<") { return nil }
        return trimmed.split(separator: "\n").first.map(String.init) ?? trimmed
    }

    /// The message as a status line quotes it: secrets replaced by fingerprints, then one line
    /// of at most `maximumLength` characters.
    static func shown(_ message: String, redactor: Redactor) -> String {
        clip(redactor.text(message))
    }

    static func fromJSON(_ object: Any) -> String? {
        if let array = object as? [Any] { return array.lazy.compactMap(fromJSON).first }
        if let text = object as? String { return text }
        guard let dictionary = object as? [String: Any] else { return nil }
        if let errors = dictionary["errors"], let message = fromJSON(errors) { return message }
        if let description = dictionary["error_description"] as? String {
            let code = dictionary["error"] as? String
            return code.map { "\($0): \(description)" } ?? description
        }
        for key in ["message", "detail", "error", "title", "errorMessage", "description"] {
            if let text = dictionary[key] as? String, !text.isEmpty {
                if key == "detail", let title = dictionary["title"] as? String { return "\(title) \(text)" }
                return text
            }
            if let nested = dictionary[key] as? [String: Any], let text = fromJSON(nested) { return text }
        }
        return nil
    }

    private static func clip(_ text: String) -> String {
        let single = ServiceText.printable(text)
        return single.count > maximumLength ? String(single.prefix(maximumLength - 1)) + "…" : single
    }
}
