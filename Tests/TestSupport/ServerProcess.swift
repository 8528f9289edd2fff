import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A server program the tests start on a loopback port (tinyproxy, lighttpd, a Python peer),
/// with its files in a folder of its own; `stop()` ends it, and so does dropping it.
public class ServerProcess: @unchecked Sendable {
    public let port: Int
    public let folder: TemporaryFolder
    private let process: Subprocess.Background
    private let stopped = Locked(false)

    init(port: Int, folder: TemporaryFolder, process: Subprocess.Background) {
        self.port = port
        self.folder = folder
        self.process = process
    }

    /// Where it listens, as a URL.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// What it has written so far.
    public var output: String { process.output }

    public func stop() {
        guard !stopped.get() else { return }
        stopped.set(true)
        process.stop()
    }

    deinit { stop() }

    /// Starts `arguments(port)` on a free port until one listens (five tries): each try's
    /// configuration is written for its port.
    static func launch(_ name: String, folder: TemporaryFolder, arguments: (Int) -> [String]) throws -> (Int, Subprocess.Background) {
        for _ in 0..<5 {
            let port = Subprocess.freePort()
            let process = try Subprocess.start(arguments(port))
            if Subprocess.waitForListener(port: port, timeout: 5) { return (port, process) }
            process.stop()
        }
        throw NSError(domain: name, code: 2, userInfo: [NSLocalizedDescriptionKey: "\(name) did not start listening"])
    }
}
