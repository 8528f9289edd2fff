import Foundation

/// Waits for SIGINT, SIGTERM or SIGHUP instead of letting them kill the process mid-write.
final class StopSignal: @unchecked Sendable {
    private let sources: [DispatchSourceSignal]
    private let stream: AsyncStream<Int32>

    init() {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        self.stream = stream
        sources = [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    /// Returns at the first signal, or when the waiting task is cancelled.
    func wait() async {
        for await _ in stream { return }
    }

    /// Gives the signals back to their default action (ending the process).
    func restore() {
        for source in sources { source.cancel() }
        for number in [SIGINT, SIGTERM, SIGHUP] { signal(number, SIG_DFL) }
    }
}
