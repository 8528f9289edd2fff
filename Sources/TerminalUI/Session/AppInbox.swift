/// Where the results of the run loop's tasks wait to be handled: a task posts, the loop takes
/// them one at a time, or waits a while for the next without holding a thread.
actor AppInbox<Event: Sendable> {
    private var queue: [Event] = []
    private var waiter: (id: Int, continuation: CheckedContinuation<Event?, Never>)?
    private var nextWaiter = 0

    func post(_ event: Event) {
        if let waiter {
            self.waiter = nil
            waiter.continuation.resume(returning: event)
        } else {
            queue.append(event)
        }
    }

    /// The oldest event, without waiting.
    func take() -> Event? {
        queue.isEmpty ? nil : queue.removeFirst()
    }

    /// The oldest event, waiting up to `timeout` for one to arrive; nil when none did.
    func next(within timeout: Duration) async -> Event? {
        if !queue.isEmpty { return queue.removeFirst() }
        nextWaiter += 1
        let id = nextWaiter
        return await withCheckedContinuation { continuation in
            waiter = (id, continuation)
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(id)
            }
        }
    }

    private func expire(_ id: Int) {
        guard let waiter, waiter.id == id else { return }
        self.waiter = nil
        waiter.continuation.resume(returning: nil)
    }
}
