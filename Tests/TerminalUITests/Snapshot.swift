import Foundation
import Testing
import TerminalUI

/// Compares a screen with its golden file in `Snapshots/`. With `CONNWIZ_RECORD_SNAPSHOTS=1`
/// the file is written instead (review the diff before committing it).
func assertSnapshot(_ buffer: CellBuffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = folder.appendingPathComponent(name + ".txt")
    // Every row, padded to the width with a closing bar, so trailing spaces and the size show.
    let text = buffer.lines.map { $0 + String(repeating: " ", count: max(0, buffer.width - DisplayWidth.of($0))) + "|" }
        .joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["CONNWIZ_RECORD_SNAPSHOTS"] != nil {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? text.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("no snapshot \(file.lastPathComponent); record it with CONNWIZ_RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    #expect(text == expected, "screen \(name) differs from its snapshot:\n\(text)", sourceLocation: sourceLocation)
}
