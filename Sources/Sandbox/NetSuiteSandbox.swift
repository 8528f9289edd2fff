import Crypto
import Foundation

/// A NetSuite account's REST web services (`1234567-sb1.suitetalk.api.netsuite.com`), checking
/// token-based authentication as NetSuite does: an OAuth 1.0a signature (HMAC-SHA256 or
/// HMAC-SHA1) over `https://<host><path>` and the query, the account as the realm, and a
/// timestamp within five minutes. Any failure is NetSuite's 401 with `INVALID_LOGIN`.
///
/// The check is written here from RFC 5849 and oauthlib's `signature.py`, apart from the
/// client's signer in ConnectionCore, so one cannot hide a mistake of the other; a test
/// compares both with oauthlib itself.
struct NetSuiteSandbox {
    /// The account as the host spells it (`1234567-sb1`).
    let hostAccount: String
    let clock: @Sendable () -> Date

    func handle(_ request: SandboxRequest) -> SandboxResponse {
        guard hostAccount == SandboxAccounts.netsuiteAccount.lowercased().replacingOccurrences(of: "_", with: "-") else {
            return invalidLogin()
        }
        if let problem = Self.problem(with: request, now: clock()) {
            return invalidLogin(problem)
        }
        if request.method == "GET", request.path == "/services/rest/record/v1/employee" {
            return .json(200, ["links": [], "count": 1, "hasMore": false, "offset": 0, "totalResults": 1,
                               "items": [["links": [], "id": "7"]]])
        }
        return .json(404, ["type": "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5", "title": "Not Found", "status": 404,
                           "o:errorDetails": [["detail": "The record type \(request.path) is not available.", "o:errorCode": "NONEXISTENT_ID"]]])
    }

    private func invalidLogin(_ why: String = "unknown account") -> SandboxResponse {
        .json(401, ["type": "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2", "title": "Unauthorized", "status": 401,
                    "o:errorDetails": [["detail": "Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.",
                                        "o:errorCode": "INVALID_LOGIN"]]],
              headers: [("WWW-Authenticate", "OAuth realm=\"\(SandboxAccounts.netsuiteAccount)\", error=\"token_rejected\", error_description=\"\(why)\"")])
    }

    /// Why the request's signature does not hold; nil when it does.
    static func problem(with request: SandboxRequest, now: Date) -> String? {
        guard let header = request.header("authorization"), header.lowercased().hasPrefix("oauth ") else { return "no OAuth header" }
        var parameters: [String: String] = [:]
        for item in header.dropFirst(6).split(separator: ",") {
            let pair = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            parameters[pair[0]] = value.removingPercentEncoding ?? value
        }
        guard parameters["realm"] == SandboxAccounts.netsuiteAccount else { return "wrong realm" }
        guard parameters["oauth_consumer_key"] == SandboxAccounts.netsuiteConsumerKey,
              parameters["oauth_token"] == SandboxAccounts.netsuiteTokenID else { return "unknown consumer or token" }
        guard let stamp = parameters["oauth_timestamp"].flatMap(Double.init), abs(stamp - now.timeIntervalSince1970) <= 300 else {
            return "timestamp out of range"
        }
        guard let nonce = parameters["oauth_nonce"], nonce.count >= 6 else { return "nonce too short" }
        let method = parameters["oauth_signature_method"] ?? ""
        guard method == "HMAC-SHA256" || method == "HMAC-SHA1" else { return "signature method not allowed" }
        var signed = parameters.filter { $0.key.hasPrefix("oauth_") && $0.key != "oauth_signature" }.map { ($0.key, $0.value) }
        signed += request.query.map { ($0.key, $0.value) }
        let expected = signature(method: method, httpMethod: request.method, uri: "https://\(request.host)\(request.path)", parameters: signed,
                                 consumerSecret: SandboxAccounts.netsuiteConsumerSecret, tokenSecret: SandboxAccounts.netsuiteTokenSecret)
        return parameters["oauth_signature"] == expected ? nil : "signature mismatch"
    }

    /// oauthlib's `signature_base_string` and `sign_hmac_sha*` (RFC 5849 §3.4).
    static func signature(method: String, httpMethod: String, uri: String, parameters: [(String, String)],
                          consumerSecret: String, tokenSecret: String) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        func escape(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text }
        let normalized = parameters.map { (escape($0.0), escape($0.1)) }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let base = escape(httpMethod.uppercased()) + "&" + escape(uri) + "&" + escape(normalized)
        let key = SymmetricKey(data: Data((escape(consumerSecret) + "&" + escape(tokenSecret)).utf8))
        if method == "HMAC-SHA1" {
            return Data(HMAC<Insecure.SHA1>.authenticationCode(for: Data(base.utf8), using: key)).base64EncodedString()
        }
        return Data(HMAC<SHA256>.authenticationCode(for: Data(base.utf8), using: key)).base64EncodedString()
    }
}

extension NetSuiteSandbox: ServiceEmulator {
    static var hosts: [String] { ["\(SandboxAccounts.netsuiteAccount.lowercased().replacingOccurrences(of: "_", with: "-")).suitetalk.api.netsuite.com"] }

    static func emulator(for host: String, service: SandboxService) -> NetSuiteSandbox? {
        let suffix = ".suitetalk.api.netsuite.com"
        guard host.hasSuffix(suffix), host.count > suffix.count else { return nil }
        return NetSuiteSandbox(hostAccount: String(host.dropLast(suffix.count)), clock: service.now)
    }
}
