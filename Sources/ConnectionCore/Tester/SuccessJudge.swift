import ConnectorSchema
import Foundation

/// Decides whether a response passes a test's success rule, and says why not in the words the
/// status line uses.
enum SuccessJudge {
    enum Verdict: Equatable {
        case pass
        /// The status is not one the rule accepts.
        case badStatus
        /// The status passed; a rule on the body did not (why, in the status line's words).
        case ruleFailed(String)
        /// The body could not be read as the rule needs.
        case unreadable(String)
    }

    static func judge(status: Int, headers: [(name: String, value: String)] = [], body: Data?, bodySize: Int, rule: SuccessRule) -> Verdict {
        guard rule.accepts(status: status) else { return .badStatus }
        for check in rule.headers {
            if let why = check.failure(in: headers) { return .ruleFailed(why) }
        }
        guard rule.checksBody else { return .pass }
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
            return .ruleFailed("the response carries \(items.count == 1 ? "an" : "\(items.count)") “\(key)” entr\(items.count == 1 ? "y" : "ies")")
        }
        for check in rule.json {
            let found = lookUp(check.path, in: object)
            if let exists = check.exists, exists != (found.value != nil) {
                switch found {
                case .null: return .ruleFailed("“\(check.path)” is null")
                case .missing: return .ruleFailed("the response has no “\(check.path)”")
                case .value: return .ruleFailed("the response has “\(check.path)”, which it should not")
                }
            }
            if let expected = check.equals {
                let actual = found.value.map(text(of:))
                if actual != expected {
                    let what: String
                    switch found {
                    case .null: what = "null"
                    case .missing: what = "missing"
                    case .value: what = "“\(actual ?? "")”"
                    }
                    return .ruleFailed("“\(check.path)” is \(what), not “\(expected)”")
                }
            }
        }
        return .pass
    }

    /// What a dotted path finds in a JSON value. JSON `null` counts as missing for `exists`
    /// and `equals`; it is told apart only to say so.
    enum Found {
        case missing
        case null
        case value(Any)

        var value: Any? {
            if case .value(let found) = self { return found }
            return nil
        }
    }

    /// The value at a dotted path (`items.0.id`).
    static func lookUp(_ path: String, in object: Any) -> Found {
        var current: Any = object
        for step in path.split(separator: ".") {
            if current is NSNull { return .missing }
            if let dictionary = current as? [String: Any], let next = dictionary[String(step)] {
                current = next
            } else if let array = current as? [Any], let index = Int(step), array.indices.contains(index) {
                current = array[index]
            } else {
                return .missing
            }
        }
        return current is NSNull ? .null : .value(current)
    }

    /// The value at a dotted path, nil when it is missing or null.
    static func value(at path: String, in object: Any) -> Any? {
        lookUp(path, in: object).value
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
