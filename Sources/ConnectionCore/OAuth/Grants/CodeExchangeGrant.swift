import ConnectorSchema
import Foundation

/// The authorization-code grant with PKCE (RFC 6749 §4.1.3, RFC 7636 §4.5): the code the
/// browser came back with, and the verifier only this sign-in knows, buy the first tokens.
struct CodeExchangeGrant: GrantRunner {
    let code: String
    let verifier: String
    let redirectURI: String
    /// The callback's values the connector keeps (`realmId`), stored with the tokens.
    var callback: [String: String] = [:]

    func token(_ oauth: OAuth2Settings, in run: inout AttemptRun) async -> TokenResult {
        run.redactor.add(code)
        run.redactor.add(verifier)
        let fields = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", verifier)]
        let result = await run.requestToken(oauth, fields: fields, purpose: "Token request (authorization code)", keeps: true)
        if case .success = result, !callback.isEmpty { run.obtained?.callbackValues = callback }
        return result
    }
}
