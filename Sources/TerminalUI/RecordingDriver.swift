/// A terminal for tests: keys come from a script, frames are kept for snapshots.
///
/// Time is virtual: each scripted key arrives `gap` milliseconds after the one before, as a
/// person types (a second by default); `typeAhead` scripts keys that arrive at once, as a
/// paste or fast typing does. Keys scripted with `typeWhileBusy` are the only ones read while
/// a test runs, so a script can wait for a test to end before going on.
public final class RecordingDriver: TerminalDriver {
    public var size: TerminalSize
    public let colorEnabled: Bool
    public private(set) var frames: [CellBuffer] = []
    private var keys: [Scripted] = []
    public private(set) var isShutDown = false
    public private(set) var milliseconds: UInt64 = 0
    /// How far apart keys typed with `type` arrive.
    public var gap: UInt64 = 1000

    struct Scripted {
        var key: Key
        var gap: UInt64
        var whileBusy: Bool
    }

    public init(size: TerminalSize = TerminalSize(width: 100, height: 30), keys: [Key] = [], colorEnabled: Bool = true) {
        self.size = size
        self.colorEnabled = colorEnabled
        type(keys)
    }

    public func present(_ buffer: CellBuffer) {
        frames.append(buffer)
    }

    /// Script keys after the start.
    public func type(_ more: [Key]) { keys += more.map { Scripted(key: $0, gap: gap, whileBusy: false) } }

    /// Types each character of `text`.
    public func type(_ text: String) { type(text.map { Key.character($0) }) }

    /// Script keys that arrive together, right after the one before.
    public func typeAhead(_ more: [Key]) { keys += more.map { Scripted(key: $0, gap: 0, whileBusy: false) } }

    /// Script keys pressed while a test runs (Esc to cancel it).
    public func typeWhileBusy(_ more: [Key]) { keys += more.map { Scripted(key: $0, gap: gap, whileBusy: true) } }

    /// The next scripted key; nil (as a timeout would give) when the script is used up.
    public func nextKey(timeout: Int?) -> Key? {
        guard let next = keys.first, !next.whileBusy else { return nil }
        return take()
    }

    public func nextKeyWhileBusy() -> Key? {
        guard let next = keys.first, next.whileBusy else { return nil }
        return take()
    }

    private func take() -> Key {
        let next = keys.removeFirst()
        milliseconds += next.gap
        return next.key
    }

    /// Whether every scripted key has been read.
    public var scriptIsUsedUp: Bool { keys.isEmpty }

    /// Changes the size, as a terminal window resize would, and queues `.resize`.
    public func resize(to newSize: TerminalSize) {
        size = newSize
        keys.insert(Scripted(key: .resize, gap: 0, whileBusy: false), at: 0)
    }

    public func shutdown() { isShutDown = true }

    /// The last frame as text, one line per row.
    public var screen: String { frames.last?.lines.joined(separator: "\n") ?? "" }

    /// Every frame as text, oldest first.
    public var screens: [String] { frames.map { $0.lines.joined(separator: "\n") } }
}
