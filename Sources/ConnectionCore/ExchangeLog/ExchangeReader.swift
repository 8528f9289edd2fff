import Foundation

/// The exchanges of one stored attempt, read one at a time: `exchanges.jsonl` is mapped, its
/// line starts found once, and only the exchanges asked for are decoded (the last few kept).
/// This is what lets View log open an attempt of 10,000 exchanges without reading them all.
public final class ExchangeReader: @unchecked Sendable {
    public let count: Int
    private let data: Data
    private let lineStarts: [Int]
    /// Exchanges already in memory (a version 1 attempt, or one just made).
    private let loaded: [Exchange]?
    private let decoder = ExchangeLog.decoder()
    private let lock = NSLock()
    private var recent: [Int: Exchange] = [:]

    public init(_ entry: ExchangeLog.Entry) throws {
        if entry.attempt.exchanges.count == entry.exchangeCount {
            loaded = entry.attempt.exchanges
            data = Data()
            lineStarts = []
            count = entry.attempt.exchanges.count
            return
        }
        loaded = nil
        let file = entry.folder.appendingPathComponent(ExchangeLog.exchangesFile)
        data = try Data(contentsOf: file, options: .alwaysMapped)
        var starts: [Int] = []
        starts.reserveCapacity(entry.exchangeCount)
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                starts.append(offset)
                guard let newline = memchr(base + offset, 0x0A, bytes.count - offset) else { break }
                offset = base.distance(to: UnsafeRawPointer(newline)) + 1
            }
        }
        lineStarts = starts
        count = starts.count
    }

    /// Exchange `index` (0-based); nil when it cannot be read.
    public func exchange(at index: Int) -> Exchange? {
        try? decode(index)
    }

    func decode(_ index: Int) throws -> Exchange {
        if let loaded { return loaded[index] }
        lock.lock()
        defer { lock.unlock() }
        if let cached = recent[index] { return cached }
        let start = lineStarts[index]
        let end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : data.count
        let exchange = try decoder.decode(Exchange.self, from: data.subdata(in: start..<end))
        if recent.count >= 64 { recent.removeAll(keepingCapacity: true) }
        recent[index] = exchange
        return exchange
    }
}
