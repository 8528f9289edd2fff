import Foundation

/// "Where should this go?" asked on one line over a screen: the default path is filled in to
/// edit or accept with Enter, Esc leaves without writing. Export and HAR ask it before writing.
public struct PathQuestion: Hashable, Sendable {
    /// What a key did to the question.
    public enum Answer: Hashable, Sendable {
        case asking
        /// Enter on a path: write there.
        case chosen(String)
        /// Esc, or Enter on an empty line: write nothing.
        case cancelled
    }

    /// "Write the HAR file to".
    public let prompt: String
    public private(set) var editor: LineEditor

    public init(_ prompt: String, default path: String) {
        self.prompt = prompt
        editor = LineEditor(path, limit: 4096)
    }

    /// The key help while the question is asked.
    public static let help = "Enter write · Esc cancel · Ctrl-U clear"

    public mutating func handle(_ key: Key) -> Answer {
        switch key {
        case .enter:
            let path = editor.text.trimmingCharacters(in: .whitespaces)
            return path.isEmpty ? .cancelled : .chosen(path)
        case .escape, .control("c"):
            return .cancelled
        default:
            _ = editor.apply(key)
            return .asking
        }
    }

    /// Draws "prompt: path" on `row`, with the cursor in the path.
    public func draw(into buffer: inout CellBuffer, row: Int) {
        let label = prompt + ": "
        let start = 1 + DisplayWidth.of(label)
        buffer.fill(row: row, column: 1, count: buffer.width - 2, tone: .normal)
        buffer.put(label, row: row, column: 1, tone: .strong)
        let view = editor.view(width: max(1, buffer.width - start - 2))
        buffer.put(view.text, row: row, column: start)
        buffer.cursor = (row, start + view.cursor)
    }
}
