import Foundation

/// A clock that moves only when a test moves it. The tester, the use cases and the sandbox
/// read it instead of the system's, so a test expires a token by advancing it, not by sleeping.
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date = Date()) { current = start }

    /// The clock's time now.
    public func now() -> Date { lock.withLock { current } }

    /// Moves the clock on by `seconds`.
    public func advance(seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }

    /// The clock as the closure the code under test takes.
    public var reading: @Sendable () -> Date { { [self] in now() } }
}
