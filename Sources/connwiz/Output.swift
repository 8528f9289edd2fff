import ConnectionCore
import Foundation

/// Writing to standard output and error, and JSON for `--json`.
///
/// Writing never traps: a closed pipe (`connwiz list | head -1`) or a full disk only stops
/// further output to that stream, and the command goes on, so a save is never skipped
/// because its report could not be printed. `main` then ends with status 141 (the shell's
/// SIGPIPE convention) for a closed pipe, or 1 for another failure.
enum Output {
    static func print(_ text: String) {
        write(Data((text + "\n").utf8), to: STDOUT_FILENO)
    }

    static func error(_ text: String) {
        write(Data(("connwiz: " + text + "\n").utf8), to: STDERR_FILENO)
    }

    static func note(_ text: String) {
        write(Data((text + "\n").utf8), to: STDERR_FILENO)
    }

    /// Writes all of `data`, retrying short writes and interruptions; a stream whose write
    /// failed is written no more.
    static func write(_ data: Data, to fd: Int32) {
        guard failures.errno(of: fd) == nil else { return }
        if let code = PrivateFile.writeAll(data, to: fd) { failures.record(code, for: fd) }
    }

    /// The status the command ends with because output failed, if it did: 141 for a closed
    /// pipe, 1 for anything else (a full disk).
    static var failureStatus: Int32? {
        guard let code = failures.errno(of: STDOUT_FILENO) ?? failures.errno(of: STDERR_FILENO) else { return nil }
        return code == EPIPE ? 141 : 1
    }

    /// The first failed write of each stream.
    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var codes: [Int32: Int32] = [:]

        func record(_ code: Int32, for fd: Int32) {
            lock.lock()
            if codes[fd] == nil { codes[fd] = code }
            lock.unlock()
        }

        func errno(of fd: Int32) -> Int32? {
            lock.lock()
            defer { lock.unlock() }
            return codes[fd]
        }
    }

    static let failures = Failures()

    /// The version of every JSON document connwiz prints (`"version": 1`); it changes only
    /// when a key is removed or changes meaning, never when one is added.
    static let jsonVersion = 1

    /// Prints `value` as a JSON object with `version` beside its keys. A list is printed as
    /// `{"version": 1, listedAs: [...]}`, so every document is an object a script can extend.
    static func json<T: Encodable>(_ value: T, listedAs key: String? = nil) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        print(String(decoding: try encoder.encode(Versioned(value: value, key: key)), as: UTF8.self))
    }

    /// A failure as `{"version": 1, "error": {"code", "message", "field"}}` on standard output,
    /// for `--json`; the message goes to standard error as well, as without `--json`.
    static func jsonError(_ failure: CLIFailure) {
        struct Body: Encodable {
            let code: String
            let message: String
            let field: String?
            let exitStatus: Int32

            func encode(to encoder: Encoder) throws {
                var container = encoder.container(keyedBy: JSONKey.self)
                try container.encode(code, forKey: JSONKey("code"))
                try container.encode(message, forKey: JSONKey("message"))
                // Always present, null when no one field is at fault.
                try container.encode(field, forKey: JSONKey("field"))
                try container.encode(exitStatus, forKey: JSONKey("exitStatus"))
            }
        }
        struct Document: Encodable { let error: Body }
        try? json(Document(error: Body(code: failure.reason, message: failure.message, field: failure.field, exitStatus: failure.code)))
    }

    /// Whether the command line asks for JSON (`--json` before any `--`).
    static let wantsJSON: Bool = {
        let arguments = CommandLine.arguments.dropFirst()
        return arguments.prefix { $0 != "--" }.contains("--json")
    }()

    struct JSONKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// `value`'s keys with `version` beside them, or `value` under `key`.
    struct Versioned<T: Encodable>: Encodable {
        let value: T
        let key: String?

        func encode(to encoder: Encoder) throws {
            if let key {
                var container = encoder.container(keyedBy: JSONKey.self)
                try container.encode(value, forKey: JSONKey(key))
            } else {
                try value.encode(to: encoder)
            }
            var container = encoder.container(keyedBy: JSONKey.self)
            try container.encode(Output.jsonVersion, forKey: JSONKey("version"))
        }
    }

    /// Rows as aligned columns, the header first.
    static func table(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        // Padded by hand and written at once: Foundation's `padding(toLength:)` and a write
        // per row were a sixth of listing 1,000 connectors.
        var text = ""
        for row in all {
            for (index, cell) in row.enumerated() {
                text += cell
                if index < row.count - 1 { text += String(repeating: " ", count: max(0, widths[index] - cell.count) + 2) }
            }
            text += "\n"
        }
        write(Data(text.utf8), to: STDOUT_FILENO)
    }

    /// Local time to the minute. One formatter for the run: making one per row cost about
    /// 0.1 ms each, which a list of hundreds of connections notices.
    static func date(_ date: Date) -> String {
        LocalTime.minute(date)
    }
}
