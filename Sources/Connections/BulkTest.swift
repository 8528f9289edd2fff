import ConnectionCore
import ConnectorSchema
import Foundation

/// One connection's part of `testAll`.
public struct BulkTestResult: Sendable {
    public var connection: StoredConnection
    /// The test, when it ran.
    public var run: TestRun?
    /// Why it did not run (its connector is not installed, its secrets cannot be opened).
    public var problem: String?
    /// The budget it ran under: the connection whose concurrency it uses (itself, or the one
    /// it borrows from), and that budget's level.
    public var budget: String
    public var budgetLevel: Int

    public var passed: Bool { run?.passed == true }
    public var line: String { problem ?? run?.attempt.outcome.line ?? "Not tested" }
}

/// A concurrency budget: at most `level` tests hold it at once.
actor ConcurrencyBudget {
    let level: Int
    private var held = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(level: Int) { self.level = max(1, level) }

    func acquire() async {
        if held < level {
            held += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            held -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

extension ConnectionUseCases {
    /// The concurrency level a budget has when its owner sets none.
    public static let defaultConcurrencyLevel = 1

    /// Tests every connection in `connections` at once, as far as their concurrency budgets
    /// allow: a connection that borrows concurrency runs under the budget of the one it
    /// borrows from (followed to the end of the chain), and no budget ever has more tests in
    /// flight than its level. A connection's requests go one after another, so a test holds
    /// one unit of its budget. At most `parallel` tests run at all. Results come in the order
    /// of `connections`; every outcome is recorded as its connection's last test, in one write at the end.
    public func testAll(_ connections: [StoredConnection], parallel: Int = 16) async -> [BulkTestResult] {
        // Each connector once.
        var schemas: [String: ConnectorSchema] = [:]
        for id in Set(connections.map(\.connector)) { schemas[id] = connectors(id) }
        // Budgets first: who owns each connection's budget, and its level.
        var settings: [String: HTTPSettings] = [:]
        var problems: [String: String] = [:]
        for connection in connections {
            guard let connector = schemas[connection.connector] else {
                problems[connection.id] = "Not tested: the connector “\(connection.connector)” is not installed"
                continue
            }
            do {
                let values = try store.openValues(of: connection, schema: connector)
                settings[connection.id] = try ConnectionResolver.resolve(schema: connector, values: values)
            } catch {
                problems[connection.id] = "Not tested: \(error)"
            }
        }
        func owner(of id: String) -> String {
            var current = id
            var seen: Set<String> = [id]
            while let next = settings[current]?.borrowFrom, !next.isEmpty, settings[next] != nil, seen.insert(next).inserted {
                current = next
            }
            return current
        }
        var budgets: [String: ConcurrencyBudget] = [:]
        var owners: [String: String] = [:]
        for connection in connections {
            let id = owner(of: connection.id)
            owners[connection.id] = id
            if budgets[id] == nil {
                budgets[id] = ConcurrencyBudget(level: settings[id]?.concurrencyLevel ?? Self.defaultConcurrencyLevel)
            }
        }
        let overall = ConcurrencyBudget(level: parallel)
        let budgetsByID = budgets, ownersByID = owners, problemsByID = problems, schemasByID = schemas
        return await withTaskGroup(of: (Int, BulkTestResult).self) { group in
            for (index, connection) in connections.enumerated() {
                let ownerID = ownersByID[connection.id] ?? connection.id
                let budget = budgetsByID[ownerID]!
                group.addTask {
                    var result = BulkTestResult(connection: connection, run: nil, problem: problemsByID[connection.id],
                                                budget: ownerID, budgetLevel: budget.level)
                    guard result.problem == nil, let connector = schemasByID[connection.connector] else { return (index, result) }
                    await budget.acquire()
                    await overall.acquire()
                    do { result.run = try await testSaved(connection, schema: connector, recording: false) } catch {
                        let gone = (try? self.connection(id: connection.id)) == nil
                        result.problem = gone ? "Not tested: “\(connection.name)” was deleted while the tests ran" : "Not tested: \(error)"
                    }
                    await overall.release()
                    await budget.release()
                    return (index, result)
                }
            }
            var results = [BulkTestResult?](repeating: nil, count: connections.count)
            for await (index, result) in group { results[index] = result }
            // Every outcome in one write of the store, not one each.
            var summaries: [String: TestSummary] = [:]
            for case let result? in results { if let run = result.run { summaries[result.connection.id] = TestSummary(run.attempt) } }
            try? store.recordTests(summaries)
            return results.compactMap { $0 }
        }
    }
}
