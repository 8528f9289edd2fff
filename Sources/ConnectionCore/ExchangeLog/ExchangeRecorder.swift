import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// Watches one request on the wire for the View log: the head exactly as sent, the response
/// head, time to first byte, and the body. A small body is kept in memory and redacted whole
/// when it ends; once it passes `spillLimit` it is redacted as a stream into its file, so a
/// 100 MB answer costs a few kilobytes of memory.
final class ExchangeRecorder: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = Void

    struct Snapshot {
        var sentHead: HTTPRequestHead?
        var headSentAt: UInt64?
        var requestSentAt: UInt64?
        var responseHead: HTTPResponseHead?
        var firstByteAt: UInt64?
        var finishedAt: UInt64?
        /// The raw body while it is small enough to judge.
        var memory = Data()
        var size = 0
        /// True once the body went to disk as a stream.
        var spilled = false
        var writeError: String?
        /// Bytes written to the body file, and whether the keep limit cut the body there.
        var kept = 0
        var cut = false
    }

    static let spillLimit = 1 << 20

    private let lock = NIOLock()
    private var state = Snapshot()
    private var stream: Redactor.Stream
    private var file: FileHandle?
    private let fileURL: URL
    private let judgeLimit: Int
    private let keepLimit: Int

    init(redactor: Redactor, fileURL: URL, judgeLimit: Int, keepLimit: Int) {
        self.stream = redactor.stream()
        self.fileURL = fileURL
        self.judgeLimit = max(judgeLimit, Self.spillLimit)
        self.keepLimit = max(keepLimit, Self.spillLimit)
    }

    var snapshot: Snapshot { lock.withLock { state } }

    private static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }

    func didSendRequestHead(task: HTTPClient.Task<Void>, _ head: HTTPRequestHead) {
        lock.withLock {
            state.sentHead = head
            state.headSentAt = Self.now
        }
    }

    func didSendRequest(task: HTTPClient.Task<Void>) {
        lock.withLock { state.requestSentAt = Self.now }
    }

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        lock.withLock {
            state.responseHead = head
            state.firstByteAt = Self.now
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        lock.withLock {
            state.size += buffer.readableBytes
            let room = max(0, judgeLimit - state.memory.count)
            let kept = min(room, buffer.readableBytes)
            if kept > 0 { state.memory.append(contentsOf: buffer.readableBytesView.prefix(kept)) }
            if state.spilled {
                write(stream.feed(buffer.readableBytesView))
            } else if state.size > Self.spillLimit {
                // Too big to redact whole: from here on it streams to disk. Everything before
                // this part is in memory (judgeLimit >= spillLimit), and so is `kept` of it.
                state.spilled = true
                write(stream.feed(state.memory))
                write(stream.feed(buffer.readableBytesView.dropFirst(kept)))
            }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveError(task: HTTPClient.Task<Void>, _ error: Error) {
        lock.withLock { state.finishedAt = Self.now }
        closeFile()
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        lock.withLock { state.finishedAt = Self.now }
        closeFile()
    }

    /// Ends a spilled body's file (whatever the stream still held back).
    private func closeFile() {
        lock.withLock {
            if state.spilled {
                write(stream.finish())
                try? file?.close()
                file = nil
            }
        }
    }

    /// Appends redacted bytes to the body file; called with the lock held.
    private func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, state.writeError == nil, !state.cut else { return }
        var bytes = bytes
        if state.kept + bytes.count > keepLimit {
            // The log keeps the first `keepLimit` bytes; the body is still read and counted.
            bytes = Array(bytes.prefix(keepLimit - state.kept))
            state.cut = true
        }
        state.kept += bytes.count
        do {
            if file == nil {
                try LogFile.create(fileURL.path, contents: Data())
                file = try FileHandle(forWritingTo: fileURL)
            }
            try file?.write(contentsOf: bytes)
        } catch {
            state.writeError = "could not write the body to \(fileURL.path): \(error.localizedDescription)"
        }
    }
}
