import ConnectionCore
import Connections
import ConnectorSchema
import Foundation
import FormEngine
import Sandbox
import Testing
import TestSupport

@Suite("test --all: every connection at once, within its concurrency budget")
struct BulkTestTests {
    @Test func noBudgetEverHasMoreTestsInFlightThanItsLevel() async throws {
        let home = TemporaryFolder()
        let folder = HomeFolder(path: home.path)
        let journal = SandboxJournal(capacity: 5000)
        let sandboxState = home.file("sandbox")
        let transport = NetworkTransport(TransportOptions()) {
            let server = try await SandboxServer.start(service: try SandboxService(stateFolder: sandboxState, journal: journal,
                                                                                   settings: SandboxSettings(latency: 120)))
            return NetworkTransport.StartedSandbox(url: server.url) { await server.stop() }
        }
        let cases = ConnectionUseCases(store: ConnectionStore(home: folder, environment: [:]), log: ExchangeLog(home: folder), transport: transport)
        _ = try await cases.transport.client()     // the sandbox writes its JWT key on start
        let key = home.file("sandbox/\(SandboxAccounts.salesforceJWTKeyFile)")
        let certinia = schema("certinia")

        func save(_ name: String, account: String, level: Int? = nil, borrows: String? = nil) async throws -> StoredConnection {
            var values: [String: FieldValue] = [
                "name": .string(name), "accountType": .string(account), "oauthFlow": .string("jwt-bearer"),
                "consumerKey": .string(SandboxAccounts.salesforceClientID), "privateKeyFile": .string(key),
                "username": .string(account == "production" ? SandboxAccounts.salesforceProductionUser : SandboxAccounts.salesforceSandboxUser)]
            if let level { values["concurrencyLevel"] = .number(level) }
            if let borrows { values["borrowConcurrencyFrom"] = .string(borrows) }
            guard case .saved(let saved) = try await cases.save(ConnectionDraft(connectorID: "certinia", values: values), schema: certinia,
                                                               policy: SavePolicy()) else { throw UseCaseFailure("not saved") }
            return saved.connection
        }
        let owner = try await save("Prod owner", account: "production", level: 2)
        for number in 1...5 { _ = try await save("Prod borrower \(number)", account: "production", borrows: owner.id) }
        let middle = try await save("Prod middle", account: "production", borrows: owner.id)
        _ = try await save("Prod through middle", account: "production", borrows: middle.id)
        let sandboxOwner = try await save("Sbx owner", account: "sandbox", level: 3)
        for number in 1...5 { _ = try await save("Sbx borrower \(number)", account: "sandbox", borrows: sandboxOwner.id) }

        let all = try cases.connections()
        journal.clear()
        let results = await cases.testAll(all)
        await cases.transport.close()

        #expect(results.count == 14 && results.allSatisfy(\.passed), "\(results.map(\.line))")
        #expect(results.map(\.connection.name) == all.map(\.name), "results come in the order asked")
        let production = results.filter { $0.connection.values["accountType"] == .string("production") }
        #expect(production.allSatisfy { $0.budget == owner.id && $0.budgetLevel == 2 }, "a borrower of a borrower shares the owner's budget")
        #expect(journal.peak("salesforce-production") <= 2, "production had \(journal.peak("salesforce-production")) requests in flight")
        #expect(journal.peak("salesforce-sandbox") <= 3, "the sandbox org had \(journal.peak("salesforce-sandbox")) in flight")
        // The two budgets ran side by side: both orgs were busy at some moment together.
        #expect(journal.peak("salesforce-production") + journal.peak("salesforce-sandbox") >= 3)
        #expect(try cases.connections().allSatisfy { $0.lastTest?.passed == true }, "each test is recorded")
    }
}

/// A connection deleted while `test --all` runs (issue 19, item 11): its line says so, in
/// words, and the others are tested and recorded.
@Suite("test --all and a connection deleted meanwhile")
struct BulkTestDeletionTests {
    @Test func aConnectionDeletedWhileTestsRunIsSaidToBeDeleted() async throws {
        let home = TemporaryFolder()
        let folder = HomeFolder(path: home.path)
        let sandboxState = home.file("sandbox")
        let journal = SandboxJournal()
        let transport = NetworkTransport(TransportOptions()) {
            let server = try await SandboxServer.start(service: try SandboxService(stateFolder: sandboxState, journal: journal,
                                                                                   settings: SandboxSettings(latency: 600)))
            return NetworkTransport.StartedSandbox(url: server.url) { await server.stop() }
        }
        let cases = ConnectionUseCases(store: ConnectionStore(home: folder, environment: [:]), log: ExchangeLog(home: folder), transport: transport)
        let io = schema("celigo-integrator-io")
        for name in ["Kept", "Doomed"] {
            guard case .saved = try await cases.save(ioDraft(name), schema: io, policy: SavePolicy()) else { Issue.record("not saved"); return }
        }
        _ = try await cases.transport.client()
        let all = try cases.connections()
        let running = Task { await cases.testAll(all) }
        // The sandbox holds every answer 600 ms: delete once both requests are in flight.
        let deadline = Date().addingTimeInterval(10)
        while journal.peak("api.eu.integrator.io") < 2 && Date() < deadline { await Task.yield() }
        #expect(journal.peak("api.eu.integrator.io") == 2, "both tests reached the sandbox")
        _ = try cases.delete(try #require(all.first { $0.name == "Doomed" }))
        let results = await running.value
        await cases.transport.close()
        let doomed = try #require(results.first { $0.connection.name == "Doomed" })
        #expect(!doomed.line.contains("StoreError") && !doomed.line.contains("error 3"), "\(doomed.line)")
        #expect(doomed.line.contains("“Doomed” was deleted while the tests ran") || doomed.passed, "\(doomed.line)")
        #expect(results.first { $0.connection.name == "Kept" }?.passed == true)
        #expect(try cases.connections().map(\.name) == ["Kept"])
        #expect(StoreError.cannotWrite("/x", reason: "gone").localizedDescription == "cannot write /x: gone")
    }
}
