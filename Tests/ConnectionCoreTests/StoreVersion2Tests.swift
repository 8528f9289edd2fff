import ConnectionCore
import ConnectorSchema
import Foundation
import FormEngine
import Testing
import TestSupport

/// Store version 2: credentials obtained after saving, shared OAuth 2.0 clients, and the
/// migration of version 1 files written by the release before it.
@Suite("Connection store, version 2")
struct StoreVersion2Tests {
    static let fixtureKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let fixtureSecrets = ["v1fixture-io-token-7f3a", "v1fixture-celonis-secret-91bc",
                                 "v1fixture-certinia-secret-55de", "v1fixture-http-token-c0ffee"]

    /// A home holding the checked-in version 1 store.
    static func version1Home() throws -> (TemporaryFolder, ConnectionStore) {
        let home = TemporaryFolder()
        let fixture = Fixtures.packageRoot + "/Tests/ConnectionCoreTests/Fixtures/store-v1/connections.json"
        try FileManager.default.copyItem(atPath: fixture, toPath: home.file("connections.json"))
        return (home, ConnectionStore(home: HomeFolder(path: home.path), environment: ["CONNWIZ_KEY": fixtureKey]))
    }

    @Test func aVersion1StoreOpensMigratesOnFirstWriteAndKeepsEveryConnectionAndSecret() throws {
        let (home, store) = try Self.version1Home()
        let original = try #require(FileManager.default.contents(atPath: home.file("connections.json")))
        // Reading changes nothing.
        let before = try store.all()
        #expect(before.map(\.name) == ["Celonis OAuth", "Certinia Borrower", "Certinia Prod", "IO Europe", "Plain HTTP"])
        #expect(FileManager.default.contents(atPath: home.file("connections.json")) == original)
        #expect(!FileManager.default.fileExists(atPath: home.file("connections.json.v1")))

        // The first write migrates, keeping a copy of the old file.
        try store.saveOAuthClient(name: "Celonis prod client", clientId: "cid-shared", clientSecret: "shared-client-secret-77")
        #expect(FileManager.default.contents(atPath: home.file("connections.json.v1")) == original)
        #expect(mode(home.file("connections.json.v1")) == 0o600)
        let migrated = try #require(FileManager.default.contents(atPath: home.file("connections.json")))
        let header = try #require(JSONSerialization.jsonObject(with: migrated) as? [String: Any])
        #expect(header["version"] as? Int == 2)

        let after = try store.all()
        #expect(after.map(\.id) == before.map(\.id))
        #expect(after.map(\.values) == before.map(\.values))
        var opened: [String] = []
        for connection in after {
            let values = try store.openValues(of: connection, schema: schema(connection.connector))
            opened += values.values.flatMap { value -> [String] in
                if case .parts(let parts) = value { return Array(parts.values) }
                return [value.text]
            }
        }
        for secret in Self.fixtureSecrets { #expect(opened.contains(secret), "\(secret) did not open after migration") }
        let borrower = try store.connection(named: "Certinia Borrower")
        #expect(borrower.refers(to: try store.connection(named: "Certinia Prod").id))

        // A second write keeps the first copy as it was.
        try store.save(ioDraft("Another"), schema: schema("celigo-integrator-io"))
        #expect(FileManager.default.contents(atPath: home.file("connections.json.v1")) == original)
        for secret in Self.fixtureSecrets + ["shared-client-secret-77"] {
            #expect(home.filesContaining(secret).isEmpty, "\(secret) lies unsealed on disk")
        }
    }

    static func certiniaDraft(_ name: String = "Certinia", consumerKey: String = "3MVG9-key-A", id: String? = nil) -> ConnectionDraft {
        ConnectionDraft(connectorID: "certinia", connectionID: id, values: [
            "name": .string(name), "accountType": .string("production"), "oauthFlow": .string("refresh-token"),
            "consumerKey": .string(consumerKey), "consumerSecret": .string("consumer-secret-123456")])
    }

    @Test func aRefreshTokenIsKeptByAnEditThatKeepsTheConsumerKeyAndDroppedByOneThatChangesIt() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        let certinia = schema("certinia")
        let saved = try store.save(Self.certiniaDraft(), schema: certinia)
        let tokens = ObtainedCredentials(accessToken: "00Dsandbox!access-token-AAAA", refreshToken: "5Aep-refresh-token-BBBB",
                                         expiresAt: Date(timeIntervalSince1970: 2_000_000_000), instanceURL: "https://acme.my.salesforce.com")
        try store.storeCredentials(tokens, connectionID: saved.id, schema: certinia)
        for token in ["00Dsandbox!access-token-AAAA", "5Aep-refresh-token-BBBB"] {
            #expect(home.filesContaining(token).isEmpty, "\(token) lies unsealed on disk")
        }
        #expect("\(tokens)".contains("refreshToken") && !"\(tokens)".contains("5Aep"))

        // Renamed, secret typed again, same consumer key: the tokens stay.
        let renamed = try store.saveRecord(Self.certiniaDraft("Certinia renamed", id: saved.id), schema: certinia)
        #expect(!renamed.droppedCredentials)
        let kept = try #require(try store.openCredentials(of: try store.connection(named: "Certinia renamed")))
        #expect(kept.refreshToken == "5Aep-refresh-token-BBBB" && kept.accessToken == "00Dsandbox!access-token-AAAA")
        #expect(kept.instanceURL == "https://acme.my.salesforce.com")
        #expect(kept.expiresAt == Date(timeIntervalSince1970: 2_000_000_000))

        // Another connected app: the tokens go.
        let moved = try store.saveRecord(Self.certiniaDraft("Certinia renamed", consumerKey: "3MVG9-key-B", id: saved.id), schema: certinia)
        #expect(moved.droppedCredentials)
        #expect(try store.openCredentials(of: try store.connection(named: "Certinia renamed")) == nil)
        #expect(try store.connection(named: "Certinia renamed").credentials == nil)
    }

