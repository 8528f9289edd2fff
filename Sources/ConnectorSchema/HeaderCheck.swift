import Foundation

/// A check on one response header of a test, by name (any case): it `exists` (or not),
/// `equals` a value, or `contains` an item of its comma-separated list, as GitHub's
/// `X-OAuth-Scopes: repo, read:org` contains `repo`.
public struct HeaderCheck: Hashable, Sendable, Codable {
    public var name: String
    public var equals: String?
    public var contains: String?
    public var exists: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable { case name, equals, contains, exists }

    public init(name: String, equals: String? = nil, contains: String? = nil, exists: Bool? = nil) {
        self.name = name
        self.equals = equals
        self.contains = contains
        self.exists = exists
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        equals = try c.decodeIfPresent(ScalarString.self, forKey: .equals)?.value
        contains = try c.decodeIfPresent(ScalarString.self, forKey: .contains)?.value
        exists = try c.decodeIfPresent(Bool.self, forKey: .exists)
        if equals == nil && contains == nil && exists == nil { throw decoder.failure("a headers check needs equals, contains or exists") }
    }

    /// Why the response's headers fail this check, nil when they pass. `headers` are the
    /// response's (name, value) pairs; repeated fields count as one list.
    public func failure(in headers: [(name: String, value: String)]) -> String? {
        let values = headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        let value = values.isEmpty ? nil : values.joined(separator: ", ")
        if let exists, exists != (value != nil) {
            return exists ? "the response has no “\(name)” header" : "the response has a “\(name)” header, which it should not"
        }
        if let equals, value != equals {
            return "the “\(name)” header is " + (value.map { "“\($0)”" } ?? "missing") + ", not “\(equals)”"
        }
        if let contains {
            let items = value.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
            if !items.contains(contains) {
                return "the “\(name)” header " + (value.map { "(“\($0)”) does not list" } ?? "is missing, so it does not list") + " “\(contains)”"
            }
        }
        return nil
    }
}
