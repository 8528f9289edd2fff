import ConnectorSchema
import Foundation

/// The refresh-token grant (RFC 6749 §6) with a refresh token the operator gave as an answer:
/// Amazon's Login with Amazon for a self-authorized seller, a Zoho self client. Each test
/// trades it for an access token; nothing is stored beside the answers.
struct GivenRefreshGrant: GrantRunner {
    func token(_ oauth: OAuth2Settings, in run: inout AttemptRun) async -> TokenResult {
        guard let refresh = oauth.givenRefreshToken, !refresh.isEmpty else {
            return .failure(TestOutcome(kind: .notSent, line: "Not tested: the refresh token is empty"))
        }
        run.redactor.add(refresh)
        var fields = [("grant_type", "refresh_token"), ("refresh_token", refresh)]
        if !oauth.scopes.isEmpty { fields.append(("scope", oauth.scopes.joined(separator: oauth.scopeDelimiter))) }
        return await run.requestToken(oauth, fields: fields, purpose: "Token request (refresh token)", keeps: false)
    }
}