    @Test func changingTheAccountTypeDropsTheTokensToo() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        let certinia = schema("certinia")
        let saved = try store.save(Self.certiniaDraft(), schema: certinia)
        try store.storeCredentials(ObtainedCredentials(refreshToken: "5Aep-refresh-CCCC"), connectionID: saved.id, schema: certinia)
        var sandbox = Self.certiniaDraft(id: saved.id)
        sandbox.values["accountType"] = .string("sandbox")
        #expect(try store.saveRecord(sandbox, schema: certinia).droppedCredentials)
        #expect(certinia.credentialBasisFields.isSuperset(of: ["accountType", "consumerKey"]))
        #expect(!certinia.credentialBasisFields.contains("name"))
    }

    @Test func sealedCredentialsAreBoundToTheirConnectionAndName() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        let certinia = schema("certinia")
        let first = try store.save(Self.certiniaDraft("One"), schema: certinia)
        let second = try store.save(Self.certiniaDraft("Two"), schema: certinia)
        try store.storeCredentials(ObtainedCredentials(accessToken: "access-DDDD", refreshToken: "refresh-EEEE"), connectionID: first.id, schema: certinia)
        // Copy the first connection's sealed tokens onto the second, and swap its two tokens.
        try store.update { connections in
            var copied = connections[0].credentials!
            let sealed = copied.sealed
            copied.sealed = ["accessToken": sealed["refreshToken"]!, "refreshToken": sealed["accessToken"]!]
            connections[1].credentials = connections[0].credentials
            connections[0].credentials = copied
        }
        #expect(throws: StoreError.self) { try store.openCredentials(of: try store.connection(named: "Two")) }
        #expect(throws: StoreError.self) { try store.openCredentials(of: try store.connection(named: "One")) }
        _ = second
    }

    @Test func oauthClientsAreSharedSealedAndReplacedByName() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        let first = try store.saveOAuthClient(name: "Celonis EU", clientId: "cid-1", clientSecret: "client-secret-FFFF")
        #expect(home.filesContaining("client-secret-FFFF").isEmpty)
        #expect(try store.openSecret(of: first) == "client-secret-FFFF")
        let replaced = try store.saveOAuthClient(name: "celonis eu", clientId: "cid-2", clientSecret: "client-secret-GGGG")
        #expect(replaced.id == first.id && replaced.createdAt == first.createdAt)
        #expect(try store.oauthClients().map(\.clientId) == ["cid-2"])
        #expect(try store.openSecret(of: try store.oauthClients()[0]) == "client-secret-GGGG")
        // A client's sealed secret does not open as another client's.
        let other = try store.saveOAuthClient(name: "Other", clientId: "cid-3", clientSecret: nil)
        var forged = other
        forged.sealedSecret = replaced.sealedSecret
        #expect(throws: StoreError.self) { try store.openSecret(of: forged) }
        try store.deleteOAuthClient(named: "Other")
        #expect(try store.oauthClients().map(\.name) == ["celonis eu"])
    }

    @Test func inlineOAuthClientsOfAVersion1StoreMoveIntoStoredClientsAndStillOpen() throws {
        let (home, store) = try Self.version1Home()
        let celonis = schema("celonis")
        let before = try store.openValues(of: try store.connection(named: "Celonis OAuth"), schema: celonis)
        #expect(try store.migrateInlineClients() == 1)
        #expect(try store.migrateInlineClients() == 0, "a second run finds nothing")
        let moved = try store.connection(named: "Celonis OAuth")
        #expect(moved.secrets["oauth2Client.clientSecret"] == nil, "the secret left the connection")
        let client = try #require(try store.oauthClients().first)
        #expect(client.name == "Celonis OAuth client" && moved.values["oauth2Client"]?.part(ConnectionStore.clientReferencePart) == client.id)
        let after = try store.openValues(of: moved, schema: celonis)
        #expect(after["oauth2Client"]?.part("clientId") == before["oauth2Client"]?.part("clientId"))
        #expect(after["oauth2Client"]?.part("clientSecret") == "v1fixture-celonis-secret-91bc")
        // Saving another connection with the same inline client reuses the stored one.
        var values = try store.openValues(of: moved, schema: celonis)
        values["name"] = .string("Celonis copy")
        values["oauth2Client"] = .parts(["clientId": after["oauth2Client"]!.part("clientId")!, "clientSecret": "v1fixture-celonis-secret-91bc"])
        let copy = try store.save(ConnectionDraft(connectorID: "celonis", values: values), schema: celonis)
        #expect(copy.values["oauth2Client"]?.part(ConnectionStore.clientReferencePart) == client.id)
        #expect(try store.oauthClients().count == 1)
        #expect(home.filesContaining("v1fixture-celonis-secret-91bc").isEmpty)
    }

    @Test func aStoreOfANewerVersionIsLeftUntouched() throws {
        let home = TemporaryFolder()
        let path = home.write("connections.json", #"{"version": 3, "connections": []}"#)
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        #expect(throws: StoreError.unsupportedVersion(path, 3)) { try store.save(ioDraft(), schema: schema("celigo-integrator-io")) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == #"{"version": 3, "connections": []}"#)
    }
}
