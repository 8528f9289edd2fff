/// Reads the full screen's keys from the terminal, and keeps keys typed ahead from acting.
///
/// - Keys read while the terminal is too small wait (up to a bound) until it is not; Ctrl-C
///   still goes through.
/// - A key that would act (Enter, a choice, `s`, `y` …) read within `typeAheadGuard`
///   milliseconds of a step change is dropped; text still goes into fields.
/// - A terminal whose reads keep failing at once has gone away (`TerminalGone`).
final class KeyReader {
    /// What a read brings.
    enum Read {
        case key(Key)
        /// Nothing to act on, but the screen must be drawn again (a resize, Ctrl-L).
        case redraw
    }

    let driver: TerminalDriver
    let typeAheadGuard: UInt64
    static let maximumHeldKeys = 1 << 16
    private var heldKeys: [Key] = []
    private var heldStart = 0
    private var emptyReads = 0
    private var guardUntil: UInt64 = 0
    private var lastMark: AnyHashable?
    /// A new step was seen and its first key has not been rehearsed yet.
    private var rehearsalDue = false

    init(driver: TerminalDriver, typeAheadGuard: UInt64) {
        self.driver = driver
        self.typeAheadGuard = typeAheadGuard
    }

    /// Starts the type-ahead guard when the step on screen (`mark`) differs from the last seen.
    func noteStep(_ mark: AnyHashable) {
        guard mark != lastMark else { return }
        lastMark = mark
        rehearsalDue = true
        guardUntil = driver.milliseconds + typeAheadGuard
    }

    /// Whether `key`, which would act if `acts`, was typed ahead of the step and is dropped.
    /// Ctrl-C is never typed by accident, so it always counts: Ctrl-C Ctrl-C leaves at once.
    func typedAhead(_ key: Key, acts: Bool) -> Bool {
        key != .control("c") && acts && driver.milliseconds < guardUntil
    }

    /// True once per new step: the time to rehearse its first key while waiting for it.
    func takeRehearsal() -> Bool {
        defer { rehearsalDue = false }
        return rehearsalDue
    }

    /// The oldest key kept while the terminal was too small, once it no longer is.
    func takeHeldKey() -> Key? {
        guard !driver.size.isTooSmall, heldStart < heldKeys.count else { return nil }
        defer {
            heldStart += 1
            if heldStart == heldKeys.count { heldKeys.removeAll(); heldStart = 0 }
        }
        return heldKeys[heldStart]
    }

    /// A key already waiting (a paste, fast typing), without waiting for one.
    func pendingKey() -> Key? {
        guard !driver.size.isTooSmall else { return nil }
        return takeHeldKey() ?? driver.waitingKey()
    }

    /// Waits up to 100 ms for a key. Keys are read with a timeout rather than blocking:
    /// SIGWINCH may land on any thread, and each read notices a resize.
    func read() throws -> Read? {
        let asked = driver.milliseconds
        guard let key = driver.nextKey(timeout: 100) else {
            if driver.milliseconds - asked < 5 {
                emptyReads += 1
                if emptyReads > 200 { throw FullScreenApp.TerminalGone() }
            } else {
                emptyReads = 0
            }
            return nil
        }
        emptyReads = 0
        switch key {
        case .resize:
            return .redraw
        case .control("l"):
            driver.invalidate()
            return .redraw
        default:
            if driver.size.isTooSmall && key != .control("c") {
                if heldKeys.count - heldStart < Self.maximumHeldKeys { heldKeys.append(key) }
                return nil
            }
            return .key(key)
        }
    }
}
