import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program with `posix_spawn` and `waitpid`, its output captured in a file and every
/// inherited descriptor above 2 closed. Used for tmux, whose server outlives the client: with
/// Foundation's `Process` the client was never reaped and the server kept pipes open.
public enum Subprocess {
    public static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let result = try measure(arguments, environment: environment)
        return (result.status, result.output)
    }

    /// Runs to the end and reports the child's peak resident memory (from `wait4`).
    public static func measure(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String, maxResidentKB: Int) {
        let outputPath = NSTemporaryDirectory() + "/connwiz-spawn-\(UUID().uuidString)"
        defer { unlink(outputPath) }
        let pid = try spawn(arguments, environment: environment, output: outputPath)
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output, Int(usage.ru_maxrss))
    }

    /// A program left running in the background, its output in a file; `stop()` ends it.
    public final class Background: @unchecked Sendable {
        public let pid: pid_t
        public let outputPath: String

        init(pid: pid_t, outputPath: String) {
            self.pid = pid
            self.outputPath = outputPath
        }

        private var finalOutput: String?

        /// What it has written so far (all of it once stopped).
        public var output: String { finalOutput ?? (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

        /// The first text matching `pattern` (a regular expression) that it writes, as soon as
        /// it is written; nil when nothing matches within `seconds`.
        public func firstOutput(matching pattern: String, seconds: Double = 10) -> String? {
            let deadline = Date().addingTimeInterval(seconds)
            repeat {
                let written = output
                if let range = written.range(of: pattern, options: .regularExpression) { return String(written[range]) }
                usleep(20_000)
            } while Date() < deadline
            return nil
        }

        /// Sends `signal` and waits for the exit; returns the exit status (128+n for a signal).
        @discardableResult
        public func stop(signal: Int32 = SIGTERM) -> Int32 {
            kill(pid, signal)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            finalOutput = output
            unlink(outputPath)
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }
    }

    public static func start(_ arguments: [String], environment: [String: String]? = nil) throws -> Background {
        let outputPath = NSTemporaryDirectory() + "/connwiz-spawn-\(UUID().uuidString)"
        return Background(pid: try spawn(arguments, environment: environment, output: outputPath), outputPath: outputPath)
    }

    private static func spawn(_ arguments: [String], environment: [String: String]?, output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        _ = spawnCloseFrom(&actions, 3)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        // The child starts with no signal blocked and default handlers: a test runs on a
        // worker thread whose mask blocks SIGTERM, and a child inheriting it could not be stopped.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, env)
        guard spawned == 0 else {
            throw NSError(domain: "Subprocess", code: Int(spawned), userInfo: [NSLocalizedDescriptionKey: "cannot start \(arguments[0])"])
        }
        return pid
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    public static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits until something accepts connections on 127.0.0.1:`port`.
    public static func waitForListener(port: Int, timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(descriptor)
            if connected == 0 { return true }
            usleep(50_000)
        }
        return false
    }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Glibc's module map hides.
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
func spawnCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32
