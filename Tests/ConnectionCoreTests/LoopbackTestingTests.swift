import ConnectionCore
import Foundation
import Sandbox
import Testing
import TestSupport

/// Every built-in connector and Celonis auth type, tested over real sockets against the
/// sandbox; what arrived is checked on the sandbox's side.
@Suite("Testing connections over loopback", .serialized)
struct LoopbackTestingTests {
    @Test func integratorSucceedsInItsRegionOnly() async throws {
        let rig = try await LoopbackRig.start()
        defer { Task { await rig.stop() } }
        let good = try await rig.test("celigo-integrator-io", ["name": "IO", "region": "europe", "token": "sbx-io-eu-token"])
        #expect(good.outcome.kind == .succeeded)
        #expect(good.outcome.line.hasPrefix("Test succeeded: 200 OK in "))
        let arrived = try #require(rig.received.first)
        #expect(arrived.method == "GET" && arrived.host == "api.eu.integrator.io" && arrived.path == "/v1/tokenInfo")
        #expect(arrived.headers["authorization"] == "Bearer sbx-io-eu-token")
        #expect(good.exchanges.first?.url == "https://api.eu.integrator.io/v1/tokenInfo")
        #expect(good.exchanges.first?.sandboxURL?.hasPrefix(rig.server.url) == true)
        #expect(good.exchanges.first?.requestHeaders.contains(HeaderField("Authorization", "Bearer " + Redactor.fingerprint("sbx-io-eu-token"))) == true)

        let wrongRegion = try await rig.test("celigo-integrator-io", ["name": "IO", "region": "north-america", "token": "sbx-io-eu-token"])
        #expect(wrongRegion.outcome.kind == .rejected)
        #expect(wrongRegion.outcome.status == 401)
        #expect(wrongRegion.outcome.line.contains("“The API token is not valid for this account.”"))
        #expect(wrongRegion.outcome.hint?.contains("region") == true)
        #expect(rig.received.first?.host == "api.integrator.io")

        let wrongToken = try await rig.test("celigo-integrator-io", ["name": "IO", "region": "europe", "token": "not-the-token"])
        #expect(wrongToken.outcome.kind == .rejected)
        #expect(rig.home.filesContaining("not-the-token").isEmpty)
        #expect(rig.home.filesContaining("sbx-io-eu-token").isEmpty)
    }

    @Test(arguments: [
        ("custom", "appKey", "sbx-celonis-appkey", "AppKey"),
        ("token", "apiKey", "sbx-celonis-apikey", "Bearer"),
    ])
    func celonisKeyAuthTypes(authType: String, field: String, secret: String, scheme: String) async throws {
        let rig = try await LoopbackRig.start()
        defer { Task { await rig.stop() } }
        for apiType in ["intelligence", "data-push"] {
            var answers = ["name": "C", "apiType": apiType, "domain": "https://acme.eu-1.celonis.cloud/", "authType": authType, field: secret]
            if apiType == "data-push" { answers["poolId"] = "https://acme.eu-1.celonis.cloud/integration/ui/data-pools/pool-abc123" }
            let good = try await rig.test("celonis", answers)
            #expect(good.outcome.kind == .succeeded, "\(apiType) \(authType): \(good.outcome.line)")
            let arrived = try #require(rig.received.first)
            #expect(arrived.host == "acme.eu-1.celonis.cloud")
            #expect(arrived.authorizationScheme == scheme)
            #expect(arrived.headers["authorization"] == "\(scheme) \(secret)")
            #expect(arrived.path == (apiType == "data-push" ? "/integration/api/v1/data-push/pool-abc123/jobs/" : "/intelligence/api/knowledge-models"))

            var wrong = answers
            wrong[field] = "wrong-\(secret)"
            #expect(try await rig.test("celonis", wrong).outcome.kind == .rejected)

            var otherDomain = answers
            otherDomain["domain"] = "globex.eu-1"
            let notFound = try await rig.test("celonis", otherDomain)
            #expect(notFound.outcome.kind == .notFound)
            #expect(rig.received.first?.host == "globex.eu-1.celonis.cloud")

            if apiType == "data-push" {
                var otherPool = answers
                otherPool["poolId"] = "pool-zzz999"
                let noPool = try await rig.test("celonis", otherPool)
                #expect(noPool.outcome.kind == .notFound)
                #expect(noPool.outcome.hint?.contains("pool ID") == true)
            }
        }
        #expect(rig.home.filesContaining(secret).isEmpty)
    }

