@testable import ConnectionCore
import ConnectorSchema
import Foundation
import PropertyBased
import Testing
import TestSupport

/// Generated broken inputs for every reader of untrusted files (issue: hardening): 25,000
/// each, made from real files by a seeded mutator, for connector files, answers files, store
/// files and logged attempts. None may crash or hang; connector and answers problems are one
/// located line; the store reader refuses with a StoreError; View log's reader and the HAR
/// writer take whatever the log holds. Serialized, so one fuzzer at a time keeps a core busy
/// and the suite's loopback tests keep theirs.
@Suite("Fuzzing the readers", .serialized)
struct StoreAndLogFuzzTests {
    /// The same 25,000 seeds each run (0, 1, 2 …), so CI is repeatable; with
    /// `CONNWIZ_FUZZ_RANDOM=1` the library's random ones, to explore.
    static func seed(_ generated: UInt64, _ round: inout UInt64) -> UInt64 {
        defer { round += 1 }
        return ProcessInfo.processInfo.environment["CONNWIZ_FUZZ_RANDOM"] == nil ? round : generated
    }

    static let storeSeed = Array(FileManager.default.contents(atPath: Fixtures.packageRoot + "/Tests/ConnectionCoreTests/Fixtures/store-v1/connections.json") ?? Data())

    @Test func storeFilesNeverCrashTheReader() async {
        var round: UInt64 = 0
        await propertyCheck(count: 25_000, input: Gen.uint64(in: 0...UInt64.max)) { generated in
            let seed = Self.seed(generated, &round)
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
        var round: UInt64 = 0
        await propertyCheck(count: 25_000, input: Gen.uint64(in: 0...UInt64.max)) { generated in
            let seed = Self.seed(generated, &round)
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

    static let connectorSeeds: [[UInt8]] = ["celigo-integrator-io.yaml", "celonis.yaml", "certinia.yaml", "http-token.yaml"].map {
        Array(FileManager.default.contents(atPath: Fixtures.connectorFile($0)) ?? Data())
    }
    static let answersSeeds: [[UInt8]] = [
        "name: Celonis EU\napiType: intelligence\ndomain: acme.eu-1\nauthType: oauth2\noauth2Client: {clientId: abc, clientSecret: env:S}\nscopes: [studio, integration.data-pools]\n",
        "{\"name\": \"IO\", \"region\": \"europe\", \"token\": \"env:T\"}\n",
        "name: &n Certinia\nusername: *n\nconcurrencyLevel: 5\n",
    ].map { Array($0.utf8) }

    @Test func connectorFilesNeverCrashAndEveryProblemIsOneLocatedLine() async {
        var round: UInt64 = 0
        await propertyCheck(count: 25_000, input: Gen.uint64(in: 0...UInt64.max)) { generated in
            let seed = Self.seed(generated, &round)
            // CPU-bound work: let the suite's other tests (and their timeouts) have the threads too.
            await Task.yield()
            var mutator = Mutator(seed: seed)
            let bytes = mutator.mutate(Self.connectorSeeds[Int(seed % 4)])
            guard let text = String(bytes: bytes, encoding: .utf8) else { return }
            let result = SchemaLoader.load(text: text, file: "fuzz.yaml")
            for diagnostic in result.diagnostics {
                let line = diagnostic.description
                #expect(line.hasPrefix("fuzz.yaml:") && !line.contains("\n"), "seed \(seed): \(line)")
            }
        }
    }

    @Test func answersFilesNeverCrashAndEveryRefusalIsOneLine() async {
        var round: UInt64 = 0
        await propertyCheck(count: 25_000, input: Gen.uint64(in: 0...UInt64.max)) { generated in
            let seed = Self.seed(generated, &round)
            // CPU-bound work: let the suite's other tests (and their timeouts) have the threads too.
            await Task.yield()
            var mutator = Mutator(seed: seed)
            let bytes = mutator.mutate(Self.answersSeeds[Int(seed % 3)])
            do { _ = try AnswersDocument.parse(Data(bytes), file: "fuzz.yaml") } catch let problem as SchemaDiagnostic {
                #expect(problem.description.hasPrefix("fuzz.yaml:") && !problem.description.contains("\n"), "seed \(seed): \(problem)")
            } catch {
                Issue.record("seed \(seed): an unnamed error \(error)")
            }
        }
    }
}
