@testable import ConnectorSchema
import Testing
import Yams

/// `NodeDecoder` reads scalars as Yams' decoder did, so connector files mean what they meant.
@Suite("Decoding connector YAML from the node tree")
struct NodeDecoderTests {
    struct Sample: Decodable, Equatable {
        var text: String
        var flag: Bool
        var number: Int
        var ratio: Double?
        var missing: String?
        var list: [String]
        var table: [String: Int]
    }

    func decode<T: Decodable>(_ type: T.Type, _ yaml: String) throws -> T {
        let node = try #require(try Yams.compose(yaml: yaml, .basic, .default, .utf8))
        return try NodeDecoder().decode(type, from: node)
    }

    @Test func plainScalarsAreTruthValuesNumbersAndNull() throws {
        let sample = try decode(Sample.self, """
            text: 123
            flag: Yes
            number: 0x1F
            ratio: .inf
            missing: ~
            list: [a, "b", 3]
            table: {one: 1, two: 0b10, sixty: 1:00}
            """)
        #expect(sample == Sample(text: "123", flag: true, number: 31, ratio: .infinity, missing: nil,
                                 list: ["a", "b", "3"], table: ["one": 1, "two": 2, "sixty": 60]))
    }

    @Test func yamlOneOneOctalAndSignsReadAsYamsReadThem() throws {
        struct Numbers: Decodable { var a: Int; var b: Int; var c: Int; var d: UInt? }
        let numbers = try decode(Numbers.self, "a: 017\nb: -0o10\nc: +1_000\n")
        #expect(numbers.a == 15 && numbers.b == -8 && numbers.c == 1000)
        #expect(throws: DecodingError.self) { try decode(Numbers.self, "a: 08\nb: 1\nc: 1\n") }
        #expect(throws: DecodingError.self) { try decode(Numbers.self, "a: 1\nb: 1\nc: 1\nd: -1\n") }
    }

    @Test func quotedScalarsAreAlwaysText() throws {
        struct Flag: Decodable { var flag: Bool }
        struct Count: Decodable { var count: Int }
        struct Maybe: Decodable { var value: String? }
        #expect(throws: DecodingError.self) { try decode(Flag.self, "flag: \"true\"") }
        #expect(throws: DecodingError.self) { try decode(Count.self, "count: '12'") }
        #expect(try decode(Maybe.self, "value: 'null'").value == "null")
        #expect(try decode(Maybe.self, "value:").value == nil)
    }

    @Test func errorsCarryThePathToTheValue() throws {
        struct Inner: Decodable { var size: Int }
        struct Outer: Decodable { var items: [Inner] }
        do {
            _ = try decode(Outer.self, "items:\n  - size: 1\n  - size: big\n")
            Issue.record("a word for a number was accepted")
        } catch DecodingError.typeMismatch(_, let context) {
            #expect(context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue } == ["items", "1", "size"])
        }
        do {
            _ = try decode(Outer.self, "items:\n  - {}\n")
            Issue.record("a missing key was accepted")
        } catch DecodingError.keyNotFound(let key, let context) {
            #expect(key.stringValue == "size")
            #expect(context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue } == ["items", "0"])
        }
    }
}
