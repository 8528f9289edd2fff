import Foundation

/// Phase timings on standard error when `CONNWIZ_TRACE` is set: `  4.51 ms store read`.
/// Used to measure where a command's time goes (docs/performance.md); silent otherwise.
public enum TraceClock {
    private static let enabled = ProcessInfo.processInfo.environment["CONNWIZ_TRACE"] != nil
    nonisolated(unsafe) private static var start: UInt64 = 0

    public static func mark(_ label: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        if start == 0 { start = now }
        let line = Array(String(format: "%7.2f ms %@\n", Double(now - start) / 1e6, label).utf8)
        _ = write(STDERR_FILENO, line, line.count)
    }
}
