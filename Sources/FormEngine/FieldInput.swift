import ConnectorSchema

/// What the operator typed for one field, by part: a single unnamed part for most kinds,
/// `clientId` and `clientSecret` for an OAuth 2.0 client.
public struct FieldInput: Hashable, Sendable {
    public var parts: [String: String]

    public init(_ text: String) { parts = ["": text] }
    public init(parts: [String: String]) { self.parts = parts }

    /// The text of `part`, or "" when it was not given.
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
