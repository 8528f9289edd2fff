import ConnectionCore

/// The HTTP side of the use cases: one `ExchangeClient` for the whole run, opened on first
/// use. With a sandbox starter, the sandbox is started then and every request goes to it
/// (`--sandbox`); the starter lives with the caller, so this module never needs the sandbox.
public actor NetworkTransport: HTTPTransport {
    /// A sandbox started for this run: where it listens, and how to stop it.
    public struct StartedSandbox: Sendable {
        public var url: String
        public var stop: @Sendable () async -> Void

        public init(url: String, stop: @escaping @Sendable () async -> Void) {
            self.url = url
            self.stop = stop
        }
    }

    let options: TransportOptions?
    let startSandbox: (@Sendable () async throws -> StartedSandbox)?
    /// The opening, shared by every caller: tests run in parallel (`test --all`) all wait for
    /// the one client rather than each opening its own.
    private var opening: Task<(client: ExchangeClient, sandbox: StartedSandbox?), Error>?

    /// - Parameters:
    ///   - options: timeouts, CA file and route; nil for a command that sends nothing.
    ///   - startSandbox: starts a sandbox on first use; requests then go to it.
    public init(_ options: TransportOptions?, startSandbox: (@Sendable () async throws -> StartedSandbox)? = nil) {
        self.options = options
        self.startSandbox = startSandbox
    }

    public func client() async throws -> ExchangeClient {
        if let opening { return try await opening.value.client }
        let options = self.options, startSandbox = self.startSandbox
        let task = Task { try await Self.open(options, startSandbox: startSandbox) }
        opening = task
        do { return try await task.value.client } catch {
            opening = nil
            throw error
        }
    }

    static func open(_ options: TransportOptions?, startSandbox: (@Sendable () async throws -> StartedSandbox)?) async throws
        -> (client: ExchangeClient, sandbox: StartedSandbox?) {
        guard var options else { throw UseCaseFailure("this command sends no requests") }
        var sandbox: StartedSandbox?
        if let startSandbox {
            do { sandbox = try await startSandbox() } catch {
                throw UseCaseFailure("the sandbox could not start: \(error)")
            }
            options.route = .sandbox(sandbox!.url)
        }
        do {
            return (try ExchangeClient(options: options), sandbox)
        } catch let failure as TransportFailure {
            await sandbox?.stop()
            throw UseCaseFailure(failure.message)
        }
    }

    public func close() async {
        guard let opening else { return }
        self.opening = nil
        guard let opened = try? await opening.value else { return }
        await opened.client.shutdown()
        await opened.sandbox?.stop()
    }
}
