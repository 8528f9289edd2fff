import ConnectionCore
import Connections
import ConnectorSchema
import Foundation
import FormEngine
import Sandbox
import Testing
import TestSupport

let catalog = ConnectorCatalog.builtin()
func schema(_ id: String) -> ConnectorSchema { catalog.connector(id)! }

/// Use cases over a temporary home, sending to a sandbox started on loopback on first use.
func sandboxedCases(_ home: TemporaryFolder) -> ConnectionUseCases {
    let folder = HomeFolder(path: home.path)
    let sandboxState = home.file("sandbox")
    let transport = NetworkTransport(TransportOptions()) {
        let server = try await SandboxServer.start(service: try SandboxService(stateFolder: sandboxState))
        return NetworkTransport.StartedSandbox(url: server.url) { await server.stop() }
    }
    return ConnectionUseCases(store: ConnectionStore(home: folder, environment: [:]), log: ExchangeLog(home: folder), transport: transport)
}

/// An integrator.io draft; a new one (no `id`) is logged under `draftID`, as one form's drafts are.
func ioDraft(_ name: String = "IO EU", token: String = SandboxAccounts.integratorEuropeToken, id: String? = nil,
             draftID: String = "draft-00000000000000e1") -> ConnectionDraft {
    ConnectionDraft(connectorID: "celigo-integrator-io", connectionID: id, draftID: id == nil ? draftID : nil,
                    values: ["name": .string(name), "region": .string("europe"), "token": .string(token)])
}

@Suite("Use cases over loopback")
struct UseCaseTests {
    @Test func aDraftsTestsAreLoggedUnderItsNameAndGoWithItWhenSaved() async throws {
        let home = TemporaryFolder()
        let cases = sandboxedCases(home)
        let io = schema("celigo-integrator-io")
        let failed = try await cases.testDraft(ioDraft(token: "io-WRONG-1234"), schema: io)
        #expect(!failed.passed && failed.report.result == .failed)
        let passed = try await cases.testDraft(ioDraft(), schema: io)
        #expect(passed.passed && passed.report.line.hasPrefix("Test succeeded: 200"))
        #expect(passed.report.logKey == "draft-00000000000000e1" && passed.report.attempt == 2)
        #expect(cases.attempts(logKey: passed.report.logKey).count == 2)

        // Saving the answers just tested stands on that test, without testing again.
        guard case .saved(let saved) = try await cases.save(ioDraft(), schema: io, policy: SavePolicy(testFirst: true), lastTest: passed.report) else {
            Issue.record("not saved"); return
        }
        #expect(saved.created && saved.test?.number == 2)
        #expect(saved.connection.lastTest?.passed == true)
        #expect(cases.attempts(of: saved.connection).count == 2, "the draft's attempts moved to the connection")
        #expect(cases.attempts(logKey: passed.report.logKey).isEmpty)
        #expect(try cases.connections().first?.lastTest?.status == passed.report.line)
        await cases.transport.close()
        #expect(home.filesContaining(SandboxAccounts.integratorEuropeToken).isEmpty)
    }

    @Test func theTestPolicyRefusesAFailingDraftUnlessToldToSaveAnyway() async throws {
        let home = TemporaryFolder()
        let cases = sandboxedCases(home)
        let io = schema("celigo-integrator-io")
        let wrong = ioDraft(token: "io-WRONG-5678")
        #expect(cases.saveWillTest(wrong, policy: SavePolicy(testFirst: true), lastTest: nil))
        guard case .refused(let run) = try await cases.save(wrong, schema: io, policy: SavePolicy(testFirst: true)) else {
            Issue.record("a failing draft was saved under --test"); return
        }
        #expect(run.attempt.outcome.status == 401)
        #expect(try cases.connections().isEmpty)
        let outcome = try await cases.save(wrong, schema: io, policy: SavePolicy(testFirst: true, saveAnyway: true), lastTest: run.report)
        guard case .saved(let saved) = outcome else { Issue.record("--save-anyway did not save"); return }
        #expect(saved.test?.passed == false && saved.notes.first?.hasPrefix("Its last test failed") == true)
        #expect(outcome.events.last == .saved(id: saved.connection.id))
        // A stale test is no test: the answers changed, so the policy tests again.
        #expect(cases.saveWillTest(ioDraft(), policy: SavePolicy(testFirst: true), lastTest: run.report))
        await cases.transport.close()
    }

