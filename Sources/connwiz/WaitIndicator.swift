import Foundation

/// A spinner on standard error while a command waits on a slow service: shown only on a
/// terminal, and only after a second, so a quick test prints exactly what it printed before
/// and a script or a pipe sees nothing of it. `stop()` clears the line it drew.
final class WaitIndicator: Sendable {
    /// Whether a frame is on the screen, under a lock the spinner and `stop()` share.
    private final class Line: @unchecked Sendable {
        let lock = NSLock()
        var shown = false

        func draw(_ text: String) {
            lock.withLock {
                shown = true
                Output.write(Data(text.utf8), to: STDERR_FILENO)
            }
        }

        func clear() {
            lock.withLock {
                if shown { Output.write(Data("\r\u{1b}[K".utf8), to: STDERR_FILENO) }
                shown = false
            }
        }
    }

    private let task: Task<Void, Never>?
    private let line = Line()

    /// Starts waiting to show `text` (for example "Testing “IO EU”"); does nothing when
    /// standard error is not a terminal.
    init(_ text: String, after delay: Duration = .seconds(1), environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard isatty(STDERR_FILENO) == 1, environment["TERM"] != "dumb" else {
            task = nil
            return
        }
        let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
        let line = self.line
        task = Task {
            do { try await Task.sleep(for: delay) } catch { return }
            let start = Date()
            var frame = 0
            while !Task.isCancelled {
                let seconds = Int(Date().timeIntervalSince(start) + delay.seconds)
                line.draw("\r\u{1b}[K\(frames[frame % frames.count]) \(text)… \(seconds) s")
                frame += 1
                do { try await Task.sleep(for: .milliseconds(100)) } catch { return }
            }
        }
    }

    /// Stops the spinner and clears its line, if it drew one.
    func stop() async {
        task?.cancel()
        await task?.value
        line.clear()
    }
}

private extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
