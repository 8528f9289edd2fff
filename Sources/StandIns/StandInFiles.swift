import ConnectorSchema
import Foundation

/// Writes the files a stand-in declares (its published private keys) where its accounts'
/// answers name them: `<sandbox folder>/stand-ins/<connector>/NAME`, the folder 0700 and each
/// file 0600, rewritten only when its text changed.
public enum StandInFiles {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// The folder `{{sandboxFolder}}` stands for; nil `sandboxFolder` means a temporary one.
    public static func folder(for connector: String, in sandboxFolder: String?) -> String {
        (sandboxFolder ?? NSTemporaryDirectory() + "connwiz-sandbox-\(getuid())") + "/stand-ins/" + connector
    }

    /// Writes `spec`'s files and returns the folder they are in.
    @discardableResult
    public static func write(_ spec: StandInSpec, connector: String, into sandboxFolder: String?) throws -> String {
        let folder = folder(for: connector, in: sandboxFolder)
        guard !spec.files.isEmpty else { return folder }
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for (name, text) in spec.files.sorted(by: { $0.key < $1.key }) {
                let path = folder + "/" + name
                if manager.contents(atPath: path) == Data(text.utf8) { continue }
                try? manager.removeItem(atPath: path)
                guard manager.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                    throw Problem(description: "cannot write the stand-in file \(path)")
                }
            }
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(description: "cannot write the stand-in files of \(connector) in \(folder): \(error.localizedDescription)")
        }
        return folder
    }
}
