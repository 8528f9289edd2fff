import Foundation

/// Times as lists show them: local time to the minute ("2026-11-23 14:05"), written out
/// verbatim so no locale data is loaded to format them.
public enum LocalTime {
    public static func minute(_ date: Date) -> String {
        date.formatted(minuteFormat)
    }

    /// "2026-11-23 14:05:09": attempts of the same minute told apart.
    public static func second(_ date: Date) -> String {
        date.formatted(secondFormat)
    }

    static let secondFormat = Date.VerbatimFormatStyle(
        format: "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits)",
        timeZone: .current, calendar: Calendar(identifier: .gregorian))

    static let minuteFormat = Date.VerbatimFormatStyle(
        format: "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
        timeZone: .current, calendar: Calendar(identifier: .gregorian))
}
