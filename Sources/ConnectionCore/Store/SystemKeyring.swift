import Foundation

/// The desktop's keyring, where the store key lives when one is reachable: the Secret Service
/// over D-Bus (GNOME Keyring, KWallet, KeePassXC), through `secret-tool`, libsecret's own
/// command. The key goes in on standard input and comes out on standard output, never in
/// arguments. Over SSH on a server there is usually no session bus, and the key stays a file.
public struct SystemKeyring: Sendable {
    /// The attributes that find this home's key: one key per home folder.
    let attributes: [String]
    let label: String
    let environment: [String: String]
    /// How long a call may take: a locked keyring can wait for a password prompt nobody sees.
    let timeout: TimeInterval

    public init(home: HomeFolder, environment: [String: String], timeout: TimeInterval = 10) {
        let path = URL(fileURLWithPath: home.path).standardizedFileURL.path
        attributes = ["application", "connwiz", "home", path]
        label = "connwiz store key (\(path))"
        self.environment = environment
        self.timeout = timeout
    }

    /// Why no keyring can be asked here, without asking: no session bus, or no `secret-tool`.
    public var unavailableReason: String? {
        guard let bus = environment["DBUS_SESSION_BUS_ADDRESS"], !bus.isEmpty else {
            return "no session bus (DBUS_SESSION_BUS_ADDRESS is not set), as over SSH"
        }
        return tool == nil ? "secret-tool is not installed (Debian: apt-get install libsecret-tools)" : nil
    }

    /// Why no keyring can be used here, or nil when one answers.
    public func unreachableReason() -> String? {
        if let reason = unavailableReason { return reason }
        do {
            _ = try read()
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// The key text held for this home, nil when there is none. Asked once per process: every
    /// secret opened asks for the key, and each lookup costs about 14 ms (`test --all` opens one
    /// connection after another). `fresh` asks again, to read back what was just written.
    public func read(fresh: Bool = false) throws -> String? {
        if !fresh, let known = Self.lookups.result(for: attributes) { return try known.get() }
        let answer: Result<String?, StoreError>
        do {
            let result = try run(["lookup"] + attributes, input: nil)
            if result.status == 0 {
                answer = .success(String(decoding: result.output, as: UTF8.self))
            } else if result.errors.isEmpty {
                // secret-tool says nothing when there is no such item, and why otherwise.
                answer = .success(nil)
            } else {
                answer = .failure(.keyring("the system keyring did not answer: \(result.errors)"))
            }
        } catch let error as StoreError {
            answer = .failure(error)
        }
        Self.lookups.remember(answer, for: attributes)
        return try answer.get()
    }

    public func write(_ text: String) throws {
        let result = try run(["store", "--label=\(label)"] + attributes, input: Data(text.utf8))
        Self.lookups.forget(attributes)
        guard result.status == 0 else {
            throw StoreError.keyring("the system keyring did not keep the key: \(result.errors.isEmpty ? "secret-tool exited \(result.status)" : result.errors)")
        }
    }

    public func delete() throws {
        let result = try run(["clear"] + attributes, input: nil)
        Self.lookups.forget(attributes)
        guard result.status == 0 || result.errors.isEmpty else { throw StoreError.keyring("the system keyring did not remove the key: \(result.errors)") }
    }

    /// What each lookup answered in this process, by its attributes.
    final class Lookups: @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [[String]: Result<String?, StoreError>] = [:]

        func result(for attributes: [String]) -> Result<String?, StoreError>? { lock.withLock { answers[attributes] } }
        func remember(_ answer: Result<String?, StoreError>, for attributes: [String]) { lock.withLock { answers[attributes] = answer } }
        func forget(_ attributes: [String]) { _ = lock.withLock { answers.removeValue(forKey: attributes) } }
    }

    static let lookups = Lookups()

    var tool: String? {
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + ["/usr/bin"]
        return folders.map { $0 + "/secret-tool" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private func run(_ arguments: [String], input: Data?) throws -> (status: Int32, output: Data, errors: String) {
        guard let tool else { throw StoreError.keyring("secret-tool is not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        // Only what reaching the bus needs; nothing of the caller's secrets.
        process.environment = environment.filter { ["DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "HOME", "PATH", "LANG"].contains($0.key) }
        let output = Pipe(), errors = Pipe(), feed = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = feed
        do { try process.run() } catch { throw StoreError.keyring("secret-tool did not start: \(error.localizedDescription)") }
        if let input { try? feed.fileHandleForWriting.write(contentsOf: input) }
        try? feed.fileHandleForWriting.close()
        // Ended by the deadline if it has not ended by then. SIGKILL, not `terminate()`: the
        // child inherits the spawning thread's signal mask, where SIGTERM may be blocked, and a
        // SIGTERM then waits for an exit that never comes.
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [process] in
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal {
            throw StoreError.keyring("the system keyring did not answer within \(Int(timeout)) s (locked, waiting for a password?)")
        }
        // The key is 44 bytes; anything much longer is not one of ours.
        let out = (try? output.fileHandleForReading.read(upToCount: 4096)).flatMap { $0 } ?? Data()
        let said = (try? errors.fileHandleForReading.read(upToCount: 4096)).flatMap { $0 } ?? Data()
        return (process.terminationStatus, out, String(decoding: said, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
