import Foundation

/// The folder that holds all of connwiz's state: saved connections, the key that seals their
/// secrets, and the operator's own connector files.
///
/// Chosen by `--home`, else `CONNWIZ_HOME`, else `$XDG_CONFIG_HOME/connwiz`, else
/// `~/.config/connwiz`. Created with mode 0700 when something is first written.
public struct HomeFolder: Hashable, Sendable {
    public let path: String

    public init(path: String) {
        self.path = (path as NSString).expandingTildeInPath
    }

    /// The home folder named by an option, the environment, or the XDG default.
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> HomeFolder {
        if let option, !option.isEmpty { return HomeFolder(path: option) }
        if let home = environment["CONNWIZ_HOME"], !home.isEmpty { return HomeFolder(path: home) }
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return HomeFolder(path: config + "/connwiz") }
        return HomeFolder(path: (environment["HOME"] ?? NSHomeDirectory()) + "/.config/connwiz")
    }

    public var connectionsFile: String { path + "/connections.json" }
    public var lockFile: String { path + "/connections.lock" }
    public var keyFile: String { path + "/key" }
    public var connectorsFolder: String { path + "/connectors" }
    /// The built-in sandbox's state (created connections, issued tokens, its JWT key).
    public var sandboxFolder: String { path + "/sandbox" }
    /// The exchange logs of tests.
    public var logsFolder: String { path + "/logs" }

    /// Refuses a home folder or key file that another user could change or read, as ssh does
    /// with its keys: a symlink, one owned by someone else, a group- or world-writable folder,
    /// a key file readable by others. Each refusal names the fix.
    public func checkSafety() throws {
        if let problem = Self.problem(path, folder: true) { throw StoreError.unsafe(path, problem) }
        if let problem = Self.problem(keyFile, folder: false) { throw StoreError.unsafe(keyFile, problem) }
        if PrivateFile.isSymbolicLink(connectionsFile) {
            throw StoreError.unsafe(connectionsFile, "it is a symbolic link; connwiz keeps its store in a file of its own (replace the link with the file)")
        }
    }

    static func problem(_ path: String, folder: Bool) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        if (info.st_mode & S_IFMT) == S_IFLNK {
            return folder ? "it is a symbolic link; point --home or CONNWIZ_HOME at the folder itself"
                          : "it is a symbolic link; put the key file itself there"
        }
        if info.st_uid != geteuid() { return "it belongs to another user (uid \(info.st_uid)); connwiz uses only state you own" }
        let permissions = Int(info.st_mode & 0o777)
        if folder, permissions & 0o022 != 0 {
            return "other users can write to it (mode \(String(permissions, radix: 8))); fix it with: chmod 700 \(path)"
        }
        if !folder, permissions & 0o077 != 0 {
            return "other users can read it (mode \(String(permissions, radix: 8))); fix it with: chmod 600 \(path)"
        }
        return nil
    }

    /// Creates the folder (mode 0700) if it does not exist.
    public func create() throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw StoreError.notAFolder(path) }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.cannotWrite(path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
    }
}
