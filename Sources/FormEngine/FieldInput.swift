import ConnectorSchema

/// What the operator typed for one field, by part: a single unnamed part for most kinds,
/// `clientId` and `clientSecret` for an OAuth 2.0 client.
public struct FieldInput: Hashable, Sendable {
    public var parts: [String: String]

    public init(_ text: String) { parts = ["": text] }
    public init(parts: [String: String]) { self.parts = parts }

    /// The text of `part`, or "" when it was not given.
    /// The name of the first control character in `text` (C0 but tab, DEL, C1), or nil:
    /// "DEL", "ESC", "U+0007".
    /// Line breaks and tabs at either end are not counted: they are trimmed from every answer
    /// (a file read with `file:` ends in one).
    static func controlCharacter(in text: String) -> String? {
        let edges: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r"]
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !edges.contains($0) }),
              let last = scalars.lastIndex(where: { !edges.contains($0) }) else { return nil }
        guard let scalar = scalars[first...last].first(where: { ($0.value < 0x20 && $0 != "\t") || (0x7f...0x9f).contains($0.value) }) else {
            return nil
        }
        switch scalar.value {
        case 0x7f: return "DEL"
        case 0x1b: return "ESC"
        case 0x0a: return "a line break"
        case 0x0d: return "a carriage return"
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }

    public subscript(part: String) -> String { parts[part] ?? "" }

    /// True when every part is empty after trimming: "keep what is there, or use the default".
    public var isBlank: Bool { parts.values.allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } }

    /// The longest answer a field takes, in characters: room for a PEM private key or a long
    /// JWT many times over, while a runaway paste is refused instead of held.
    public static let maximumLength = 65_536

    /// The single line `-` clears an optional answer in line-based front ends.
    public static let clearMarker = "-"
}

import Foundation
