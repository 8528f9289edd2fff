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
        let everything = try container(keyedBy: AnyCodingKey.self)
        let known = Key.allCases.map(\.stringValue)
        for key in everything.allKeys where !known.contains(key.stringValue) {
            var message = "unknown key “\(key.stringValue)”"
            if let near = closestMatch(to: key.stringValue, in: known) {
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

/// The candidate nearest to `word` by edit distance, if it is near enough to be a likely typo.
func closestMatch(to word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    return best.1 <= max(1, word.count / 3) ? best.0 : nil
}

/// Edits between two words: insertions, deletions, substitutions and swaps of neighbours
/// (`mdoe` → `mode` is one), the optimal-string-alignment distance.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var beforePrevious = Array(repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], beforePrevious[j - 2] + 1)
            }
        }
        beforePrevious = previous
        previous = current
    }
    return previous[b.count]
}
