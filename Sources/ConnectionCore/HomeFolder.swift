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
