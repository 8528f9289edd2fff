import Testing

/// Runs the end-to-end tests one at a time across suites, waiting without holding a thread.
///
/// These tests block the thread they run on while the binary or tmux works. Swift Testing
/// runs them on the few threads Swift concurrency has (one per core: two here); two of them at
/// once left none for the loopback servers of the async tests, which then timed out. Waiting
/// for this gate suspends instead of blocking, so at most one thread is ever held.
struct OneAtATime: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func scopeProvider(for test: Test, testCase: Test.Case?) -> OneAtATime? {
        // Each test case takes the gate. A suite's scope would hold it over its tests, and a
        // test's scope over its own cases, which then wait for it forever.
        testCase == nil ? nil : self
    }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        await Self.gate.enter()
        do {
            try await function()
        } catch {
            await Self.gate.leave()
            throw error
        }
        await Self.gate.leave()
    }

    static let gate = Gate()

    actor Gate {
        private var busy = false
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func enter() async {
            if !busy {
                busy = true
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func leave() {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
    }
}

extension Trait where Self == OneAtATime {
    /// One end-to-end test at a time in the whole run (see `OneAtATime`).
    static var oneAtATime: OneAtATime { OneAtATime() }
}
