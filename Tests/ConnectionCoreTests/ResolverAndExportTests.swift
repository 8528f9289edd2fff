import ConnectionCore
import ConnectorSchema
import Foundation
import FormEngine
import Testing
import TestSupport

@Suite("Resolving answers into HTTP")
struct ResolverTests {
    @Test func integratorRegions() throws {
        let eu = try ConnectionResolver.resolve(schema: schema("celigo-integrator-io"), values: ioDraft().values)
        #expect(eu.baseURI == "https://api.eu.integrator.io/v1")
        #expect(eu.auth == .header(HeaderAuth(name: "Authorization", scheme: "Bearer", value: "tok-SECRET-1")))
        #expect(eu.tests.map(\.url) == ["https://api.eu.integrator.io/v1/tokenInfo"])
        var values = ioDraft().values
        values["region"] = .string("north-america")
        #expect(try ConnectionResolver.resolve(schema: schema("celigo-integrator-io"), values: values).baseURI == "https://api.integrator.io/v1")
    }

    @Test func celonisAuthTypesAndTests() throws {
        let base: [String: FieldValue] = ["name": .string("C"), "domain": .string("acme.eu-1")]
        let appKey = try ConnectionResolver.resolve(schema: schema("celonis"), values: base.merging(
            ["apiType": .string("data-push"), "authType": .string("custom"), "appKey": .string("AK"), "poolId": .string("pool-abc123")]) { a, _ in a })
        #expect(appKey.baseURI == "https://acme.eu-1.celonis.cloud")
        #expect(appKey.auth == .header(HeaderAuth(name: "Authorization", scheme: "AppKey", value: "AK")))
        #expect(appKey.tests.map(\.url) == ["https://acme.eu-1.celonis.cloud/integration/api/v1/data-push/pool-abc123/jobs/"])
        let token = try ConnectionResolver.resolve(schema: schema("celonis"), values: base.merging(
            ["apiType": .string("intelligence"), "authType": .string("token"), "apiKey": .string("UK")]) { a, _ in a })
        #expect(token.auth == .header(HeaderAuth(name: "Authorization", scheme: "Bearer", value: "UK")))
        #expect(token.tests.map(\.path) == ["/intelligence/api/knowledge-models?page=0&pageSize=1"])
        let oauth = try ConnectionResolver.resolve(schema: schema("celonis"), values: base.merging(
            ["apiType": .string("intelligence"), "authType": .string("oauth2"),
             "oauth2Client": .parts(["clientId": "cid", "clientSecret": "cs"]), "scopes": .list(["studio", "integration.data-pools"])]) { a, _ in a })
        guard case .oauth2(let settings)? = oauth.auth else { Issue.record("not oauth"); return }
        #expect(settings.grant == .clientCredentials)
        #expect(settings.tokenURL == "https://acme.eu-1.celonis.cloud/oauth2/token")
        #expect(settings.clientId == "cid")
        #expect(settings.clientSecret == "cs")
        #expect(settings.clientAuth == .basic)
        #expect(settings.scopes == ["studio", "integration.data-pools"])
    }

    @Test func certiniaFlows() throws {
        let refresh = try ConnectionResolver.resolve(schema: schema("certinia"), values: [
            "name": .string("SF"), "accountType": .string("sandbox"), "oauthFlow": .string("refresh-token"),
            "consumerKey": .string("ck"), "consumerSecret": .string("cs"), "concurrencyLevel": .number(10)])
        #expect(refresh.baseURI == "https://test.salesforce.com")
        #expect(refresh.concurrencyLevel == 10)
        guard case .oauth2(let code)? = refresh.auth else { Issue.record("not oauth"); return }
        #expect(code.grant == .authorizationCode)
        #expect(code.authorizeURL == "https://test.salesforce.com/services/oauth2/authorize")
        #expect(code.scopes == ["api", "refresh_token"])
        let jwt = try ConnectionResolver.resolve(schema: schema("certinia"), values: [
            "name": .string("SF"), "accountType": .string("production"), "oauthFlow": .string("jwt-bearer"),
            "consumerKey": .string("ck"), "username": .string("op@example.com"), "privateKeyFile": .string("/k.pem")])
        guard case .oauth2(let bearer)? = jwt.auth else { Issue.record("not oauth"); return }
        #expect(bearer.grant == .jwtBearer)
        #expect(bearer.audience == "https://login.salesforce.com")
        #expect(bearer.username == "op@example.com")
        #expect(bearer.clientSecret == nil)
    }

