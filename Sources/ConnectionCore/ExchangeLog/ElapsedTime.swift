import Foundation

/// Durations as people read them: `84 ms`, `1.2 s`.
public enum ElapsedTime {
    public static func text(milliseconds: Double) -> String {
        milliseconds < 1000 ? "\(Int(milliseconds.rounded())) ms" : String(format: "%.1f s", milliseconds / 1000)
    }
}
