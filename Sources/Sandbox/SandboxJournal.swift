import Foundation

/// The requests the sandbox has answered, newest last, kept in memory only: tests read it to
/// check what really arrived (method, host, path, the form of the auth header), and
/// `connwiz sandbox` prints one line per entry, without header values.
public final class SandboxJournal: @unchecked Sendable {
    public struct Entry: Sendable {
        public let at: Date
        public let method: String
        public let host: String
        public let path: String
        public let query: [String: String]
        /// Lowercased names; values as received (never printed).
        public let headers: [String: String]
        public let body: Data
        public let status: Int

        /// `AppKey`, `Bearer`, `Basic`, or nil: the scheme word of the Authorization header.
        public var authorizationScheme: String? {
            headers["authorization"]?.split(separator: " ").first.map(String.init)
        }

        /// One line for people, with no header values.
        public var line: String {
            let time = Date.VerbatimFormatStyle(format: "\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits)",
                                                timeZone: .current, calendar: Calendar(identifier: .gregorian))
            return "\(at.formatted(time)) \(method) \(host)\(path) → \(status)"
        }
    }

    private let lock = NSLock()
    private var entries: [Entry] = []
    private let capacity: Int
    private let observer: (@Sendable (Entry) -> Void)?

    public init(capacity: Int = 1000, observer: (@Sendable (Entry) -> Void)? = nil) {
        self.capacity = capacity
        self.observer = observer
    }

    func record(_ request: SandboxRequest, status: Int) {
        let entry = Entry(at: Date(), method: request.method, host: request.host, path: request.path, query: request.query,
                          headers: request.headers, body: request.body, status: status)
        lock.lock()
        entries.append(entry)
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
        lock.unlock()
        observer?(entry)
    }

    /// Every entry kept, oldest first.
    public var all: [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }

    /// The entries for `host`.
    public func entries(host: String) -> [Entry] { all.filter { $0.host == host.lowercased() } }

    private var inFlight: [String: Int] = [:]
    private var peaks: [String: Int] = [:]

    /// A request for `group` (a host) began being answered.
    func began(_ group: String) {
        lock.lock()
        inFlight[group, default: 0] += 1
        peaks[group] = max(peaks[group] ?? 0, inFlight[group]!)
        lock.unlock()
    }

    func ended(_ group: String) {
        lock.lock()
        inFlight[group, default: 1] -= 1
        lock.unlock()
    }

    /// The most requests for `group` (a host, or `salesforce-production` for an org's login
    /// host and instance together) that were being answered at once.
    public func peak(_ group: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return peaks[group.lowercased()] ?? 0
    }

    public func clear() {
        lock.lock()
        entries.removeAll()
        lock.unlock()
    }
}
