import Foundation

/// Paths of the repository's own files, so tests read the real connector files.
public enum Fixtures {
    /// The package root (found from this source file's location).
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static func connectorFile(_ name: String) -> String {
        packageRoot + "/Connectors/" + name
    }
}
