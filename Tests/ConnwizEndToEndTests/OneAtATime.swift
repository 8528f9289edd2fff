import Foundation
import Testing

/// Runs the end-to-end tests at most `width` at a time across suites, each on a thread of its
/// own rather than one of Swift concurrency's.
///
/// These tests block the thread they run on while the binary or tmux works. Swift Testing
/// would run them on the few threads Swift concurrency has (one per core: two here); two of
/// them at once left none for the async tests beside them. Each test case now runs with a
/// task-executor preference (SE-0417) for a thread made for it, so what it blocks is that
/// thread; waiting for the gate suspends instead of blocking. `E2E_TIMES` prints each case's
/// time inside the gate on standard error, to find where the suite's time goes.
struct OneAtATime: SuiteTrait, TestTrait, TestScoping {
    /// How many end-to-end test cases run at once.
    static let width = 2

    var isRecursive: Bool { true }

    func scopeProvider(for test: Test, testCase: Test.Case?) -> OneAtATime? {
        // Each test case takes the gate. A suite's scope would hold it over its tests, and a
        // test's scope over its own cases, which then wait for it forever.
        testCase == nil ? nil : self
    }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        await Self.gate.enter()
        let started = Date()
        let thread = DedicatedThread(name: "e2e " + test.name)
        defer {
            thread.stop()
            if ProcessInfo.processInfo.environment["E2E_TIMES"] != nil {
                FileHandle.standardError.write(Data("E2ETIME \(String(format: "%.2f", Date().timeIntervalSince(started))) \(test.name)\n".utf8))
            }
        }
        do {
            try await withTaskExecutorPreference(thread) { try await function() }
        } catch {
            await Self.gate.leave()
            throw error
        }
        await Self.gate.leave()
    }

    static let gate = Gate(width: width)

    actor Gate {
        private let width: Int
        private var running = 0
        private var waiting: [CheckedContinuation<Void, Never>] = []

        init(width: Int) { self.width = width }

        func enter() async {
            if running < width {
                running += 1
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func leave() {
            if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
        }
    }
}

/// A task executor with one thread of its own: the jobs it is given run there, one at a time,
/// until `stop()`.
final class DedicatedThread: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false

    init(name: String) {
        let thread = Thread { [self] in work() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once the jobs it holds have run.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

extension Trait where Self == OneAtATime {
    /// At most `OneAtATime.width` end-to-end test cases at a time in the whole run, each on its own thread.
    static var oneAtATime: OneAtATime { OneAtATime() }
}
