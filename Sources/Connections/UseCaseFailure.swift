/// Why a use case could not do what was asked, in a sentence for the operator. Store errors
/// pass through as `StoreError`; this names the rest (the network side would not open, the
/// log cannot be written, a file cannot be written).
public struct UseCaseFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
