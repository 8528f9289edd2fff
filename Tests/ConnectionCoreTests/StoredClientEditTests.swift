import ConnectionCore
import ConnectorSchema
import FormEngine
import Testing
import TestSupport

/// The panel's `e` changes a stored OAuth 2.0 client: with a new secret it replaces the
/// sealed one; with only a new client ID it keeps the secret the store holds.
@Suite("Editing a stored OAuth 2.0 client through a connection")
struct StoredClientEditTests {
    @Test func aNewIDWithoutASecretKeepsTheStoredSecret() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        let client = try store.saveOAuthClient(name: "Celonis app", clientId: "cid-1", clientSecret: "client-secret-KEEP")
        let celonis = ConnectorCatalog.builtin().connector("celonis")!
        let values: [String: FieldValue] = [
            "name": .string("C"), "apiType": .string("intelligence"), "domain": .string("acme.eu-1"), "authType": .string("oauth2"),
            "oauth2Client": .parts([ConnectionStore.clientReferencePart: client.id, "clientId": "cid-renamed"]),
            "validDomains": .string("acme.eu-1.celonis.cloud"),
        ]
        let saved = try store.save(ConnectionDraft(connectorID: "celonis", values: values), schema: celonis)
        let after = try #require(try store.oauthClients().first)
        #expect(after.clientId == "cid-renamed")
        #expect(try store.openSecret(of: after) == "client-secret-KEEP")
        #expect(try store.openValues(of: saved, schema: celonis)["oauth2Client"]?.part("clientSecret") == "client-secret-KEEP")
        #expect(home.filesContaining("client-secret-KEEP").isEmpty)
    }
}
