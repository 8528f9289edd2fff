import Foundation

/// A string with `{{field}}` or `{{field.part}}` placeholders, filled from a connection's answers.
///
/// Templates are how a connector file maps answers onto HTTP without code:
/// `path: /integration/api/v1/data-push/{{poolId}}/jobs/`.
public struct Template: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// A piece of a template: literal text or a reference to an answer.
    public enum Segment: Hashable, Sendable {
        case literal(String)
        case reference(String)
    }

    /// The template as written.
    public let source: String
    public let segments: [Segment]

    /// Parses `source`, throwing when a placeholder is malformed.
    public init(parsing source: String) throws {
        self.source = source
        segments = try Template.parse(source)
    }

    public init(stringLiteral value: String) {
        // Literals in Swift code are written by us; a broken one is a programming error.
        try! self.init(parsing: value)
    }

    /// Every reference, in order, as written between the braces (`oauth2Client.clientId`).
    public var references: [String] {
        segments.compactMap { if case .reference(let r) = $0 { return r } else { return nil } }
    }

    /// The text itself when the template has no placeholder; nil when it has one.
    public var literal: String? { references.isEmpty ? source : nil }

    /// The field id of a reference (`oauth2Client` for `oauth2Client.clientId`).
    public static func fieldID(of reference: String) -> String {
        String(reference.split(separator: ".", maxSplits: 1).first ?? "")
    }

    /// Fills the placeholders; a reference with no value renders as the empty string.
    public func render(_ value: (String) -> String?) -> String {
        segments.map { segment in
            switch segment {
            case .literal(let text): return text
            case .reference(let ref): return value(ref) ?? ""
            }
        }.joined()
    }

    public var description: String { source }

    static func parse(_ source: String) throws -> [Segment] {
        var segments: [Segment] = []
        var rest = Substring(source)
        while let open = find("{{", in: rest) {
            if open.lowerBound > rest.startIndex { segments.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = find("}}", in: rest[open.upperBound...]) else {
                throw TemplateError(message: "“{{” has no closing “}}” in “\(source)”")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" }) else {
                throw TemplateError(message: "“{{\(name)}}” is not a field reference in “\(source)”")
            }
            segments.append(.reference(name))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.literal(String(rest))) }
        return segments
    }

    /// Where `marker` first occurs in `text`, searched in its UTF-8 view with the standard
    /// library's `firstRange(of:)`: Foundation's `range(of:)` bridged every template of a
    /// connector file to NSString.
    static func find(_ marker: String, in text: Substring) -> Range<String.Index>? {
        text.utf8.firstRange(of: marker.utf8)
    }

    public init(from decoder: Decoder) throws {
        let text = try ScalarString(from: decoder).value
        do { try self.init(parsing: text) } catch let error as TemplateError { throw decoder.failure(error.message) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(source)
    }
}

struct TemplateError: Error { var message: String }
