import Foundation
import Yams

/// Decodes a `Decodable` value from a Yams node tree, with the same coding paths and error
/// kinds as Yams' `YAMLDecoder`, for connector files (decision D33).
///
/// Yams' decoder finds a key by comparing nodes one by one, and each comparison resolves the
/// scalar's tag through regular expressions; a 2.5 KB connector took about 3.5 ms, nearly all
/// of it there. This one indexes each mapping once and reads plain scalars by YAML 1.1's
/// words and numbers itself, so the tree can be composed with `Resolver.basic` (no regular expression
/// runs at all). A quoted scalar is always text, as in Yams.
struct NodeDecoder {
    func decode<T: Decodable>(_ type: T.Type, from node: Node) throws -> T {
        try T(from: NodeValueDecoder(node: node, codingPath: []))
    }
}

/// A decoder that can list the keys of its mapping without making a container.
protocol NodeKeyListing {
    func mappingKeys() throws -> [String]
}

/// The decoder of one node.
private struct NodeValueDecoder: Decoder, NodeKeyListing {
    let node: Node
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// The node as a mapping, or the error a keyed container of anything else gets.
    private func mapping() throws -> Node.Mapping {
        guard case .mapping(let mapping) = node else {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath, debugDescription: "expected a mapping"))
        }
        return mapping
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(NodeKeyedContainer<Key>(mapping: try mapping(), codingPath: codingPath))
    }

    func mappingKeys() throws -> [String] {
        try mapping().compactMap { pair in
            if case .scalar(let scalar) = pair.key { return scalar.string }
            return nil
        }
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "expected a list"))
        }
        return NodeUnkeyedContainer(items: Array(sequence), codingPath: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { NodeSingleValue(node: node, codingPath: codingPath) }
}

/// How a scalar reads as each primitive type.
private enum ScalarReading {
    static func scalar(_ node: Node, _ type: Any.Type, _ path: [CodingKey]) throws -> Node.Scalar {
        guard case .scalar(let scalar) = node else {
            throw DecodingError.typeMismatch(type, .init(codingPath: path, debugDescription: "expected a single value"))
        }
        return scalar
    }

