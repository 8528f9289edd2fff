import Foundation

/// A problem found in a connector file, located as `file:line:column` so editors can jump to it.
public struct SchemaDiagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable { case error, warning }

    public var file: String
    public var line: Int?
    public var column: Int?
    public var severity: Severity
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, severity: Severity = .error, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    /// `file:line:column: error: message`, the form compilers and editors understand.
    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        // Always one line: a message that quotes the file (a broken pattern, a value) shows its
        // line breaks as \n, so editors and scripts can still read one problem per line.
        let oneLine = message.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
        return "\(location): \(severity.rawValue): \(oneLine)"
    }

    /// How a problem of a connector file in the user's folder reads to the operator: an error
    /// says the file was skipped.
    public var catalogLine: String {
        severity == .error ? "skipped connector file: \(description)" : description
    }
}

/// Every problem of one file, errors first; thrown when a file cannot be used.
public struct SchemaLoadError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [SchemaDiagnostic]
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