    @Test func testingASavedConnectionRecordsItsLastTest() async throws {
        let home = TemporaryFolder()
        let cases = sandboxedCases(home)
        let io = schema("celigo-integrator-io")
        guard case .saved(let saved) = try await cases.save(ioDraft(), schema: io, policy: SavePolicy()) else { return }
        #expect(saved.connection.lastTest == nil && saved.test == nil)
        let run = try await cases.testSaved(saved.connection)
        #expect(run.passed && run.report.logKey == saved.connection.id)
        #expect(try cases.connection(id: saved.connection.id)?.lastTest?.passed == true)
        await cases.transport.close()
    }

    @Test func aRefreshTokenHeldByTheStoreIsWhatATestSendsAndIsNeverLogged() async throws {
        let home = TemporaryFolder()
        let cases = sandboxedCases(home)
        let certinia = schema("certinia")
        let draft = ConnectionDraft(connectorID: "certinia", values: [
            "name": .string("Certinia"), "accountType": .string("production"), "oauthFlow": .string("refresh-token"),
            "consumerKey": .string(SandboxAccounts.salesforceClientID), "consumerSecret": .string(SandboxAccounts.salesforceClientSecret)])
        guard case .saved(let saved) = try await cases.save(draft, schema: certinia, policy: SavePolicy()) else { return }
        #expect(saved.needsAuthorization)
        let before = try await cases.testSaved(saved.connection)
        #expect(before.attempt.outcome.line.hasPrefix("Not authorized yet"))

        let refresh = "5Aep-not-issued-by-the-sandbox-0123456789"
        try cases.store.storeCredentials(ObtainedCredentials(refreshToken: refresh), connectionID: saved.connection.id, schema: certinia)
        let after = try await cases.testSaved(try #require(try cases.connection(id: saved.connection.id)))
        // The token was read from the store and sent: the sandbox does not know it, so the
        // connection must be authorized again, and its worthless token is forgotten.
        #expect(after.attempt.outcome.line.hasPrefix("Authorization expired: the service refused the refresh token (invalid_grant)"), "\(after.attempt.outcome.line)")
        #expect(after.attempt.exchanges.first?.path.hasSuffix("/services/oauth2/token") == true)
        #expect(after.authorizationLost)
        let forgotten = try #require(try cases.connection(id: saved.connection.id))
        #expect(forgotten.credentials == nil && forgotten.needsAuthorization(schema: certinia))
        await cases.transport.close()
        for secret in [refresh, String(refresh.prefix(12)), Data(refresh.utf8).base64EncodedString(), SandboxAccounts.salesforceClientSecret] {
            #expect(home.filesContaining(secret).isEmpty, "\(secret) is on disk: \(home.filesContaining(secret))")
        }
    }

    @Test func deletingTakesTheLogsAndNamesWhoBorrowedFromIt() async throws {
        let home = TemporaryFolder()
        let cases = sandboxedCases(home)
        let io = schema("celigo-integrator-io")
        guard case .saved(let saved) = try await cases.save(ioDraft(), schema: io, policy: SavePolicy(testFirst: true)) else { return }
        _ = try await cases.testSaved(saved.connection)
        let certinia = schema("certinia")
        _ = try await cases.save(ConnectionDraft(connectorID: "certinia", values: [
            "name": .string("Borrower"), "accountType": .string("production"), "oauthFlow": .string("jwt-bearer"),
            "consumerKey": .string("k"), "username": .string("u@example.com"), "privateKeyFile": .string("/nowhere.pem"),
            "borrowConcurrencyFrom": .string(saved.connection.id)]), schema: certinia, policy: SavePolicy())
        let report = try cases.delete(saved.connection)
        #expect(report.removedAttempts == 2)
        #expect(report.borrowers.map(\.name) == ["Borrower"])
        #expect(report.line == "Deleted “IO EU” and its secrets and 2 logged test(s).")
        #expect(cases.attempts(logKey: saved.connection.id).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: home.file("logs/\(saved.connection.id)")))
        await cases.transport.close()
    }

    @Test func discardingARenamedDraftRemovesItsLogs() async throws {
        let home = TemporaryFolder()
        let cases = sandboxedCases(home)
        let io = schema("celigo-integrator-io")
        var form = FormState(schema: io, context: try cases.formContext(.create),
                             prefill: ["name": .string("A"), "region": .string("europe")])
        _ = form.handle(.set(field: "token", FieldInput(SandboxAccounts.integratorEuropeToken)))
        let run = try await cases.testDraft(try #require(form.draft), schema: io)
        #expect(run.report.logKey.hasPrefix("draft-") && run.report.logKey != "draft-a", "keyed by the form, not the name")
        #expect(cases.log.draftKey(named: "A") == run.report.logKey, "connwiz log A finds the draft's test")
        _ = form.handle(.set(field: "name", FieldInput("B")))
        #expect(form.currentValues["name"] == .string("B"))
        #expect(cases.discard(form) == 1)
        #expect(cases.attempts(logKey: run.report.logKey).isEmpty)
        #expect(cases.log.draftKey(named: "A") == nil && cases.log.draftKey(named: "B") == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.file("logs")).isEmpty)
        await cases.transport.close()
    }

    /// Issue 19 item 13: a draft tested as "IO NA", renamed "IO Europe" and saved keeps its
    /// tests; a later draft named "IO NA" starts with none of them.
    @Test func aRenamedDraftKeepsItsTestsAndALaterDraftOfTheOldNameGetsNone() async throws {
        let home = TemporaryFolder()
        let cases = sandboxedCases(home)
        let io = schema("celigo-integrator-io")
        let first = ConnectionDraft(connectorID: io.id, draftID: try cases.formContext(.create).draftID,
                                    values: ["name": .string("IO NA"), "region": .string("europe"),
                                             "token": .string(SandboxAccounts.integratorEuropeToken)])
        let europeTest = try await cases.testDraft(first, schema: io)
        var renamed = first
        renamed.values["name"] = .string("IO Europe")
        guard case .saved(let europe) = try await cases.save(renamed, schema: io, policy: SavePolicy()) else {
            Issue.record("not saved"); return
        }
        #expect(cases.attempts(of: europe.connection).map(\.attempt.id) == [europeTest.attempt.id])

        let second = ConnectionDraft(connectorID: io.id, draftID: try cases.formContext(.create).draftID,
                                     values: ["name": .string("IO NA"), "region": .string("europe"),
                                              "token": .string("io-WRONG-na-0001")])
        #expect(second.draftID != first.draftID)
        let naTest = try await cases.testDraft(second, schema: io)
        #expect(naTest.number == 1, "the new draft starts at attempt 1, not after the renamed draft's")
        guard case .saved(let na) = try await cases.save(second, schema: io, policy: SavePolicy()) else {
            Issue.record("not saved"); return
        }
        #expect(cases.attempts(of: na.connection).map(\.attempt.id) == [naTest.attempt.id])
        #expect(cases.attempts(of: europe.connection).map(\.attempt.id) == [europeTest.attempt.id])
        await cases.transport.close()
    }

    @Test func abandonedDraftsAreForgottenBeyondTheKeptNumber() async throws {
        let home = TemporaryFolder()
        let log = ExchangeLog(home: HomeFolder(path: home.path))
        var keys: [String] = []
        for index in 0..<(ExchangeLog.keptDrafts + 5) {
            let key = ExchangeLog.newDraftID()
            keys.append(key)
            _ = try log.begin(key: key)
            // Each older by a minute than the next: the oldest go first.
            let when = Date(timeIntervalSinceNow: Double(index - 100) * 60)
            try FileManager.default.setAttributes([.modificationDate: when], ofItemAtPath: home.file("logs/" + key))
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: home.file("logs")).filter { $0.hasPrefix("draft-") }
        #expect(left.count == ExchangeLog.keptDrafts)
        #expect(Set(left) == Set(keys.suffix(ExchangeLog.keptDrafts)))
    }

    @Test func exportAndHARGoThroughTheUseCases() async throws {
        let home = TemporaryFolder()
        let cases = sandboxedCases(home)
        let io = schema("celigo-integrator-io")
        guard case .saved(let saved) = try await cases.save(ioDraft(), schema: io, policy: SavePolicy(testFirst: true)) else { return }
        let document = try cases.exportDocument(saved.connection)
        #expect(document.contains("******") && !document.contains(SandboxAccounts.integratorEuropeToken))
        let entry = try #require(cases.attempts(of: saved.connection).last).withExchanges()
        #expect(try cases.writeHAR(entry, toFile: home.file("a.har")) == 1)
        #expect(throws: UseCaseFailure.self) { try cases.writeHAR(entry, toFile: home.file("missing/folder/a.har")) }
        await cases.transport.close()
        #expect(home.filesContaining(SandboxAccounts.integratorEuropeToken).isEmpty)
    }
}

/// An account that answers a push with an `_id` that is a path (issue 19, item 9): the id is
/// not stored, and an id already stored by an older build is encoded as one path segment.
@Suite("Push and the ids an account gives")
struct PushRemoteIDTests {
    static let hostileID = "../../iclients/zz?x=1#f"

    @Test func anIdThatIsAPathIsRefusedAndAStoredOneIsEncoded() async throws {
        let body = "{\"_id\":\"\(Self.hostileID)\",\"name\":\"x\"}"
        let server = try RawServer(answer: Array("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8))
        defer { server.stop() }
        let home = TemporaryFolder()
        let folder = HomeFolder(path: home.path)
        let transport = NetworkTransport(TransportOptions(route: .sandbox("http://127.0.0.1:\(server.port)")))
        let cases = ConnectionUseCases(store: ConnectionStore(home: folder, environment: [:]), log: ExchangeLog(home: folder), transport: transport)
        let io = schema("celigo-integrator-io")
        guard case .saved(let account) = try await cases.save(ioDraft("IO EU"), schema: io, policy: SavePolicy()),
              case .saved(let pushed) = try await cases.save(ioDraft("To push", token: "push-token-55667788"), schema: io, policy: SavePolicy()) else {
            Issue.record("not saved"); return
        }
        let outcome = try await cases.push(pushed.connection, schema: io, to: account.connection, accountSchema: io, ping: true)
        #expect(outcome.failure?.contains("with an _id that is not an id") == true, "\(outcome.failure ?? "pushed")")
        #expect(try cases.connection(id: pushed.connection.id)?.remoteIDs.isEmpty == true)
        #expect(server.heads.get().count == 1, "nothing more was sent: \(server.heads.get().map { $0.prefix(60) })")

        // An id recorded before ids were checked goes into the path as one encoded segment.
        try cases.store.recordRemoteID(Self.hostileID, account: account.connection.id, connectionID: pushed.connection.id)
        let stale = try #require(try cases.connection(id: pushed.connection.id))
        _ = try await cases.push(stale, schema: io, to: account.connection, accountSchema: io, ping: false)
        let put = try #require(server.heads.get().last?.split(separator: "\r\n").first)
        #expect(put == "PUT /v1/connections/..%2F..%2Ficlients%2Fzz%3Fx%3D1%23f HTTP/1.1")
        await cases.transport.close()
        #expect(home.filesContaining("push-token-55667788").isEmpty)
    }
}
