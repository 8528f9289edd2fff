import ConnectorSchema
import Foundation
import Testing
import TestSupport

@Suite("Built-in connectors")
struct BuiltinConnectorTests {
    @Test func everyBuiltinLoadsCleanly() {
        let catalog = ConnectorCatalog.builtin()
        #expect(catalog.diagnostics.isEmpty, "\(catalog.diagnostics)")
        #expect(catalog.ids.sorted() == Fixtures.builtinConnectorIDs)
    }

    @Test func embeddedFilesMatchTheRepositoryFiles() throws {
        // The binary carries Connectors/*.yaml; a stale embedding would ship old panels.
        for name in ["celigo-integrator-io.yaml", "celonis.yaml", "certinia.yaml", "http-token.yaml"] {
            let onDisk = SchemaLoader.load(path: Fixtures.connectorFile(name))
            #expect(onDisk.diagnostics.isEmpty, "\(onDisk.diagnostics)")
            let id = String(name.dropLast(5))
            #expect(onDisk.schema == ConnectorCatalog.builtin().connector(id))
        }
    }

    @Test func theListingsSummariesAreThoseOfTheDecodedConnectors() {
        // The application list reads summaries made at build time instead of decoding.
        let decoded = ConnectorCatalog.builtin().entries.map {
            ConnectorCatalog.Summary(id: $0.schema.id, title: $0.schema.title, category: $0.schema.category, description: $0.schema.description,
                                     auth: $0.schema.authFamilies)
        }
        #expect(ConnectorCatalog.builtinSummaries.sorted { $0.id < $1.id } == decoded.sorted { $0.id < $1.id })
        #expect(ConnectorCatalog.builtinSummaries.count == Fixtures.builtinConnectorIDs.count)
    }

    @Test("field ids are part of the interface", arguments: [
        ("celigo-integrator-io", ["name", "region", "token"]),
        ("celonis", ["name", "apiType", "domain", "authType", "poolId", "appKey", "apiKey", "oauth2Client", "validDomains", "scopes"]),
        ("certinia", ["name", "accountType", "oauthFlow", "consumerKey", "consumerSecret", "username", "privateKeyFile",
                      "borrowConcurrencyFrom", "concurrencyLevel"]),
        ("http-token", ["name", "baseUri", "token", "pingPath", "headerName", "scheme", "pingMethod"]),
    ])
    func fieldIDs(connector: String, ids: [String]) throws {
        let schema = try #require(ConnectorCatalog.builtin().connector(connector))
        #expect(schema.fields.map(\.id) == ids)
    }

    @Test func choiceValuesArePartOfTheInterface() throws {
        let catalog = ConnectorCatalog.builtin()
        let io = try #require(catalog.connector("celigo-integrator-io"))
        #expect(io.field("region")?.options.map(\.value) == ["north-america", "europe"])
        #expect(io.field("token")?.kind == .secret)
        let celonis = try #require(catalog.connector("celonis"))
        #expect(celonis.field("apiType")?.options.map(\.value) == ["intelligence", "data-push"])
        #expect(celonis.field("authType")?.options.map(\.value) == ["custom", "token", "oauth2"])
        #expect(celonis.field("oauth2Client")?.kind == .oauthClient)
        let certinia = try #require(catalog.connector("certinia"))
        #expect(certinia.field("accountType")?.options.map(\.value) == ["production", "sandbox"])
        #expect(certinia.field("oauthFlow")?.options.map(\.value) == ["refresh-token", "jwt-bearer"])
        #expect(certinia.field("borrowConcurrencyFrom")?.kind == .connectionRef)
        #expect(certinia.field("concurrencyLevel")?.validate?.min == 1)
        #expect(certinia.field("concurrencyLevel")?.validate?.max == 25)
        #expect(certinia.field("concurrencyLevel")?.advanced == true)
        let http = try #require(catalog.connector("http-token"))
        #expect(http.field("headerName")?.default == .string("Authorization"))
        #expect(http.field("scheme")?.default == .string("Bearer"))
    }
}

@Suite("Secret parts")
struct SecretPartTests {
    @Test func keysAndValuesWithoutSecrets() throws {
        let celonis = try #require(ConnectorCatalog.builtin().connector("celonis"))
        #expect(celonis.isSecret(key: "appKey"))
        #expect(celonis.isSecret(key: "oauth2Client.clientSecret"))
        #expect(!celonis.isSecret(key: "oauth2Client.clientId"))
        #expect(!celonis.isSecret(key: "oauth2Client"))
        #expect(!celonis.isSecret(key: "domain"))
        #expect(!celonis.isSecret(key: "nothing"))
        let client = try #require(celonis.field("oauth2Client"))
        #expect(client.withoutSecrets(.parts(["clientId": "a", "clientSecret": "b"])) == .parts(["clientId": "a"]))
        #expect(client.withoutSecrets(.parts(["clientSecret": "b"])) == nil)
        #expect(celonis.field("appKey")?.withoutSecrets(.string("k")) == nil)
        #expect(celonis.field("domain")?.withoutSecrets(.string("acme.eu-1")) == .string("acme.eu-1"))
    }
}
