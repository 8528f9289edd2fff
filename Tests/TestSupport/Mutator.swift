/// Turns a valid input into a broken one the way fuzzers do: flip, insert, delete, repeat or
/// cut bytes, a few times over. Seeded, so a failure can be replayed from its seed.
public struct Mutator: RandomNumberGenerator {
    /// Bytes a parser treats specially: YAML and JSON punctuation, quotes, escapes, controls.
    static let interesting: [UInt8] = Array("{}[]:,&*!|>'\"\\#-?%@`\n\t\r\u{0}".utf8) + [0xC3, 0xE9, 0xFF, 0xF0, 0x7F]

    var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }

    /// `seed` broken in 1 to 8 places.
    public mutating func mutate(_ seed: [UInt8]) -> [UInt8] {
        var bytes = seed
        for _ in 0...below(8) {
            let at = below(bytes.count + 1)
            switch below(6) {
            case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] ^= UInt8(1 << below(8))
            case 1: bytes.insert(Self.interesting[below(Self.interesting.count)], at: at)
            case 2 where at < bytes.count: bytes.removeSubrange(at..<min(bytes.count, at + 1 + below(16)))
            case 3 where at < bytes.count:
                let end = min(bytes.count, at + 1 + below(32))
                bytes.insert(contentsOf: Array(bytes[at..<end]), at: at)
            case 4: bytes = Array(bytes.prefix(at))
            default: bytes.insert(UInt8(truncatingIfNeeded: next()), at: at)
            }
        }
        return bytes
    }
}
