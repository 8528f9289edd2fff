/// The order people expect for names: case ignored, runs of digits compared as numbers
/// ("IO 2" before "IO 10"). Written out rather than `localizedStandardCompare`, which loads
/// ICU's collation tables and cost a start-up about 1.5 ms per use.
public enum NameOrder {
    /// True when `a` sorts before `b`.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        precedes(Key(a), Key(b))
    }

    /// A name made ready to compare: lowercased once, not in every comparison of a sort.
    public struct Key: Sendable {
        let scalars: [Unicode.Scalar]
        let original: String

        public init(_ name: String) {
            scalars = Array(name.lowercased().unicodeScalars)
            original = name
        }
    }

    /// True when the name of `a` sorts before that of `b`.
    public static func precedes(_ a: Key, _ b: Key) -> Bool {
        var left = a.scalars[...]
        var right = b.scalars[...]
        while let l = left.first, let r = right.first {
            if isDigit(l) && isDigit(r) {
                let leftRun = left.prefix(while: isDigit), rightRun = right.prefix(while: isDigit)
                let leftNumber = leftRun.drop { $0 == "0" }, rightNumber = rightRun.drop { $0 == "0" }
                if leftNumber.count != rightNumber.count { return leftNumber.count < rightNumber.count }
                if let difference = zip(leftNumber, rightNumber).first(where: { $0 != $1 }) { return difference.0.value < difference.1.value }
                left = left.dropFirst(leftRun.count)
                right = right.dropFirst(rightRun.count)
                continue
            }
            if l != r { return l.value < r.value }
            left = left.dropFirst()
            right = right.dropFirst()
        }
        if left.isEmpty != right.isEmpty { return left.isEmpty }
        return a.original < b.original
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
}
