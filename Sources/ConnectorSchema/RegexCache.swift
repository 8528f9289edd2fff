import Foundation

/// Compiled regular expressions by pattern: validation runs on every keystroke in the panel.
public final class RegexCache: @unchecked Sendable {
    public static let shared = RegexCache()
    private var compiled: [String: NSRegularExpression] = [:]
    private let lock = NSLock()

    public func regex(_ pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let hit = compiled[pattern] { return hit }
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        compiled[pattern] = regex
        return regex
    }

    /// Whether `pattern` matches all of `text` (an invalid pattern never matches; lint reports it).
    public func wholeMatch(_ pattern: String, _ text: String) -> Bool {
        guard let regex = regex(pattern) else { return false }
        let range = NSRange(text.startIndex..., in: text)
        guard let match = regex.firstMatch(in: text, range: range) else { return false }
        return match.range == range
    }

    /// Capture group 1 of the first match of `pattern` in `text`, if it matches.
    public func firstCapture(_ pattern: String, _ text: String) -> String? {
        guard let regex = regex(pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              match.numberOfRanges > 1, let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }
}
