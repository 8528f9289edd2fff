import ConnectorSchema
import Foundation

/// The client-credentials grant (RFC 6749 §4.4): the client's own ID and secret buy a token.
struct ClientCredentialsGrant: GrantRunner {
    func token(_ oauth: OAuth2Settings, in run: inout AttemptRun) async -> TokenResult {
        var fields = [("grant_type", "client_credentials")]
        if !oauth.scopes.isEmpty { fields.append(("scope", oauth.scopes.joined(separator: oauth.scopeDelimiter))) }
        return await run.requestToken(oauth, fields: fields, keeps: false)
    }
}
