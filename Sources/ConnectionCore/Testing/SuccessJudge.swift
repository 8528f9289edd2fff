import ConnectorSchema
import Foundation

/// Decides whether a response passes a test's success rule, and says why not in the words the
/// status line uses.
enum SuccessJudge {
    enum Verdict: Equatable {
        case pass
        /// The status is not one the rule accepts.
        case badStatus
        /// The status passed; a rule on the body did not.
        case ruleFailed(String, serviceMessage: String?)
        /// The body could not be read as the rule needs.
        case unreadable(String)
    }

    static func judge(status: Int, body: Data?, bodySize: Int, rule: SuccessRule) -> Verdict {
        let statusPasses = rule.status.isEmpty ? (200...299).contains(status) : rule.status.contains(status)
        guard statusPasses else { return .badStatus }
        guard rule.noArray != nil || !rule.json.isEmpty else { return .pass }
        guard let body else {
            // Too large to keep: a body that does not open with `{` has no top-level key.
            return rule.json.isEmpty ? .pass : .unreadable("the \(ByteSize.text(bodySize)) body is too large to check (the limit is \(ByteSize.text(ExchangeClient.judgeLimit)))")
        }
        let trimmed = body.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if trimmed.isEmpty {
            return rule.json.isEmpty ? .pass : .unreadable("the body is empty, so \(rule.json[0].path) cannot be checked")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        } catch {
            if rule.json.isEmpty, trimmed.first != UInt8(ascii: "{") { return .pass }
            return .unreadable("the body is not valid JSON (\(Self.parseProblem(error)))")
        }
        if let key = rule.noArray, let dictionary = object as? [String: Any], let items = dictionary[key] as? [Any], !items.isEmpty {
            return .ruleFailed("the response carries \(items.count == 1 ? "an" : "\(items.count)") “\(key)” entr\(items.count == 1 ? "y" : "ies")",
                               serviceMessage: ServiceMessage.from(body))
        }
        for check in rule.json {
            let found = value(at: check.path, in: object)
            if let exists = check.exists, exists != (found != nil) {
                return .ruleFailed(exists ? "the response has no “\(check.path)”" : "the response has “\(check.path)”, which it should not", serviceMessage: nil)
            }
            if let expected = check.equals {
                let actual = found.map(text(of:))
                if actual != expected {
                    return .ruleFailed("“\(check.path)” is \(actual.map { "“\($0)”" } ?? "missing"), not “\(expected)”", serviceMessage: nil)
                }
            }
        }
        return .pass
    }

    /// The value at a dotted path (`items.0.id`).
    static func value(at path: String, in object: Any) -> Any? {
        var current: Any? = object
        for step in path.split(separator: ".") {
            if let dictionary = current as? [String: Any] {
                current = dictionary[String(step)]
            } else if let array = current as? [Any], let index = Int(step), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
            if current is NSNull { return nil }
        }
        return current
    }

    static func text(of value: Any) -> String {
        switch value {
        case let string as String: return string
        case let number as NSNumber:
            if isBoolean(number) { return number.boolValue ? "true" : "false" }
            return number.stringValue
        default:
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
            return data.flatMap { String(data: $0, encoding: .utf8) } ?? "\(value)"
        }
    }

    /// Whether JSONSerialization read `true`/`false` (it gives NSNumber for booleans too).
    static func isBoolean(_ number: NSNumber) -> Bool {
        let kind = String(cString: number.objCType)
        return kind == "c" || kind == "B"
    }

    private static func parseProblem(_ error: Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
        return text.count > 120 ? String(text.prefix(119)) + "…" : text
    }
}
