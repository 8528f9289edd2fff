import ConnectionCore
import ConnectorSchema
import Foundation
import FormEngine
import Sandbox
import Testing
import TestSupport

/// One RSA key for every in-memory sandbox of the tests: generating one takes a while.
let sharedSalesforceKey: String = try! SandboxService(stateFolder: nil).salesforcePrivateKeyPEM

/// A sandbox on a real loopback port, a tester routed to it, and a temporary home for logs.
struct LoopbackRig {
    let home: TemporaryFolder
    let service: SandboxService
    let server: SandboxServer
    let client: ExchangeClient
    let tester: ConnectionTester
    /// The key the sandbox's Salesforce app trusts, written where a connection can name it.
    let keyFile: String

    static func start(connectTimeout: Double = 5, totalTimeout: Double = 10, route: Bool = true) async throws -> LoopbackRig {
        let home = TemporaryFolder()
        let service = try SandboxService(stateFolder: nil, salesforceKeyPEM: sharedSalesforceKey)
        let server = try await SandboxServer.start(service: service)
        let options = TransportOptions(connectTimeout: connectTimeout, totalTimeout: totalTimeout,
                                       route: route ? .sandbox(server.url) : .direct)
        let client = try ExchangeClient(options: options)
        let keyFile = home.write("jwt.pem", sharedSalesforceKey)
        let tester = ConnectionTester(client: client, log: ExchangeLog(home: HomeFolder(path: home.path)))
        return LoopbackRig(home: home, service: service, server: server, client: client, tester: tester, keyFile: keyFile)
    }

    func stop() async {
        await client.shutdown()
        await server.stop()
    }

    /// The values a form would produce from `answers` (so URL normalisation applies).
    static func values(_ connector: String, _ answers: [String: String]) throws -> [String: FieldValue] {
        let schema = try #require(ConnectorCatalog.builtin().connector(connector))
        var form = FormState(schema: schema, context: FormContext(mode: .create, savedConnections: []))
        let outcome = ScriptedAnswers(answers).apply(to: &form)
        #expect(outcome.problems.isEmpty, "answers: \(outcome.problems)")
        return try #require(form.draft).values
    }

    /// Tests a connection built from `answers` and returns the attempt.
    func test(_ connector: String, _ answers: [String: String]) async throws -> TestAttempt {
        let schema = try #require(ConnectorCatalog.builtin().connector(connector))
        service.journal.clear()
        let key = "t-" + UUID().uuidString.prefix(6)
        lastKey.set(key)
        let subject = ConnectionTester.Subject(name: answers["name"] ?? "T", logKey: key,
                                               schema: schema, values: try Self.values(connector, answers))
        return try await tester.run(subject).attempt
    }

    /// The log key of the last test.
    let lastKey = Locked("")

    /// The stored log entry of the last test.
    func lastEntry() -> ExchangeLog.Entry? { tester.log.entries(lastKey.get()).last }

    /// What the sandbox received during the last test.
    var received: [SandboxJournal.Entry] { service.journal.all }
}