    @Test func httpTokenSchemesAndPaths() throws {
        var values: [String: FieldValue] = ["name": .string("H"), "baseUri": .string("https://api.example.com/v1/"), "token": .string("T"),
                                            "pingPath": .string("/me"), "headerName": .string("X-Api-Key"), "scheme": .string("None"),
                                            "pingMethod": .string("HEAD")]
        let none = try ConnectionResolver.resolve(schema: schema("http-token"), values: values)
        #expect(none.auth == .header(HeaderAuth(name: "X-Api-Key", scheme: nil, value: "T")))
        #expect(none.tests.first?.url == "https://api.example.com/v1/me")
        #expect(none.tests.first?.method == "HEAD")
        values["scheme"] = .string("Token")
        #expect(try ConnectionResolver.resolve(schema: schema("http-token"), values: values).auth == .header(HeaderAuth(name: "X-Api-Key", scheme: "Token", value: "T")))
        #expect(ConnectionResolver.join("https://h", "x") == "https://h/x")
        #expect(ConnectionResolver.join("https://h", "https://other/y") == "https://other/y")
    }

    @Test func masking() throws {
        let masked = try ConnectionResolver.resolve(schema: schema("celigo-integrator-io"), values: ioDraft().values, secretMask: "******")
        #expect(masked.auth == .header(HeaderAuth(name: "Authorization", scheme: "Bearer", value: "******")))
    }
}

@Suite("Celigo export")
struct ExportTests {
    @Test func integratorDocument() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        let saved = try store.save(ioDraft(), schema: schema("celigo-integrator-io"))
        let json = try CeligoDocument.json(connection: saved, schema: schema("celigo-integrator-io"))
        #expect(!json.contains("tok-SECRET-1"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(document["type"] as? String == "http")
        #expect(document["name"] as? String == "IO EU")
        #expect(document["offline"] as? Bool == false)
        let http = try #require(document["http"] as? [String: Any])
        #expect(http["baseURI"] as? String == "https://api.eu.integrator.io/v1")
        #expect(http["mediaType"] as? String == "json")
        let auth = try #require(http["auth"] as? [String: Any])
        #expect(auth["type"] as? String == "token")
        let token = try #require(auth["token"] as? [String: Any])
        #expect(token["token"] as? String == "******")
        #expect(token["location"] as? String == "header")
        #expect(token["scheme"] as? String == "Bearer")
        let ping = try #require(http["ping"] as? [String: Any])
        #expect(ping["relativeURI"] as? String == "/tokenInfo")
        #expect(ping["method"] as? String == "GET")
    }

    @Test func celonisOAuthAndCertiniaConcurrency() throws {
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        let celonis = try store.save(ConnectionDraft(connectorID: "celonis", values: [
            "name": .string("C"), "apiType": .string("intelligence"), "domain": .string("acme.eu-1"), "authType": .string("oauth2"),
            "oauth2Client": .parts(["clientId": "cid-1", "clientSecret": "csecret-XYZ"]),
            "validDomains": .string("acme.eu-1.celonis.cloud"), "scopes": .list(["studio"])]), schema: schema("celonis"))
        let json = try CeligoDocument.json(connection: celonis, schema: schema("celonis"))
        #expect(!json.contains("csecret-XYZ"))
        #expect(json.contains("\"grantType\" : \"clientcredentials\"") || json.contains("\"grantType\":\"clientcredentials\""))
        #expect(json.contains("basicauthheader"))
        let prod = try store.save(ConnectionDraft(connectorID: "certinia", values: [
            "name": .string("Prod"), "accountType": .string("production"), "oauthFlow": .string("refresh-token"),
            "consumerKey": .string("ck"), "consumerSecret": .string("cs-SECRET")]), schema: schema("certinia"))
        let sandbox = try store.save(ConnectionDraft(connectorID: "certinia", values: [
            "name": .string("Sbx"), "accountType": .string("sandbox"), "oauthFlow": .string("refresh-token"),
            "consumerKey": .string("ck"), "consumerSecret": .string("cs-SECRET"),
            "borrowConcurrencyFrom": .string(prod.id), "concurrencyLevel": .number(12)]), schema: schema("certinia"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(CeligoDocument.json(connection: sandbox, schema: schema("certinia")).utf8)) as? [String: Any])
        #expect(document["_borrowConcurrencyFromConnectionId"] as? String == prod.id)
        #expect((document["http"] as? [String: Any])?["concurrencyLevel"] as? Int == 12)
        #expect(try !CeligoDocument.json(connection: sandbox, schema: schema("certinia")).contains("cs-SECRET"))
    }
}

