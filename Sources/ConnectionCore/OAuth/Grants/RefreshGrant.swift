import ConnectorSchema
import Foundation

/// The refresh-token grant (RFC 6749 §6) with the refresh token held. `invalid_grant` means
/// the connection has to be authorized again.
struct RefreshGrant: GrantRunner {
    func token(_ oauth: OAuth2Settings, in run: inout AttemptRun) async -> TokenResult {
        guard let refresh = run.subject.credentials?.refreshToken, !refresh.isEmpty else {
            var outcome = TestOutcome(kind: .notSent, line: "Not authorized yet: this connection signs in through a browser; authorize it first, then test")
            outcome.next = .authorize
            return .failure(outcome)
        }
        run.redactor.add(refresh)
        var fields = [("grant_type", "refresh_token"), ("refresh_token", refresh)]
        var headers: [HeaderField] = []
        run.authenticateClient(oauth, fields: &fields, headers: &headers)
        let result = await run.send(.form(purpose: "Token refresh", url: oauth.tokenURL, fields: fields, headers: headers))
        if result.status == 400 || result.status == 401, let body = result.body,
           let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
           object["error"] as? String == "invalid_grant" {
            run.authorizationLost = true
            run.refusedRefreshToken = refresh
            let said = (object["error_description"] as? String).map { " — “\(ServiceMessage.shown($0, redactor: run.redactor))”" } ?? ""
            var outcome = TestOutcome(kind: .rejected,
                                      line: "Authorization expired: the service refused the refresh token (invalid_grant)\(said)",
                                      status: result.status, exchangeIndex: result.exchange.index)
            outcome.next = .authorize
            return .failure(outcome)
        }
        if let outcome = run.judge(result, rule: SuccessRule(status: [200]), step: "Token refresh") {
            return .failure(outcome)
        }
        return run.read(result, oauth: oauth, keeps: true)
    }
}