    /// Plain (unquoted) and not tagged `!!str`: only such a scalar can be a number, a truth
    /// value or null.
    static func isPlain(_ scalar: Node.Scalar) -> Bool {
        (scalar.style == .plain || scalar.style == .any) && scalar.tag.description != "tag:yaml.org,2002:str"
    }

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, isPlain(scalar) else { return false }
        switch scalar.string {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    static func bool(_ scalar: Node.Scalar) -> Bool? {
        guard isPlain(scalar) else { return nil }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    /// A whole number as YAML 1.1 and Yams read it: `_` ignored, a sign, `0x`, `0b`, `0o` or a
    /// leading `0` (octal), or base 60 with colons (`1:30` is 90).
    static func integer<T: FixedWidthInteger>(_ scalar: Node.Scalar, as type: T.Type) -> T? {
        guard isPlain(scalar) else { return nil }
        let digits = scalar.string.replacingOccurrences(of: "_", with: "")
        if digits == "0" { return 0 }
        var text = Substring(digits)
        let negative = text.hasPrefix("-")
        if negative || text.hasPrefix("+") { text = text.dropFirst() }
        let sign = negative ? "-" : ""
        for (prefix, radix) in [("0x", 16), ("0b", 2), ("0o", 8), ("0", 8)] where text.hasPrefix(prefix) {
            let rest = text.dropFirst(prefix.count)
            guard rest.first.map({ $0 != "-" && $0 != "+" }) == true else { return nil }
            return T(sign + rest, radix: radix)
        }
        if text.contains(":") {
            var value: T = 0
            for part in text.split(separator: ":", omittingEmptySubsequences: false) {
                guard let digit = T(part), !part.hasPrefix("-"), !part.hasPrefix("+") else { return nil }
                let (shifted, overflow) = value.multipliedReportingOverflow(by: 60)
                let (sum, overflowAgain) = shifted.addingReportingOverflow(digit)
                guard !overflow, !overflowAgain else { return nil }
                value = sum
            }
            return negative ? (T.isSigned ? 0 - value : nil) : value
        }
        guard text.first.map({ $0 != "-" && $0 != "+" }) == true else { return nil }
        return T(sign + text)
    }

    static func double(_ scalar: Node.Scalar) -> Double? {
        guard isPlain(scalar) else { return nil }
        switch scalar.string.lowercased() {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default: return Double(scalar.string.replacingOccurrences(of: "_", with: ""))
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from node: Node, at path: [CodingKey]) throws -> T {
        func mismatch() -> DecodingError {
            DecodingError.typeMismatch(type, .init(codingPath: path, debugDescription: "expected \(type)"))
        }
        func integer<I: FixedWidthInteger>(_: I.Type) throws -> T {
            guard let value = Self.integer(try scalar(node, type, path), as: I.self) else { throw mismatch() }
            return value as! T
        }
        // Compared by identity, not cast: a cast of every model type would search the
        // runtime's conformance table once per type.
        if type == String.self { return try scalar(node, type, path).string as! T }
        if type == Bool.self {
            guard let value = bool(try scalar(node, type, path)) else { throw mismatch() }
            return value as! T
        }
        if type == Int.self { return try integer(Int.self) }
        if type == Double.self || type == Float.self {
            guard let value = double(try scalar(node, type, path)) else { throw mismatch() }
            return (type == Float.self ? Float(value) as Any : value as Any) as! T
        }
        if type == Int8.self { return try integer(Int8.self) }
        if type == Int16.self { return try integer(Int16.self) }
        if type == Int32.self { return try integer(Int32.self) }
        if type == Int64.self { return try integer(Int64.self) }
        if type == UInt.self { return try integer(UInt.self) }
        if type == UInt8.self { return try integer(UInt8.self) }
        if type == UInt16.self { return try integer(UInt16.self) }
        if type == UInt32.self { return try integer(UInt32.self) }
        if type == UInt64.self { return try integer(UInt64.self) }
        return try T(from: NodeValueDecoder(node: node, codingPath: path))
    }
}

private struct NodeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let codingPath: [CodingKey]
    /// Values by key text; the last of a repeated key wins, as in Yams (the parser refuses
    /// repeated keys before this sees them).
    let values: [String: Node]
    let order: [String]

    init(mapping: Node.Mapping, codingPath: [CodingKey]) {
        self.codingPath = codingPath
        var values: [String: Node] = [:]
        var order: [String] = []
        values.reserveCapacity(mapping.count)
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else { continue }
            if values.updateValue(value, forKey: scalar.string) == nil { order.append(scalar.string) }
        }
        self.values = values
        self.order = order
    }

    var allKeys: [Key] { order.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }

    private func node(_ key: Key) throws -> Node {
        guard let node = values[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for “\(key.stringValue)”"))
        }
        return node
    }

    func decodeNil(forKey key: Key) throws -> Bool { ScalarReading.isNull(try node(key)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try ScalarReading.decode(type, from: try node(key), at: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try NodeValueDecoder(node: try node(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try NodeValueDecoder(node: try node(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder {
        NodeValueDecoder(node: .mapping(.init(values.map { (Node($0.key), $0.value) })), codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> Decoder {
        NodeValueDecoder(node: try node(key), codingPath: codingPath + [key])
    }
}

private struct NodeUnkeyedContainer: UnkeyedDecodingContainer {
    let items: [Node]
    let codingPath: [CodingKey]
    var currentIndex = 0

    init(items: [Node], codingPath: [CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private var indexKey: CodingKey { ListIndexKey(intValue: currentIndex) }

    private func current(_ type: Any.Type) throws -> Node {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [indexKey], debugDescription: "the list has no more items"))
        }
        return items[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        let isNull = ScalarReading.isNull(try current(Any?.self))
        if isNull { currentIndex += 1 }
        return isNull
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try ScalarReading.decode(type, from: try current(type), at: codingPath + [indexKey])
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let decoder = NodeValueDecoder(node: try current(type), codingPath: codingPath + [indexKey])
        let container = try decoder.container(keyedBy: type)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        let decoder = NodeValueDecoder(node: try current([Any].self), codingPath: codingPath + [indexKey])
        let container = try decoder.unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> Decoder {
        let decoder = NodeValueDecoder(node: try current(Any.self), codingPath: codingPath + [indexKey])
        currentIndex += 1
        return decoder
    }
}

private struct NodeSingleValue: SingleValueDecodingContainer {
    let node: Node
    let codingPath: [CodingKey]

    func decodeNil() -> Bool { ScalarReading.isNull(node) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try ScalarReading.decode(type, from: node, at: codingPath) }
}

/// The coding key of a list item: its index.
private struct ListIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { String(intValue ?? 0) }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { return nil }
}
