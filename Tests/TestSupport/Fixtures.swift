import Foundation

/// Paths of the repository's own files, so tests read the real connector files.
public enum Fixtures {
    /// The package root (found from this source file's location).
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The ids of the built-in connectors, one per file in `Connectors/`, sorted, so counts
    /// follow the folder as applications are added.
    public static let builtinConnectorIDs: [String] = {
        let folder = packageRoot + "/Connectors"
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }
        return files.compactMap { file -> String? in
            guard let text = try? String(contentsOfFile: folder + "/" + file, encoding: .utf8) else { return nil }
            return text.split(separator: "\n").first { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) }
        }.sorted()
    }()

    public static func connectorFile(_ name: String) -> String {
        packageRoot + "/Connectors/" + name
    }
}
