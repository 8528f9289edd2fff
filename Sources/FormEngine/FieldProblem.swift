/// A field whose answer is missing or wrong, with the message the operator reads.
public struct FieldProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// `field: message`, the one-line form scripts print.
    public var description: String { "\(field): \(message)" }
}
