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
    /// The next scripted key's index (keys are never removed, so a long paste reads in linear time).
    private var next = 0
    public private(set) var isShutDown = false
    public private(set) var milliseconds: UInt64 = 0
    /// How far apart keys typed with `type` arrive.
    public var gap: UInt64 = 1000

    struct Scripted {
        var key: Key
        var gap: UInt64
        var whileBusy: Bool
        /// The window takes this size when the key (`.resize`) is read.
        var size: TerminalSize? = nil
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
        guard let upcoming, !upcoming.whileBusy else { return nil }
        return take()
    }

    private var upcoming: Scripted? { next < keys.count ? keys[next] : nil }

    /// Only keys scripted to arrive at once (`typeAhead`) are already waiting.
    public func waitingKey() -> Key? {
        guard let upcoming, !upcoming.whileBusy, upcoming.gap == 0 else { return nil }
        return take()
    }

    public func nextKeyWhileBusy() -> Key? {
        guard let upcoming, upcoming.whileBusy else { return nil }
        return take()
    }

    private func take() -> Key {
        let taken = keys[next]
        next += 1
        milliseconds += taken.gap
        if let newSize = taken.size { size = newSize }
        return taken.key
    }

    /// Scripts a resize of the window at this point of the script.
    public func typeResize(to newSize: TerminalSize) {
        keys.append(Scripted(key: .resize, gap: gap, whileBusy: false, size: newSize))
    }

    /// Whether every scripted key has been read.
    public var scriptIsUsedUp: Bool { next >= keys.count }

    /// Changes the size, as a terminal window resize would, and queues `.resize`.
    public func resize(to newSize: TerminalSize) {
        size = newSize
        keys.insert(Scripted(key: .resize, gap: 0, whileBusy: false), at: next)
    }

    public func shutdown() { isShutDown = true }

    /// What was handed to the clipboard, in order.
    public private(set) var copied: [String] = []
    public func copyToClipboard(_ text: String) { copied.append(text) }

    /// The last frame as text, one line per row.
    public var screen: String { frames.last?.lines.joined(separator: "\n") ?? "" }

    /// Every frame as text, oldest first.
    public var screens: [String] { frames.map { $0.lines.joined(separator: "\n") } }
}
