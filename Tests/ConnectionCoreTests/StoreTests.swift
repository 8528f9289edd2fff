import ConnectionCore
import ConnectorSchema
import Foundation
import FormEngine
import Testing
import TestSupport

let catalog = ConnectorCatalog.builtin()
func schema(_ id: String) -> ConnectorSchema { catalog.connector(id)! }

func ioDraft(_ name: String = "IO EU", token: String = "tok-SECRET-1") -> ConnectionDraft {
    ConnectionDraft(connectorID: "celigo-integrator-io",
                    values: ["name": .string(name), "region": .string("europe"), "token": .string(token)])
}

func mode(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? NSNumber)?.intValue ?? -1
}

func sha(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

@Suite("Connection store")
struct StoreTests {
    @Test func savesAndReadsBackWithSecretsSealed() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.file("state")), environment: [:])
        let saved = try store.save(ioDraft(), schema: schema("celigo-integrator-io"))
        #expect(saved.values["token"] == nil)
        #expect(saved.secrets.keys.sorted() == ["token"])
        let loaded = try store.connection(named: "io eu")
        #expect(loaded == saved)
        let opened = try store.openValues(of: loaded, schema: schema("celigo-integrator-io"))
        #expect(opened["token"] == .string("tok-SECRET-1"))
        #expect(home.filesContaining("tok-SECRET-1").isEmpty)
        #expect(mode(home.file("state")) == 0o700)
        #expect(mode(home.file("state/connections.json")) == 0o600)
        #expect(mode(home.file("state/key")) == 0o600)
    }

    @Test func anInlineOAuthClientBecomesASealedStoredClientAndTheIDKept() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        let draft = ConnectionDraft(connectorID: "celonis", values: [
            "name": .string("C"), "apiType": .string("intelligence"), "domain": .string("acme.eu-1"), "authType": .string("oauth2"),
            "oauth2Client": .parts(["clientId": "cid-1", "clientSecret": "csecret-XYZ"]),
            "validDomains": .string("acme.eu-1.celonis.cloud"), "scopes": .list(["studio"])])
        let saved = try store.save(draft, schema: schema("celonis"))
        let client = try #require(try store.oauthClients().first)
        #expect(client.name == "C client" && client.clientId == "cid-1" && client.sealedSecret != nil)
        #expect(saved.values["oauth2Client"] == .parts([ConnectionStore.clientReferencePart: client.id, "clientId": "cid-1"]))
        #expect(saved.secrets.isEmpty, "the secret is the stored client's, sealed once")
        #expect(home.filesContaining("csecret-XYZ").isEmpty)
        let opened = try store.openValues(of: saved, schema: schema("celonis"))
        #expect(opened["oauth2Client"] == .parts([ConnectionStore.clientReferencePart: client.id, "clientId": "cid-1", "clientSecret": "csecret-XYZ"]))
    }

    @Test func aReferenceThatBringsANewSecretUpdatesItsStoredClient() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        let client = try store.saveOAuthClient(name: "Shared", clientId: "cid-1", clientSecret: "old-secret-1")
        let draft = ConnectionDraft(connectorID: "celonis", values: [
            "name": .string("C"), "apiType": .string("intelligence"), "domain": .string("acme.eu-1"), "authType": .string("oauth2"),
            "oauth2Client": .parts([ConnectionStore.clientReferencePart: client.id, "clientId": "cid-2", "clientSecret": "new-secret-2"]),
            "validDomains": .string("acme.eu-1.celonis.cloud"), "scopes": .list(["studio"])])
        let saved = try store.save(draft, schema: schema("celonis"))
        let updated = try #require(try store.oauthClients().first)
        #expect(try store.oauthClients().count == 1 && updated.clientId == "cid-2")
        #expect(try store.openSecret(of: updated) == "new-secret-2")
        #expect(saved.values["oauth2Client"] == .parts([ConnectionStore.clientReferencePart: client.id, "clientId": "cid-2"]))
        #expect(home.filesContaining("new-secret-2").isEmpty)
    }

    @Test func editKeepsIdentityAndCreationTime() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        let first = try store.save(ioDraft(), schema: schema("celigo-integrator-io"), now: Date(timeIntervalSince1970: 1000))
        var edit = ioDraft("IO renamed", token: "tok-2")
        edit.connectionID = first.id
        let second = try store.save(edit, schema: schema("celigo-integrator-io"), now: Date(timeIntervalSince1970: 2000))
        #expect(second.id == first.id)
        #expect(second.createdAt == first.createdAt)
        #expect(second.updatedAt == Date(timeIntervalSince1970: 2000))
        #expect(try store.all().map(\.name) == ["IO renamed"])
    }

    @Test func namesStayUniqueAtTheStoreToo() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        try store.save(ioDraft(), schema: schema("celigo-integrator-io"))
        #expect(throws: StoreError.nameTaken("IO EU")) { try store.save(ioDraft("io eu"), schema: schema("celigo-integrator-io")) }
    }

    @Test func tamperedCiphertextIsAClearErrorAndTheFileIsUntouched() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        let saved = try store.save(ioDraft(), schema: schema("celigo-integrator-io"))
        let path = home.file("connections.json")
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let sealed = saved.secrets["token"]!
        var bytes = Data(base64Encoded: sealed)!
        bytes[bytes.count / 2] ^= 0x01
        text = text.replacingOccurrences(of: sealed, with: bytes.base64EncodedString())
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let before = sha(path)
        let tampered = try store.connection(named: "IO EU")
        #expect(throws: StoreError.secretUnreadable(connection: "IO EU", key: "token")) {
            try store.openValues(of: tampered, schema: schema("celigo-integrator-io"))
        }
        guard case .failure(let error)? = store.checkSecrets(of: tampered)["token"] else { Issue.record("tamper not seen"); return }
        #expect(error.description.contains("cannot be decrypted"))
        #expect(sha(path) == before)
    }

    @Test func aSecretMovedToAnotherConnectionDoesNotOpen() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        let a = try store.save(ioDraft("A", token: "token-A"), schema: schema("celigo-integrator-io"))
        let b = try store.save(ioDraft("B", token: "token-B"), schema: schema("celigo-integrator-io"))
        var swapped = b
        swapped.secrets["token"] = a.secrets["token"]
        #expect(throws: StoreError.self) { try store.openValues(of: swapped, schema: schema("celigo-integrator-io")) }
    }

    @Test func corruptStoreIsReportedAndNeverOverwritten() throws {
        let home = TemporaryFolder()
        let path = home.write("connections.json", "{\"version\": 1, \"connections\": [ {\"id\": ")
        let before = sha(path)
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        #expect(throws: StoreError.unreadable(path, reason: "it is not valid JSON")) { try store.all() }
        #expect(throws: StoreError.self) { try store.save(ioDraft(), schema: schema("celigo-integrator-io")) }
        #expect(sha(path) == before)
        let message = StoreError.unreadable(path, reason: "it is not valid JSON").description
        #expect(message.contains("left exactly as it is"))
    }

    @Test func wrongShapeAndNewerVersionsAreRefused() throws {
        let home = TemporaryFolder()
        let path = home.write("connections.json", #"{"version": 1, "connections": [{"id": 5}]}"#)
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        #expect { try store.all() } throws: { "\($0)".contains("not a connection list") }
        try #"{"version": 7, "connections": []}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let before = sha(path)
        #expect(throws: StoreError.unsupportedVersion(path, 7)) { try store.save(ioDraft(), schema: schema("celigo-integrator-io")) }
        #expect(sha(path) == before)
    }

    @Test func aLostKeyIsNeverSilentlyReplaced() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        let saved = try store.save(ioDraft(), schema: schema("celigo-integrator-io"))
        try FileManager.default.removeItem(atPath: home.file("key"))
        #expect(throws: StoreError.keyMissing(home.file("key"), sealedSecrets: 1)) {
            try store.openValues(of: saved, schema: schema("celigo-integrator-io"))
        }
        #expect(throws: StoreError.keyMissing(home.file("key"), sealedSecrets: 1)) {
            try store.save(ioDraft("Other"), schema: schema("celigo-integrator-io"))
        }
        #expect(!FileManager.default.fileExists(atPath: home.file("key")))
    }

    @Test func keyFromTheEnvironment() throws {
        let home = TemporaryFolder()
        let key = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: ["CONNWIZ_KEY": key])
        let saved = try store.save(ioDraft(), schema: schema("celigo-integrator-io"))
        #expect(!FileManager.default.fileExists(atPath: home.file("key")))
        #expect(try store.openValues(of: saved, schema: schema("celigo-integrator-io"))["token"] == .string("tok-SECRET-1"))
        let other = ConnectionStore(home: HomeFolder(path: home.path), environment: ["CONNWIZ_KEY": Data(repeating: 7, count: 32).base64EncodedString()])
        #expect(throws: StoreError.self) { try other.openValues(of: saved, schema: schema("celigo-integrator-io")) }
        let short = ConnectionStore(home: HomeFolder(path: home.path), environment: ["CONNWIZ_KEY": "c2hvcnQ="])
        #expect { try short.openValues(of: saved, schema: schema("celigo-integrator-io")) } throws: { "\($0)".contains("a key is 32 bytes") }
    }

    @Test func concurrentWritersLoseNothing() async throws {
        let home = TemporaryFolder()
        let path = home.path
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    let store = ConnectionStore(home: HomeFolder(path: path), environment: [:])
                    for n in 0..<8 {
                        try store.save(ioDraft("W\(writer)-\(n)", token: "t\(writer)\(n)"), schema: schema("celigo-integrator-io"))
                    }
                }
            }
            try await group.waitForAll()
        }
        let store = ConnectionStore(home: HomeFolder(path: path), environment: [:])
        #expect(try store.all().count == 32)
        for connection in try store.all() {
            #expect(throws: Never.self) { try store.openValues(of: connection, schema: schema("celigo-integrator-io")) }
        }
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: path)).contains { $0.contains(".tmp-") })
    }

    @Test func deleteRemovesTheConnectionAndItsSecrets() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        try store.save(ioDraft(), schema: schema("celigo-integrator-io"))
        let removed = try store.delete(named: "io eu")
        #expect(removed.name == "IO EU")
        #expect(try store.all().isEmpty)
        #expect(throws: StoreError.notFound("IO EU")) { try store.delete(named: "IO EU") }
        #expect(!(try String(contentsOfFile: home.file("connections.json"), encoding: .utf8)).contains(removed.secrets["token"]!))
    }

    @Test func homeFolderResolution() {
        #expect(HomeFolder.resolve(option: "/a", environment: ["CONNWIZ_HOME": "/b"]).path == "/a")
        #expect(HomeFolder.resolve(option: nil, environment: ["CONNWIZ_HOME": "/b", "XDG_CONFIG_HOME": "/c"]).path == "/b")
        #expect(HomeFolder.resolve(option: nil, environment: ["XDG_CONFIG_HOME": "/c", "HOME": "/h"]).path == "/c/connwiz")
        #expect(HomeFolder.resolve(option: nil, environment: ["HOME": "/h"]).path == "/h/.config/connwiz")
    }
}