    @Test func celonisOAuthClientCredentials() async throws {
        let rig = try await LoopbackRig.start()
        defer { Task { await rig.stop() } }
        var answers = ["name": "C", "apiType": "intelligence", "domain": "acme.eu-1", "authType": "oauth2",
                       "oauth2Client.clientId": "sbx-celonis-client", "oauth2Client.clientSecret": "sbx-celonis-secret",
                       "validDomains": "acme.eu-1.celonis.cloud", "scopes": "studio"]
        let good = try await rig.test("celonis", answers)
        #expect(good.outcome.kind == .succeeded, "\(good.outcome.line)")
        #expect(good.exchanges.map(\.purpose) == ["Token request", "List knowledge models"])
        let token = try #require(rig.received.first)
        #expect(token.method == "POST" && token.path == "/oauth2/token" && token.authorizationScheme == "Basic")
        #expect(String(decoding: token.body, as: UTF8.self) == "grant_type=client_credentials&scope=studio")
        let call = try #require(rig.received.last)
        #expect(call.authorizationScheme == "Bearer")
        let issued = String(call.headers["authorization"]!.dropFirst(7))
        // The issued token appears nowhere in the log, only its fingerprint.
        #expect(rig.home.filesContaining(issued).isEmpty)
        #expect(rig.home.filesContaining("sbx-celonis-secret").isEmpty)
        #expect(good.exchanges[0].response?.body.text?.contains(Redactor.fingerprint(issued)) == true)

        answers["oauth2Client.clientSecret"] = "wrong-secret"
        let badClient = try await rig.test("celonis", answers)
        #expect(badClient.outcome.kind == .rejected)
        #expect(badClient.outcome.line.hasPrefix("Token request rejected: 401"))
        #expect(badClient.outcome.serviceMessage?.contains("invalid_client") == true)

        answers["oauth2Client.clientSecret"] = "sbx-celonis-secret"
        answers["scopes"] = "integration.data-pools"
        let lacking = try await rig.test("celonis", answers)
        #expect(lacking.outcome.kind == .rejected && lacking.outcome.status == 403)
        #expect(lacking.outcome.serviceMessage?.contains("Access Denied") == true)

        // A wrong domain: the team's token endpoint is not there.
        var otherTeam = answers
        otherTeam["domain"] = "globex.eu-1"
        otherTeam["validDomains"] = "globex.eu-1.celonis.cloud"
        let noTeam = try await rig.test("celonis", otherTeam)
        #expect(noTeam.outcome.kind == .notFound)
        #expect(noTeam.outcome.line.hasPrefix("Token request failed: 404 Not Found for /oauth2/token"))
        #expect(rig.received.map(\.host) == ["globex.eu-1.celonis.cloud"])

        // A host outside the valid domain names gets no token: nothing at all is sent.
        answers["scopes"] = "studio"
        answers["validDomains"] = "other.eu-1.celonis.cloud"
        let offLimits = try await rig.test("celonis", answers)
        #expect(offLimits.outcome.kind == .notSent)
        #expect(offLimits.exchanges.isEmpty && rig.received.isEmpty)
    }

    @Test func certiniaJWTBearer() async throws {
        let rig = try await LoopbackRig.start()
        defer { Task { await rig.stop() } }
        var answers = ["name": "Cert", "accountType": "production", "oauthFlow": "jwt-bearer", "consumerKey": "sbx-sf-client",
                       "username": "operator@example.com", "privateKeyFile": rig.keyFile]
        let good = try await rig.test("certinia", answers)
        #expect(good.outcome.kind == .succeeded, "\(good.outcome.line)")
        #expect(rig.received.map(\.host) == ["login.salesforce.com", "acme.my.salesforce.com"])
        #expect(rig.received.map(\.method) == ["POST", "GET"])
        #expect(rig.received[0].path == "/services/oauth2/token")
        #expect(rig.received[1].authorizationScheme == "Bearer")
        let form = String(decoding: rig.received[0].body, as: UTF8.self)
        #expect(form.hasPrefix("grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=ey"))
        #expect(rig.received[1].path == "/services/oauth2/userinfo")
        let assertion = String(form.split(separator: "=").last!)
        #expect(rig.home.filesContaining(assertion).isEmpty)
        #expect(good.exchanges[0].requestBody?.text?.contains("assertion=sha256:") == true)

        answers["accountType"] = "sandbox"
        let wrongOrg = try await rig.test("certinia", answers)
        #expect(wrongOrg.outcome.kind == .clientError)
        #expect(wrongOrg.outcome.serviceMessage?.contains("invalid_grant") == true)
        #expect(rig.received.first?.host == "test.salesforce.com")

        answers["accountType"] = "production"
        answers["privateKeyFile"] = rig.home.write("other.pem", try SandboxService(stateFolder: nil).salesforcePrivateKeyPEM)
        let wrongKey = try await rig.test("certinia", answers)
        #expect(wrongKey.outcome.serviceMessage == "invalid_grant: invalid assertion")

        answers["privateKeyFile"] = rig.home.file("missing.pem")
        let missing = try await rig.test("certinia", answers)
        #expect(missing.outcome.kind == .notSent && missing.exchanges.isEmpty)
        #expect(missing.outcome.line.contains("missing.pem cannot be read"))
    }

    @Test func certiniaRefreshTokenFlowNeedsAuthorizationFirst() async throws {
        let rig = try await LoopbackRig.start()
        defer { Task { await rig.stop() } }
        let attempt = try await rig.test("certinia", ["name": "Cert", "accountType": "production", "oauthFlow": "refresh-token",
                                                      "consumerKey": "sbx-sf-client", "consumerSecret": "sbx-sf-secret"])
        #expect(attempt.outcome.kind == .notSent)
        #expect(attempt.outcome.line.hasPrefix("Not authorized yet"))
        #expect(rig.received.isEmpty)
    }

    @Test func httpTokenWithCustomHeader() async throws {
        let rig = try await LoopbackRig.start()
        defer { Task { await rig.stop() } }
        let answers = ["name": "H", "baseUri": "https://api.integrator.io/v1", "token": "sbx-io-na-token", "pingPath": "/tokenInfo"]
        let good = try await rig.test("http-token", answers)
        #expect(good.outcome.kind == .succeeded)
        #expect(rig.received.first?.headers["authorization"] == "Bearer sbx-io-na-token")
        var wrong = answers
        wrong["token"] = "sbx-io-eu-token"
        #expect(try await rig.test("http-token", wrong).outcome.kind == .rejected)
        var custom = answers
        custom["headerName"] = "X-Api-Key"
        custom["scheme"] = "None"
        let sent = try await rig.test("http-token", custom)
        #expect(rig.received.first?.headers["x-api-key"] == "sbx-io-na-token")
        #expect(sent.outcome.kind == .rejected)
        #expect(sent.exchanges.first?.requestHeaders.first { $0.name == "X-Api-Key" }?.value == Redactor.fingerprint("sbx-io-na-token"))
    }
}
