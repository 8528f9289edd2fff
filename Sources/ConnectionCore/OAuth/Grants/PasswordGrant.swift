import ConnectorSchema
import Foundation

/// The resource owner password grant (RFC 6749 §4.3): the user's name and password, with the
/// client's own authentication, buy a token for this attempt.
struct PasswordGrant: GrantRunner {
    func token(_ oauth: OAuth2Settings, in run: inout AttemptRun) async -> TokenResult {
        var fields = [("grant_type", "password"), ("username", oauth.username ?? ""), ("password", oauth.password ?? "")]
        if !oauth.scopes.isEmpty { fields.append(("scope", oauth.scopes.joined(separator: oauth.scopeDelimiter))) }
        return await run.requestToken(oauth, fields: fields, purpose: "Token request (password grant)", keeps: false)
    }
}
