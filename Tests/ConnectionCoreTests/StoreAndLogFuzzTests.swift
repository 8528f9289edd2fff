@testable import ConnectionCore
import Foundation
import PropertyBased
import Testing
import TestSupport

/// Generated broken store files and logged attempts (issue: hardening): 25,000 each, from
/// real ones by a seeded mutator. The store reader refuses with a StoreError and never
/// crashes; View log's reader and the HAR writer take whatever the log holds.
@Suite("Fuzzing the store and the log")
struct StoreAndLogFuzzTests {
    static let storeSeed = Array(FileManager.default.contents(atPath: Fixtures.packageRoot + "/Tests/ConnectionCoreTests/Fixtures/store-v1/connections.json") ?? Data())

    @Test func storeFilesNeverCrashTheReader() async {
        await propertyCheck(count: 25_000, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            // CPU-bound work: let the suite's other tests (and their timeouts) have the threads too.
            await Task.yield()
            var mutator = Mutator(seed: seed)
            let bytes = mutator.mutate(Self.storeSeed)
            do { _ = try ConnectionStore.decode(Data(bytes), path: "connections.json") } catch is StoreError {
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    @Test func loggedAttemptsNeverCrashViewLogOrTheHARWriter() async throws {
        // A real attempt to start from.
        let rig = try await LoopbackRig.start(route: false)
        _ = try await rig.test("http-token", ["name": "Fuzz", "baseUri": rig.server.url + "/_faults", "token": "fuzz-token-1234", "pingPath": "/ok"])
        await rig.stop()
        let entry = try #require(rig.lastEntry())
        let header = Array(try Data(contentsOf: entry.folder.appendingPathComponent(ExchangeLog.attemptFile)))
        let lines = Array(try Data(contentsOf: entry.folder.appendingPathComponent(ExchangeLog.exchangesFile)))
        let home = TemporaryFolder()
        let log = ExchangeLog(home: HomeFolder(path: home.path), keep: 1_000_000)
        await propertyCheck(count: 25_000, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            // CPU-bound work: let the suite's other tests (and their timeouts) have the threads too.
            await Task.yield()
            var mutator = Mutator(seed: seed)
            guard let slot = try? log.begin(key: "fuzz") else { Issue.record("no slot"); return }
            let brokenHeader = seed % 3 == 0 ? mutator.mutate(header) : header
            let brokenLines = seed % 3 == 0 ? lines : mutator.mutate(lines)
            _ = FileManager.default.createFile(atPath: slot.folder.appendingPathComponent(ExchangeLog.attemptFile).path, contents: Data(brokenHeader))
            _ = FileManager.default.createFile(atPath: slot.folder.appendingPathComponent(ExchangeLog.exchangesFile).path, contents: Data(brokenLines))
            if let read = log.entries("fuzz", exchanges: false).last {
                if let reader = try? ExchangeReader(read) {
                    for index in 0..<min(reader.count, 8) { _ = reader.exchange(at: index) }
                }
                if let whole = try? read.withExchanges() { _ = try? HARDocument.make(whole) }
            }
            try? FileManager.default.removeItem(at: slot.folder)
        }
    }
}
