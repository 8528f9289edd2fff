import Foundation

/// The size of the screen in cells.
public struct TerminalSize: Hashable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Below this the panel cannot lay out; screens show "enlarge the terminal" instead.
    public static let minimum = TerminalSize(width: 60, height: 16)

    public var isTooSmall: Bool { width < Self.minimum.width || height < Self.minimum.height }
}

/// What the front end needs of a terminal: its size, a way to show a frame, and key presses.
/// The ncurses driver talks to the real terminal; the recording driver lets tests script keys
/// and read the frames without one.
public protocol TerminalDriver: AnyObject {
    var size: TerminalSize { get }
    /// False for `NO_COLOR`, `--no-color` and terminals without colour: tones then show as
    /// attributes only.
    var colorEnabled: Bool { get }
    /// Shows `buffer`, drawing only what changed since the last frame.
    func present(_ buffer: CellBuffer)
    /// The next key, or nil when `timeout` milliseconds pass first (nil timeout waits).
    func nextKey(timeout: Int?) -> Key?
    /// Gives the terminal back exactly as it was found.
    func shutdown()
    /// A key pressed while a test runs, or nil at once: the run loop asks between spinner
    /// frames, so Esc can cancel the test.
    func nextKeyWhileBusy() -> Key?
    /// A key that has already arrived (the rest of a paste), or nil at once.
    func waitingKey() -> Key?
    /// Forgets what the terminal shows, so the next frame is drawn whole (Ctrl-L).
    func invalidate()
    /// A monotonic clock in milliseconds: when keys arrive, for the type-ahead guard.
    var milliseconds: UInt64 { get }
    /// Hands `text` to the terminal's clipboard (OSC 52). Whether it arrives is up to the
    /// terminal: one that does not take OSC 52 ignores it silently.
    func copyToClipboard(_ text: String)
}

extension TerminalDriver {
    public func nextKeyWhileBusy() -> Key? { nextKey(timeout: 0) }
    public func waitingKey() -> Key? { nextKey(timeout: 0) }
    public func invalidate() {}
    public func copyToClipboard(_ text: String) {}
    public var milliseconds: UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1000 + UInt64(now.tv_nsec) / 1_000_000
    }
}
