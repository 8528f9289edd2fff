/// A terminal for tests: keys come from a script, frames are kept for snapshots.
public final class RecordingDriver: TerminalDriver {
    public var size: TerminalSize
    public let colorEnabled: Bool
    public private(set) var frames: [CellBuffer] = []
    private var keys: [Key]
    public private(set) var isShutDown = false

    public init(size: TerminalSize = TerminalSize(width: 100, height: 30), keys: [Key] = [], colorEnabled: Bool = true) {
        self.size = size
        self.keys = keys
        self.colorEnabled = colorEnabled
    }

    public func present(_ buffer: CellBuffer) {
        frames.append(buffer)
    }

    /// Script keys after the start.
    public func type(_ more: [Key]) { keys += more }

    /// Types each character of `text`.
    public func type(_ text: String) { keys += text.map { Key.character($0) } }

    /// The next scripted key; nil (as a timeout would give) when the script is used up.
    public func nextKey(timeout: Int?) -> Key? {
        keys.isEmpty ? nil : keys.removeFirst()
    }

    /// Changes the size, as a terminal window resize would, and queues `.resize`.
    public func resize(to newSize: TerminalSize) {
        size = newSize
        keys.insert(.resize, at: 0)
    }

    public func shutdown() { isShutDown = true }

    /// The last frame as text, one line per row.
    public var screen: String { frames.last?.lines.joined(separator: "\n") ?? "" }
}
