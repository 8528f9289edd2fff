import ConnectionCore

/// Where the use cases send HTTP: a client opened when first needed and closed at the end.
/// The executable's implementation starts the sandbox for `--sandbox`; tests pass one that
/// talks to a server of their own on loopback.
public protocol HTTPTransport: Sendable {
    /// The client, opened on the first call. Throws `UseCaseFailure` when it cannot be
    /// opened (the sandbox did not start, a CA file is unreadable).
    func client() async throws -> ExchangeClient
    /// Stops what `client()` started.
    func close() async
}