@Suite("Celigo export of test requests")
struct TestRequestExportTests {
    static let text = """
    version: 1
    id: acme-keys
    title: Acme keys
    fields:
      - {id: name, label: Name, kind: text, required: true}
      - {id: key, label: Key, kind: secret, required: true}
      - {id: version, label: API version, kind: text, default: "2026-01"}
    http:
      baseURI: https://api.acme.example
      auth: {type: header, headerName: X-Api-Key, value: "{{key}}"}
      tests:
        - path: /me
          headers: {Accept: application/vnd.acme+json, X-Api-Version: "{{version}}", X-Key-Echo: "{{key}}"}
          errorPath: error.message
          success: {noArray: errors}
    """

    func document(_ text: String = text) throws -> [String: Any] {
        let result = SchemaLoader.load(text: text, file: "acme-keys.yaml")
        let schema = try #require(result.schema, "\(result.diagnostics)")
        let home = TemporaryFolder()
        let store = ConnectionStore(home: HomeFolder(path: home.path), environment: [:])
        let saved = try store.save(ConnectionDraft(connectorID: "acme-keys", values: [
            "name": .string("Acme"), "key": .string("acme-SECRET-77"), "version": .string("2026-01")]), schema: schema)
        let json = try CeligoDocument.json(connection: saved, schema: schema)
        #expect(!json.contains("acme-SECRET-77"))
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func headersOfTheTestRequestAreKept() throws {
        let http = try #require(try document()["http"] as? [String: Any])
        let headers = try #require(http["headers"] as? [[String: String]])
        #expect(headers == [["name": "Accept", "value": "application/vnd.acme+json"],
                            ["name": "X-Api-Version", "value": "2026-01"],
                            ["name": "X-Key-Echo", "value": "******"]])
        let ping = try #require(http["ping"] as? [String: Any])
        #expect(ping["errorPath"] as? String == "error.message", "errorPath wins over noArray")
    }

    @Test func aHeaderWithoutSchemeSaysSo() throws {
        let http = try #require(try document()["http"] as? [String: Any])
        let token = try #require((http["auth"] as? [String: Any])?["token"] as? [String: Any])
        #expect(token["headerName"] as? String == "X-Api-Key")
        #expect(token["scheme"] as? String == CeligoDocument.noScheme)
        #expect(token["token"] as? String == "******")

        // Without headers of its own, the document has none; noArray stays the errorPath.
        let bare = Self.text.replacingOccurrences(of: "      headers: {Accept: application/vnd.acme+json, X-Api-Version: \"{{version}}\", X-Key-Echo: \"{{key}}\"}\n", with: "")
            .replacingOccurrences(of: "      errorPath: error.message\n", with: "")
        let plain = try #require(try document(bare)["http"] as? [String: Any])
        #expect(plain["headers"] == nil)
        #expect((plain["ping"] as? [String: Any])?["errorPath"] as? String == "errors")
    }
}
