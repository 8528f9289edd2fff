import ConnectionCore
import ConnectorSchema
import Foundation
import FormEngine
import Testing
import TestSupport

/// A valid but wrong key must never be mixed into a store (issue: hardening): the old secrets
/// would not open under the new key, nor the new one under the old.
@Suite("Store key check")
struct StoreKeyCheckTests {
    static let otherKey = Data((0..<32).map { UInt8(255 - $0) }).base64EncodedString()

    @Test func aWrongKeyFromTheEnvironmentIsRefusedAndTheStoreLeftUntouched() throws {
        let home = TemporaryFolder()
        let folder = HomeFolder(path: home.path)
        try ConnectionStore(home: folder, environment: [:]).save(ioDraft("First"), schema: schema("celigo-integrator-io"))
        let before = try #require(FileManager.default.contents(atPath: folder.connectionsFile))
        let wrong = ConnectionStore(home: folder, environment: ["CONNWIZ_KEY": Self.otherKey])
        #expect(throws: StoreError.wrongKey(origin: "CONNWIZ_KEY")) { try wrong.save(ioDraft("Second"), schema: schema("celigo-integrator-io")) }
        #expect(FileManager.default.contents(atPath: folder.connectionsFile) == before)
        #expect(StoreError.wrongKey(origin: "CONNWIZ_KEY").description.contains("the key from CONNWIZ_KEY is not the key"))
        // The right key still works, and the first secret still opens.
        let right = ConnectionStore(home: folder, environment: [:])
        try right.save(ioDraft("Second", token: "tok-2"), schema: schema("celigo-integrator-io"))
        #expect(try right.openValues(of: try right.connection(named: "First"), schema: schema("celigo-integrator-io"))["token"] == .string("tok-SECRET-1"))
    }

    @Test func aKeyFileThatChangedIsRefused() throws {
        let home = TemporaryFolder()
        let folder = HomeFolder(path: home.path)
        let store = ConnectionStore(home: folder, environment: [:])
        try store.save(ioDraft("First"), schema: schema("celigo-integrator-io"))
        try (Self.otherKey + "\n").write(toFile: folder.keyFile, atomically: true, encoding: .utf8)
        chmod(folder.keyFile, 0o600)
        #expect(throws: StoreError.wrongKey(origin: folder.keyFile)) { try store.save(ioDraft("Second"), schema: schema("celigo-integrator-io")) }
        #expect(throws: StoreError.wrongKey(origin: folder.keyFile)) {
            try store.saveOAuthClient(name: "C", clientId: "id", clientSecret: "client-secret-1")
        }
        // A write that seals nothing is still allowed (a rename keeps no new secret? it does: a
        // connection without secrets), and the check value stays the old key's.
        try store.save(ConnectionDraft(connectorID: "celigo-integrator-io", values: ["name": .string("No secret"), "region": .string("europe")]),
                       schema: schema("celigo-integrator-io"))
        #expect(throws: StoreError.wrongKey(origin: folder.keyFile)) { try store.save(ioDraft("Third"), schema: schema("celigo-integrator-io")) }
    }

    @Test func aVersion1StoreWithoutACheckValueIsCheckedByOpeningASecret() throws {
        let (home, _) = try StoreVersion2Tests.version1Home()
        let wrong = ConnectionStore(home: HomeFolder(path: home.path), environment: ["CONNWIZ_KEY": Self.otherKey])
        #expect(throws: StoreError.wrongKey(origin: "CONNWIZ_KEY")) { try wrong.save(ioDraft("New"), schema: schema("celigo-integrator-io")) }
        #expect(!FileManager.default.fileExists(atPath: home.file("connections.json.v1")), "nothing was migrated under a wrong key")
    }

    @Test func anEmptyKeyVariableIsAnErrorNotAFallbackToTheKeyFile() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: ["CONNWIZ_KEY": ""])
        #expect(throws: StoreError.self) { try store.save(ioDraft(), schema: schema("celigo-integrator-io")) }
        #expect(!FileManager.default.fileExists(atPath: home.file("key")))
        #expect(!FileManager.default.fileExists(atPath: home.file("connections.json")))
    }
}
