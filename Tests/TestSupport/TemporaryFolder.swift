import Foundation

/// A fresh folder under the system's temporary folder, removed when the value is released.
public final class TemporaryFolder: @unchecked Sendable {
    public let path: String

    public init(_ label: String = "connwiz-test") {
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// `name` inside the folder.
    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Writes `text` to `name` inside the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        let target = file(name)
        try! FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    /// Every regular file below the folder with its bytes.
    public func allFiles() -> [(path: String, data: Data)] {
        guard let walker = FileManager.default.enumerator(atPath: path) else { return [] }
        var files: [(String, Data)] = []
        for case let relative as String in walker {
            let full = file(relative)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue,
               let data = FileManager.default.contents(atPath: full) {
                files.append((full, data))
            }
        }
        return files
    }

    /// Files below the folder whose bytes contain `secret` (as UTF-8 or base64 of it).
    public func filesContaining(_ secret: String) -> [String] {
        let needles = [Data(secret.utf8), Data(Data(secret.utf8).base64EncodedString().utf8)]
        return allFiles().filter { file in needles.contains { file.data.range(of: $0) != nil } }.map(\.path)
    }
}
