import Foundation
import Sandbox
import Testing
import TestSupport

/// The emulator without sockets: each service's success and failure shapes.
@Suite("Sandbox services")
struct SandboxServiceTests {
    let service = try! SandboxService(stateFolder: nil)

    func call(_ method: String, _ host: String, _ target: String, headers: [String: String] = [:], body: String = "") -> SandboxResponse {
        service.handle(SandboxRequest(method: method, hostHeader: host, target: target, headers: headers, body: Data(body.utf8)))
    }

    func json(_ response: SandboxResponse) -> Any? { try? JSONSerialization.jsonObject(with: response.data) }

    func firstError(_ response: SandboxResponse) -> String? {
        ((json(response) as? [String: Any])?["errors"] as? [[String: Any]])?.first?["message"] as? String
    }

    /// Every host the index lists is answered by its stand-in, also when a browser names it
    /// through `sandbox_host`; any other host gets 421 with the list.
    @Test func everyListedHostIsAnsweredAndNoOtherIs() {
        #expect(SandboxService.emulatedHosts.count == 8)
        for host in SandboxService.emulatedHosts {
            #expect(call("GET", host, "/no-such-path").status != 421, "\(host)")
            #expect(call("GET", "127.0.0.1", "/no-such-path?sandbox_host=\(host)").status != 421, "\(host) named by a browser")
        }
        let other = call("GET", "api.example.com", "/")
        #expect(other.status == 421)
        #expect(firstError(other) == "The connwiz sandbox does not emulate api.example.com. It answers for: "
                + SandboxService.emulatedHosts.joined(separator: ", ") + ".")
        #expect(call("GET", "other-team.celonis.cloud", "/").status == 404, "another Celonis team is Celonis's 404, not 421")
    }

    @Test func integratorTokensWorkOnlyInTheirRegion() {
        let na = ["Authorization": "Bearer sbx-io-na-token"]
        let eu = ["Authorization": "Bearer sbx-io-eu-token"]
        #expect(call("GET", "api.integrator.io", "/v1/tokenInfo", headers: na).status == 200)
        #expect(call("GET", "api.eu.integrator.io", "/v1/tokenInfo", headers: eu).status == 200)
        let wrongRegion = call("GET", "api.integrator.io", "/v1/tokenInfo", headers: eu)
        #expect(wrongRegion.status == 401)
        #expect(firstError(wrongRegion) != nil)
        #expect(call("GET", "api.eu.integrator.io", "/v1/tokenInfo").status == 401)
        let info = json(call("GET", "api.integrator.io", "/v1/tokenInfo", headers: na)) as? [String: Any]
        #expect(info?["scope"] as? String == "*")
        #expect(info?["_userId"] is String)
    }

    @Test func integratorConnectionsLifecycle() throws {
        let auth = ["Authorization": "Bearer sbx-io-eu-token", "Content-Type": "application/json"]
        #expect(call("GET", "api.eu.integrator.io", "/v1/connections", headers: auth).status == 204)
        let invalid = call("POST", "api.eu.integrator.io", "/v1/connections", headers: auth, body: #"{"type":"http"}"#)
        #expect(invalid.status == 422)
        #expect(((json(invalid) as? [String: Any])?["errors"] as? [[String: Any]])?.first?["field"] as? String == "name")
        let document = #"{"name":"C","type":"http","http":{"baseURI":"https://acme.eu-1.celonis.cloud","ping":{"relativeURI":"/intelligence/api/knowledge-models","method":"GET"},"auth":{"type":"token","token":{"token":"sbx-celonis-appkey","scheme":"AppKey","headerName":"Authorization","location":"header"}}}}"#
        let created = call("POST", "api.eu.integrator.io", "/v1/connections", headers: auth, body: document)
        #expect(created.status == 201)
        let body = try #require(json(created) as? [String: Any])
        let id = try #require(body["_id"] as? String)
        #expect(String(decoding: created.data, as: UTF8.self).contains("******"))
        #expect(!String(decoding: created.data, as: UTF8.self).contains("sbx-celonis-appkey"))
        // Other regions do not see it.
        #expect(call("GET", "api.integrator.io", "/v1/connections/\(id)", headers: ["Authorization": "Bearer sbx-io-na-token"]).status == 404)
        #expect(call("GET", "api.eu.integrator.io", "/v1/connections/\(id)", headers: auth).status == 200)
        #expect((json(call("GET", "api.eu.integrator.io", "/v1/connections", headers: auth)) as? [Any])?.count == 1)
        // The ping really calls the emulated Celonis with the stored key.
        let ping = call("POST", "api.eu.integrator.io", "/v1/connections/\(id)/ping", headers: auth)
        #expect(ping.status == 200 && firstError(ping) == nil)
        #expect(service.journal.all.contains { $0.host == "acme.eu-1.celonis.cloud" && $0.authorizationScheme == "AppKey" })
        let broken = document.replacingOccurrences(of: "sbx-celonis-appkey", with: "wrong")
        let unsavedPing = call("POST", "api.eu.integrator.io", "/v1/connections/ping", headers: auth, body: broken)
        #expect(unsavedPing.status == 200)
        #expect(firstError(unsavedPing)?.contains("401") == true)
        // PUT merges, GET oauth2 is refused for a token connection, DELETE removes.
        let put = call("PUT", "api.eu.integrator.io", "/v1/connections/\(id)", headers: auth, body: #"{"http":{"concurrencyLevel":5}}"#)
        #expect(put.status == 200)
        #expect(((json(put) as? [String: Any])?["http"] as? [String: Any])?["concurrencyLevel"] as? Int == 5)
        #expect(call("GET", "api.eu.integrator.io", "/v1/connection/\(id)/oauth2", headers: auth).status == 422)
        #expect(call("DELETE", "api.eu.integrator.io", "/v1/connections/\(id)", headers: auth).status == 204)
        #expect(call("GET", "api.eu.integrator.io", "/v1/connections/\(id)", headers: auth).status == 404)
    }

    @Test func aPingSendsTheConnectionsHeadersAndAHeaderWithoutScheme() throws {
        // As connwiz exports a header auth without a scheme word, with a test request's headers.
        let auth = ["Authorization": "Bearer sbx-io-eu-token", "Content-Type": "application/json"]
        let document = #"{"name":"H","type":"http","http":{"baseURI":"http://127.0.0.1:9/_faults","ping":{"relativeURI":"/ok","method":"GET"},"headers":[{"name":"X-Api-Version","value":"2026-01"}],"auth":{"type":"token","token":{"token":"plain-key-1234","scheme":"None","headerName":"X-Api-Key","location":"header"}}}}"#
        let ping = call("POST", "api.eu.integrator.io", "/v1/connections/ping", headers: auth, body: document)
        #expect(ping.status == 200 && firstError(ping) == nil, "\(String(decoding: ping.data, as: UTF8.self))")
        let sent = try #require(service.journal.all.first { $0.path == "/_faults/ok" })
        #expect(sent.headers["x-api-version"] == "2026-01")
        #expect(sent.headers["x-api-key"] == "plain-key-1234")
    }

    @Test func celonisAuthenticationShapes() {
        let host = "acme.eu-1.celonis.cloud"
        let models = "/intelligence/api/knowledge-models?page=0&pageSize=1"
        #expect(call("GET", host, models, headers: ["Authorization": "AppKey sbx-celonis-appkey"]).status == 200)
        #expect(call("GET", host, models, headers: ["Authorization": "Bearer sbx-celonis-apikey"]).status == 200)
        #expect(call("GET", host, models, headers: ["Authorization": "AppKey sbx-celonis-apikey"]).status == 401)
        let malformed = call("GET", host, models, headers: ["Authorization": "Token sbx-celonis-appkey"])
        #expect(malformed.status == 401)
        #expect(String(decoding: malformed.data, as: UTF8.self).contains(#"Should start either with \"Bearer \" or \"AppKey \""#))
        let page = json(call("GET", host, models, headers: ["Authorization": "AppKey sbx-celonis-appkey"])) as? [String: Any]
        #expect((page?["content"] as? [Any])?.count == 1)
        #expect(call("GET", "other.eu-1.celonis.cloud", models, headers: ["Authorization": "AppKey sbx-celonis-appkey"]).status == 404)
        let jobs = "/integration/api/v1/data-push/pool-abc123/jobs/"
        #expect(call("GET", host, jobs, headers: ["Authorization": "AppKey sbx-celonis-appkey"]).status == 200)
        let unknownPool = call("GET", host, "/integration/api/v1/data-push/pool-zzz/jobs/", headers: ["Authorization": "AppKey sbx-celonis-appkey"])
        #expect(unknownPool.status == 404 && unknownPool.data.isEmpty)
    }

    @Test func celonisClientCredentialsAndScopes() throws {
        let host = "acme.eu-1.celonis.cloud"
        let basic = "Basic " + Data("sbx-celonis-client:sbx-celonis-secret".utf8).base64EncodedString()
        let form = ["Authorization": basic, "Content-Type": "application/x-www-form-urlencoded"]
        let token = call("POST", host, "/oauth2/token", headers: form, body: "grant_type=client_credentials&scope=integration.data-pools")
        #expect(token.status == 200)
        let issued = try #require((json(token) as? [String: Any])?["access_token"] as? String)
        let bearer = ["Authorization": "Bearer \(issued)"]
        #expect(call("GET", host, "/integration/api/v1/data-push/pool-abc123/jobs/", headers: bearer).status == 200)
        // The scope does not cover knowledge models: 403 with Celonis's error code.
        let denied = call("GET", host, "/intelligence/api/knowledge-models", headers: bearer)
        #expect(denied.status == 403)
        #expect((json(denied) as? [String: Any])?["errorCode"] as? String == "ADMIN_ACCESS_ERROR")
        #expect(call("POST", host, "/oauth2/token", headers: form, body: "grant_type=client_credentials&scope=admin").status == 400)
        let badSecret = ["Authorization": "Basic " + Data("sbx-celonis-client:nope".utf8).base64EncodedString()]
        let refused = call("POST", host, "/oauth2/token", headers: badSecret, body: "grant_type=client_credentials&scope=studio")
        #expect(refused.status == 401)
        #expect((json(refused) as? [String: Any])?["error"] as? String == "invalid_client")
    }

    @Test func salesforceGrantsAndSessions() throws {
        let form = ["Content-Type": "application/x-www-form-urlencoded"]
        let password = "grant_type=password&client_id=sbx-sf-client&client_secret=sbx-sf-secret&username=operator%40example.com&password=sbx-prod-pass"
        let token = call("POST", "login.salesforce.com", "/services/oauth2/token", headers: form, body: password)
        #expect(token.status == 200)
        let body = try #require(json(token) as? [String: Any])
        #expect(body["instance_url"] as? String == "https://acme.my.salesforce.com")
        #expect(body["token_type"] as? String == "Bearer")
        #expect(body["signature"] is String && body["issued_at"] is String)
        let access = try #require(body["access_token"] as? String)
        #expect(call("GET", "acme.my.salesforce.com", "/services/oauth2/userinfo", headers: ["Authorization": "Bearer \(access)"]).status == 200)
        #expect(call("GET", "acme.my.salesforce.com", "/services/data/v62.0/limits", headers: ["Authorization": "Bearer \(access)"]).status == 200)
        // A production session is not valid in the sandbox org.
        let elsewhere = call("GET", "acme--sbx.sandbox.my.salesforce.com", "/services/oauth2/userinfo", headers: ["Authorization": "Bearer \(access)"])
        #expect(elsewhere.status == 401)
        #expect(((json(elsewhere) as? [[String: Any]])?.first?["errorCode"] as? String) == "INVALID_SESSION_ID")
        // The sandbox user signs in at test.salesforce.com only.
        let wrongHost = call("POST", "login.salesforce.com", "/services/oauth2/token", headers: form,
                             body: "grant_type=password&client_id=sbx-sf-client&client_secret=sbx-sf-secret&username=operator%40example.com.sbx&password=sbx-test-pass")
        #expect((json(wrongHost) as? [String: Any])?["error"] as? String == "invalid_grant")
        let badClient = call("POST", "login.salesforce.com", "/services/oauth2/token", headers: form, body: "grant_type=password&client_id=nope&client_secret=x")
        #expect((json(badClient) as? [String: Any])?["error"] as? String == "invalid_client_id")
        let badRefresh = call("POST", "test.salesforce.com", "/services/oauth2/token", headers: form, body: "grant_type=refresh_token&client_id=sbx-sf-client&refresh_token=old")
        #expect(badRefresh.status == 400)
        #expect((json(badRefresh) as? [String: Any])?["error_description"] as? String == "expired access/refresh token")
    }

    @Test func unknownHostsAreNamedNotGuessed() {
        let response = call("GET", "api.example.com", "/")
        #expect(response.status == 421)
        #expect(firstError(response)?.contains("api.example.com") == true)
    }

    @Test func stateOnDiskHoldsNoTokenInTheClear() throws {
        let folder = TemporaryFolder()
        let stored = try SandboxService(stateFolder: folder.path + "/sandbox")
        let basic = "Basic " + Data("sbx-celonis-client:sbx-celonis-secret".utf8).base64EncodedString()
        let token = stored.handle(SandboxRequest(method: "POST", hostHeader: "acme.eu-1.celonis.cloud", target: "/oauth2/token",
                                                 headers: ["Authorization": basic], body: Data("grant_type=client_credentials&scope=studio".utf8)))
        let issued = try #require((try JSONSerialization.jsonObject(with: token.data) as? [String: Any])?["access_token"] as? String)
        _ = stored.handle(SandboxRequest(method: "POST", hostHeader: "api.integrator.io", target: "/v1/connections",
                                         headers: ["Authorization": "Bearer sbx-io-na-token"],
                                         body: Data(#"{"name":"X","type":"http","http":{"baseURI":"https://x.example","auth":{"type":"token","token":{"token":"doc-secret-4711"}}}}"#.utf8)))
        #expect(folder.filesContaining(issued).isEmpty)
        #expect(folder.filesContaining("doc-secret-4711").isEmpty)
        // A second service on the same folder (another process) accepts the token.
        let again = try SandboxService(stateFolder: folder.path + "/sandbox")
        let models = again.handle(SandboxRequest(method: "GET", hostHeader: "acme.eu-1.celonis.cloud", target: "/intelligence/api/knowledge-models",
                                                 headers: ["Authorization": "Bearer \(issued)"], body: Data()))
        #expect(models.status == 200)
        let listed = again.handle(SandboxRequest(method: "GET", hostHeader: "api.integrator.io", target: "/v1/connections",
                                                 headers: ["Authorization": "Bearer sbx-io-na-token"], body: Data()))
        #expect((try JSONSerialization.jsonObject(with: listed.data) as? [Any])?.count == 1)
    }
}
