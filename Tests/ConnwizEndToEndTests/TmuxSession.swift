import Foundation
import Testing
import TestSupport

/// A tmux session on a private server: a real terminal the test types into and reads.
final class TmuxSession {
    let socket = "connwiz-test-\(UUID().uuidString.prefix(8))"
    let name = "t"

    init(width: Int = 100, height: Int = 30) throws {
        try tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", "/bin/sh"])
    }

    deinit { _ = try? tmux(["kill-server"]) }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        try Subprocess.run(["tmux", "-L", socket, "-f", "/dev/null"] + arguments).output
    }

    func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }
    func press(_ key: String) throws { try tmux(["send-keys", "-t", name, key]) }
    func line(_ text: String) throws { try type(text); try press("Enter") }
    /// The pane with its scrollback (line prompts scroll).
    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", name, "-S", "-200"]) }
    /// The visible pane with colour and attribute escapes (`-e`).
    func styledScreen() throws -> String { try tmux(["capture-pane", "-p", "-e", "-t", name]) }
    /// Changes the terminal's size, as dragging the window would.
    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until the screen shows `text`, failing after `seconds`.
    @discardableResult
    func waitFor(_ text: String, seconds: Double = 15, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if last.contains(text) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("“\(text)” did not appear; screen:\n\(last)", sourceLocation: sourceLocation)
        return last
    }

    /// Waits until `condition` holds for the visible screen, failing after `seconds`.
    @discardableResult
    func waitUntil(_ what: String, seconds: Double = 15, sourceLocation: SourceLocation = #_sourceLocation,
                   _ condition: (String) -> Bool) throws -> String {
        let (held, last) = try watch(seconds: seconds, condition)
        if !held { Issue.record("waited in vain for \(what); screen:\n\(last)", sourceLocation: sourceLocation) }
        return last
    }

    /// Whether `condition` comes to hold for the visible screen within `seconds`, and the last
    /// screen read; not holding is an answer, not a failure.
    func watch(seconds: Double, _ condition: (String) -> Bool) throws -> (held: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try tmux(["capture-pane", "-p", "-t", name])
            if condition(last) { return (true, last) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return (false, last)
    }

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }
}

/// The settings that differ between two `stty -a` outputs ("-echo → echo"), empty when equal.
/// The window size (rows, columns) is not a setting: a test that resizes the window changes it.
func sttyDifference(_ before: String, _ after: String) -> String {
    let split = { (text: String) in
        text.replacingOccurrences(of: #"rows \d+; columns \d+;"#, with: "", options: .regularExpression)
            .split(whereSeparator: { $0 == ";" || $0 == "\n" || $0 == " " }).map(String.init)
    }
    let old = split(before), new = split(after)
    let removed = old.filter { !new.contains($0) }, added = new.filter { !old.contains($0) }
    return removed.isEmpty && added.isEmpty ? "" : "was: \(removed.joined(separator: " ")) · now: \(added.joined(separator: " "))"
}
