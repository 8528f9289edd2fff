import Foundation

/// ISO 8601 UTC timestamps with milliseconds (`2026-11-23T14:15:33.445Z`), written and read
/// with the C library: Foundation's date formatters load ICU, which cost a test run several
/// milliseconds.
public enum UTCTimestamp {
    public static func string(from date: Date, fractional: Bool = true) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let milliseconds = min(999, Int(((interval - Double(seconds)) * 1000).rounded()))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let base = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                          Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return fractional ? base + String(format: ".%03dZ", milliseconds) : base + "Z"
    }

    /// The compact form used in attempt folder names: `20261123T141533Z`.
    public static func compact(from date: Date) -> String {
        string(from: date, fractional: false).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }

    public static func date(from text: String) -> Date? {
        let scalars = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[start..<(start + count)] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        var fraction = 0.0
        if scalars.count > 20, scalars[19] == UInt8(ascii: "."), let millis = number(20, 3) { fraction = Double(millis) / 1000 }
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
