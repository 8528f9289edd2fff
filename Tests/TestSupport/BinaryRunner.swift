import Foundation

/// Runs the built `connwiz` executable as a separate process, as an operator or a script would.
public struct BinaryRunner: Sendable {
    /// What a run printed and how it ended.
    public struct Run: Sendable, CustomStringConvertible {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var output: String { stdout + stderr }
        public var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    public let executable: String
    public var environment: [String: String]

    /// The connwiz binary built beside the test bundle.
    public static func locate() -> String {
        if let explicit = ProcessInfo.processInfo.environment["CONNWIZ_BINARY"] { return explicit }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("connwiz").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        for candidate in [".build/debug/connwiz", ".build/release/connwiz"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return URL(fileURLWithPath: candidate).path
        }
        fatalError("connwiz binary not found next to \(CommandLine.arguments[0]); set CONNWIZ_BINARY")
    }

    /// A runner with `home` as CONNWIZ_HOME and a plain, predictable environment.
    public init(home: String, extra: [String: String] = [:]) {
        executable = BinaryRunner.locate()
        var environment = ["CONNWIZ_HOME": home, "PATH": "/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8", "TERM": "dumb"]
        environment.merge(extra) { _, new in new }
        self.environment = environment
    }

    /// Runs connwiz with `arguments`, feeding `input` on standard input (closed afterwards).
    public func run(_ arguments: [String], input: String = "", environment extra: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment.merging(extra) { _, new in new }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let outData = Locked(Data()), errData = Locked(Data())
        let group = DispatchGroup()
        for (pipe, sink) in [(stdout, outData), (stderr, errData)] {
            group.enter()
            DispatchQueue.global().async {
                sink.set(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Run(status: process.terminationStatus,
                   stdout: String(decoding: outData.get(), as: UTF8.self),
                   stderr: String(decoding: errData.get(), as: UTF8.self))
    }
}

/// A value shared between threads under a lock.
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    public init(_ value: Value) { self.value = value }
    public func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
    public func set(_ new: Value) { lock.lock(); value = new; lock.unlock() }
    public func mutate(_ change: (inout Value) -> Void) { lock.lock(); change(&value); lock.unlock() }
}

extension BinaryRunner {
    /// `connwiz sandbox` as its own process, with its state in `home`, and the address it
    /// says it listens on, for `--sandbox-url`. Stop it when done.
    public static func startSandbox(home: String) throws -> (process: Subprocess.Background, url: String?) {
        let sandbox = try Subprocess.start([locate(), "sandbox", "--port", "0", "--home", home])
        return (sandbox, sandbox.firstOutput(matching: #"http://127\.0\.0\.1:[0-9]+"#))
    }
}
