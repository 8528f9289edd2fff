import ConnectorSchema
import Foundation

/// The device flow (RFC 8628 §3): ask for a device code, show the user code, then poll at
/// the interval the service sets, slowing down when told to, until the operator signs in,
/// denies it, or the code expires.
struct DeviceGrant: GrantRunner {
    let prompt: @Sendable (DeviceSignInEvent) -> Void

    func token(_ oauth: OAuth2Settings, in run: inout AttemptRun) async -> TokenResult {
        var fields = [("response_type", "device_code"), ("client_id", oauth.clientId)]
        if !oauth.scopes.isEmpty { fields.append(("scope", oauth.scopes.joined(separator: oauth.scopeDelimiter))) }
        let start = await run.send(.form(purpose: "Device code request", url: oauth.deviceURL ?? oauth.tokenURL, fields: fields))
        if let outcome = run.judge(start, rule: SuccessRule(status: [200]), step: "Device code request") {
            return .failure(outcome)
        }
        guard let body = start.body, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let deviceCode = object["device_code"] as? String, let userCode = object["user_code"] as? String,
              let verification = (object["verification_uri"] ?? object["verification_url"]) as? String else {
            return .failure(TestOutcome(kind: .unreadableResponse, line: "Device code request failed: the answer has no device_code, user_code or verification_uri",
                                        status: start.status, exchangeIndex: start.exchange.index))
        }
        run.redactor.add(deviceCode)
        func number(_ key: String) -> Double? { (object[key] as? NSNumber)?.doubleValue ?? (object[key] as? String).flatMap(Double.init) }
        var interval = max(1, min(number("interval") ?? 5, 60))
        let lifetime = max(10, min(number("expires_in") ?? 600, 3600))
        let deadline = run.clock().addingTimeInterval(lifetime)
        prompt(.code(DeviceCodePrompt(userCode: userCode, verificationURI: verification,
                                      completeURI: object["verification_uri_complete"] as? String, expiresIn: Int(lifetime))))
        var saidPending = false
        while run.clock() < deadline {
            do { try await Task.sleep(for: .milliseconds(Int(interval * 1000))) } catch {
                return .failure(TestOutcome(kind: .cancelled, line: "Cancelled: device sign-in stopped before anyone signed in; no tokens were stored"))
            }
            var poll = [("grant_type", oauth.deviceGrantType), ("code", deviceCode), ("device_code", deviceCode)]
            var headers: [HeaderField] = []
            run.authenticateClient(oauth, fields: &poll, headers: &headers)
            let result = await run.send(.form(purpose: "Token request (device poll)", url: oauth.tokenURL, fields: poll, headers: headers))
            if result.status == 200 { return run.read(result, oauth: oauth, keeps: true) }
            let error = result.body.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }?["error"] as? String
            switch error {
            case "authorization_pending"?:
                if !saidPending { prompt(.pending) }
                saidPending = true
            case "slow_down"?:
                interval += 5
                prompt(.slowDown(interval: Int(interval)))
            case "access_denied"?:
                return .failure(TestOutcome(kind: .rejected, line: "Device sign-in was denied at the verification page (access_denied); no tokens were stored",
                                            status: result.status, exchangeIndex: result.exchange.index))
            case "expired_token"?:
                var outcome = TestOutcome(kind: .rejected, line: "The device code expired before anyone signed in (expired_token); no tokens were stored",
                                          status: result.status, exchangeIndex: result.exchange.index)
                outcome.next = .authorizeWithDevice
                return .failure(outcome)
            default:
                return .failure(run.judge(result, rule: SuccessRule(status: [200]), step: "Device sign-in")
                                ?? TestOutcome(kind: .clientError, line: "Device sign-in failed", exchangeIndex: result.exchange.index))
            }
        }
        var outcome = TestOutcome(kind: .timeout, line: "The device code expired before anyone signed in (after \(Int(lifetime)) s); no tokens were stored")
        outcome.next = .authorizeWithDevice
        return .failure(outcome)
    }
}
