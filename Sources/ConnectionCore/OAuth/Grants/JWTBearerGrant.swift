import ConnectorSchema
import Foundation

/// The JWT bearer grant (RFC 7523 §2.1): an assertion signed with the connection's private
/// key buys a token. The client ID is the assertion's issuer, so no client authentication is sent.
struct JWTBearerGrant: GrantRunner {
    /// The audience when the connector names none: the base URI.
    let defaultAudience: String

    func token(_ oauth: OAuth2Settings, in run: inout AttemptRun) async -> TokenResult {
        let assertion: String
        do {
            assertion = try JWTAssertion.make(keyFile: oauth.privateKeyFile ?? "", issuer: oauth.clientId,
                                              subject: oauth.username ?? "", audience: oauth.audience ?? defaultAudience, now: run.clock())
        } catch {
            return .failure(TestOutcome(kind: .notSent, line: "Not sent: \(error)"))
        }
        run.redactor.add(assertion)
        let fields = [("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion)]
        return await run.requestToken(oauth, fields: fields, authenticatesClient: false, keeps: false)
    }
}
