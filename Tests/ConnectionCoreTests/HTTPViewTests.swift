import ConnectionCore
import ConnectorSchema
import Foundation
import Testing
import TestSupport

/// The HTTP view: what answers resolve to, with every credential as a fingerprint.
@Suite("HTTP view")
struct HTTPViewTests {
    func lines(_ connector: String, _ answers: [String: String]) throws -> [String] {
        let schema = try #require(ConnectorCatalog.builtin().connector(connector))
        return HTTPView.lines(schema: schema, values: try LoopbackRig.values(connector, answers))
    }

    func expectNoForm(of secret: String, in lines: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let text = lines.joined(separator: "\n")
        for form in [secret, String(secret.prefix(12)), Data(secret.utf8).base64EncodedString()] {
            #expect(!text.contains(form), "a form of a secret is in the HTTP view", sourceLocation: sourceLocation)
        }
    }

    @Test func aTokenShowsAsItsSchemeAndFingerprint() throws {
        let token = "view-token-0a1b2c3d4e5f6a7b"
        let shown = try lines("celigo-integrator-io", ["name": "IO", "region": "europe", "token": token])
        #expect(shown.contains("Base URI        https://api.eu.integrator.io/v1"), "\(shown)")
        #expect(shown.contains("Authentication  header Authorization: Bearer \(Redactor.fingerprint(token))"))
        #expect(shown.contains { $0.contains("GET https://api.eu.integrator.io/v1/tokenInfo") })
        #expect(shown.contains { $0.contains("succeeds on: status 200, no errors array, _userId present") }, "\(shown)")
        expectNoForm(of: token, in: shown)

        let northAmerica = try lines("celigo-integrator-io", ["name": "IO", "region": "north-america", "token": token])
        #expect(northAmerica.contains("Base URI        https://api.integrator.io/v1"), "the view follows the answers")
    }

    /// Issue 19, item 16: the JWT bearer grant sends no Basic header, and the view says so.
    @Test func theJWTBearerGrantSaysItSendsNoClientSecret() throws {
        let folder = TemporaryFolder()
        let key = folder.write("jwt.pem", sharedSalesforceKey)
        let shown = try lines("certinia", ["name": "C", "accountType": "sandbox", "oauthFlow": "jwt-bearer", "consumerKey": "sbx-sf-client",
                                           "username": "operator@example.com", "privateKeyFile": key])
        let text = shown.joined(separator: "\n")
        #expect(!text.contains("Basic"), "\(text)")
        #expect(text.contains("client ID sbx-sf-client, as the issuer (iss) of the signed JWT assertion; no client secret is sent"), "\(text)")
    }

    @Test func anOAuthClientSaysWhereTheTokenGoes() throws {
        let secret = "view-client-secret-9f8e7d6c"
        let shown = try lines("certinia", ["name": "C", "accountType": "sandbox", "consumerKey": "sbx-sf-client", "consumerSecret": secret])
        let text = shown.joined(separator: "\n")
        #expect(text.contains("authorization code with PKCE"))
        #expect(text.contains("secret \(Redactor.fingerprint(secret))"))
        #expect(text.contains("sent only to the host of the token response's instance_url"), "\(text)")
        expectNoForm(of: secret, in: shown)
    }

    @Test func unresolvedAnswersSayWhy() throws {
        let schema = try #require(ConnectorCatalog.builtin().connector("http-token"))
        let shown = HTTPView.lines(schema: schema, values: [:])
        #expect(shown.first == "Base URI        (not known yet: it is built from answers still to give)", "\(shown)")
        let none = try #require(ConnectorCatalog.builtin().connector("http-token"))
        var noHTTP = none
        noHTTP.http = nil
        #expect(HTTPView.lines(schema: noHTTP, values: [:]).first?.hasPrefix("Not resolved yet: connector http-token declares no HTTP mapping") == true)
    }
}
