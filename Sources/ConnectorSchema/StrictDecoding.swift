import Foundation

/// A coding key for any string, used to see every key a YAML mapping holds.
struct AnyCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

extension Decoder {
    /// A keyed container that refuses keys the type does not know, so that a typo such as
    /// `requried: true` is reported at its line instead of being silently ignored.
    func strictContainer<Key: CodingKey & CaseIterable>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        // A connector file's mapping tells its keys directly; other decoders (the embedded
        // JSON, the index) are asked through a container of any key.
        let keys = try (self as? NodeKeyListing)?.mappingKeys() ?? container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue)
        if let unknown = keys.first(where: { Key(stringValue: $0) == nil }) {
            let key = AnyCodingKey(unknown)
            let known = Key.allCases.map(\.stringValue)
            var message = "unknown key “\(key.stringValue)”"
            if let near = NearestName.best(to: key.stringValue, in: known) {
                message += " (did you mean “\(near)”?)"
            } else {
                message += "; expected one of: " + known.joined(separator: ", ")
            }
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: message))
        }
        return try container(keyedBy: Key.self)
    }

    /// Decodes a list, or a single value standing for a list of one. Errors inside a list
    /// element are kept, so they point at the element's own line.
    func oneOrMany<T: Decodable>(_ type: T.Type) throws -> [T] {
        guard var list = try? unkeyedContainer() else { return [try T(from: self)] }
        var items: [T] = []
        while !list.isAtEnd { items.append(try list.decode(T.self)) }
        return items
    }

    /// Throws a data-corrupted error located at this decoder's value.
    func failure(_ message: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: message))
    }
}
