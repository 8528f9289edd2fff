@testable import ConnectionCore
import Foundation
import Testing
import TestSupport

@Suite("Exchange log on disk")
struct ExchangeLogTests {
    func exchange(_ index: Int) -> Exchange {
        Exchange(index: index, purpose: "Test request", startedAt: Date(timeIntervalSince1970: 1_790_000_000), method: "GET",
                 url: "https://api.example.com/items/\(index)", sandboxURL: nil, requestHeaders: [HeaderField("Accept", "application/json")],
                 requestBody: nil,
                 response: ResponseRecord(status: index % 7 == 0 ? 500 : 200, statusText: "OK", httpVersion: "HTTP/1.1", headers: [],
                                          body: BodyRecord(size: 2, mimeType: "application/json", text: "{}")))
    }

    func attempt(_ count: Int) -> TestAttempt {
        TestAttempt(id: TestAttempt.newID(), connectionName: "Many", connectorID: "http-token", startedAt: Date(), finishedAt: Date(),
                    sandboxed: true, outcome: TestOutcome(kind: .succeeded, line: "Test succeeded: 200 OK in 1 ms"),
                    exchanges: (1...count).map(exchange))
    }

    /// A quick server's first byte can arrive before the client hears its request went out;
    /// the wait is then 0 ms, where the unsigned subtraction crashed the test run.
    @Test func aPhaseThatEndsBeforeItStartsTakesNoTime() {
        #expect(ExchangeClient.milliseconds(from: 2_000_000, to: 1_000_000) == 0)
        #expect(ExchangeClient.milliseconds(from: 1_000_000, to: 3_500_000) == 2.5)
    }

    @Test func headersAloneGiveTheCountAndTheReaderDecodesOnlyWhatItIsAskedFor() throws {
        let home = TemporaryFolder()
        let log = ExchangeLog(home: HomeFolder(path: home.path))
        let slot = try log.begin(key: "c1")
        try log.finish(attempt(3_000), in: slot)

        let header = try String(contentsOf: slot.folder.appendingPathComponent("attempt.json"), encoding: .utf8)
        #expect(!header.contains("items/1\""), "the header should not hold the exchanges")
        let lines = try String(contentsOf: slot.folder.appendingPathComponent("exchanges.jsonl"), encoding: .utf8)
        #expect(lines.split(separator: "\n").count == 3_000)

        let light = try #require(log.entries("c1", exchanges: false).last)
        #expect(light.attempt.exchanges.isEmpty && light.exchangeCount == 3_000)
        let reader = try ExchangeReader(light)
        #expect(reader.count == 3_000)
        #expect(reader.exchange(at: 2_999)?.url == "https://api.example.com/items/3000")
        #expect(reader.exchange(at: 6)?.response?.status == 500)

        let full = try #require(log.entries("c1").last)
        #expect(full.attempt.exchanges.count == 3_000 && full.attempt.exchanges[41].index == 42)
    }

    @Test func aVersionOneAttemptWithItsExchangesInsideIsStillRead() throws {
        let home = TemporaryFolder()
        let log = ExchangeLog(home: HomeFolder(path: home.path))
        let slot = try log.begin(key: "old")
        var old = attempt(2)
        old.version = 1
        old.exchangeCount = nil
        try ExchangeLog.encoder().encode(old).write(to: slot.folder.appendingPathComponent("attempt.json"))
        let entry = try #require(log.entries("old", exchanges: false).last)
        #expect(entry.exchangeCount == 2)
        #expect(try ExchangeReader(entry).exchange(at: 1)?.index == 2)
    }

    @Test func aCutShortExchangeLineIsReportedNotFatal() throws {
        let home = TemporaryFolder()
        let log = ExchangeLog(home: HomeFolder(path: home.path))
        let slot = try log.begin(key: "cut")
        try log.finish(attempt(3), in: slot)
        let file = slot.folder.appendingPathComponent("exchanges.jsonl")
        let text = try String(contentsOf: file, encoding: .utf8)
        try String(text.dropLast(20)).write(to: file, atomically: false, encoding: .utf8)
        let entry = try #require(log.entries("cut", exchanges: false).last)
        let reader = try ExchangeReader(entry)
        #expect(reader.exchange(at: 0) != nil)
        #expect(reader.exchange(at: 2) == nil)
        #expect(log.entries("cut").isEmpty, "a whole read of a damaged attempt skips it")
    }
}
