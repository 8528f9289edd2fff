/// The likely intended name for a mistyped one, for “did you mean …?” in lint messages, field
/// ids and the command line.
public enum NearestName {
    /// The candidate nearest to `word`, if it is near enough to be a typo: an edit distance of
    /// at most a third of the word (at least 1), a swap of two neighbours counting as one edit
    /// (`nwe` → `new`), or a candidate `word` begins (`conn` → `connectors`).
    public static func best(to word: String, in candidates: [String]) -> String? {
        let lower = word.lowercased()
        guard !lower.isEmpty else { return nil }
        let scored = candidates.map { ($0, distance(lower, $0.lowercased())) }
        if let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(1, lower.count / 3) { return best.0 }
        let started = candidates.filter { $0.lowercased().hasPrefix(lower) }
        return lower.count >= 3 && started.count == 1 ? started[0] : nil
    }

    /// Edits (insert, delete, replace, swap of neighbours) that turn `a` into `b`.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Three rows of the optimal-string-alignment table are all it needs.
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
}
