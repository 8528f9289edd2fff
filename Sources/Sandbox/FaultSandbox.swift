import Foundation

/// Misbehaving endpoints on the sandbox's own address (`http://127.0.0.1:PORT/_faults/…`), so
/// an operator can see, and the tests can prove, how connwiz reports each kind of failure.
struct FaultSandbox {
    static let routes = [
        "/_faults/ok": "200 with a small JSON body",
        "/_faults/status/{code}": "that status with a JSON error body (429 adds Retry-After: 30)",
        "/_faults/hang": "accepts the request and never answers",
        "/_faults/bytes/{n}": "200 with n bytes of text, streamed",
        "/_faults/binary/{n}": "200 with n bytes of binary data, streamed",
        "/_faults/invalid-json": "200 with a body that claims to be JSON and is not",
        "/_faults/errors-array": "200 with an integrator.io-style errors array",
        "/_faults/redirect-loop": "302 to itself",
        "/_faults/redirect/{n}": "n redirects, then /_faults/ok",
        "/_faults/drip/{n}": "200 with n bytes, one every 200 ms",
        "/_faults/reset/{n}": "200 promising 2n bytes, then the connection drops after n",
        "/_faults/redirect-to?url=U": "302 to U (a metadata or private address, to see that it is not followed)",
        "/_faults/scopes/{list}": "200 whose X-OAuth-Scopes header holds the comma-separated list (as GitHub's does)",
        "/_faults/account": "200 with an account resource that holds secrets of its own (auth_token, sessionToken, private_key, …)",
        "/_faults/aadsts/{code}": "401 as Microsoft Entra refuses a token request, with AADSTS{code} in error_description and error_codes",
        "/_faults/rate-limited": "403 with X-RateLimit-Remaining: 0 and X-RateLimit-Reset, as GitHub says its rate limit is spent",
        "/_faults/keyed-account": "200 with a key under a name that does not sound secret (keys.primary), for a connector's secretPaths",
        "/_faults/echo-credential": "401 that echoes the credential it was sent: \\u-escaped, base64, hex, in a header name and deep in a long message",
    ]

    func handle(_ request: SandboxRequest) -> SandboxResponse? {
        let segments = request.path.split(separator: "/").map(String.init)
        guard segments.first == "_faults", segments.count >= 2 else { return nil }
        switch (segments[1], segments.count) {
        case ("ok", 2):
            return .json(200, ["ok": true, "_userId": "fault-ok"])
        case ("status", 3):
            guard let code = Int(segments[2]), (200...599).contains(code) else { return .json(400, ["errors": [["code": "bad_status", "message": "Not a status: \(segments[2])"]]]) }
            let message: String
            switch code {
            case 429: message = "Too many requests; slow down."
            case 500...599: message = "The service had an internal problem."
            default: message = "Fault endpoint answered \(code) on purpose."
            }
            return .json(code, ["errors": [["code": String(code), "message": message]]], headers: code == 429 ? [("Retry-After", "30")] : [])
        case ("hang", 2):
            return SandboxResponse(status: 200, body: .hang)
        case ("bytes", 3):
            guard let count = Int(segments[2]), count >= 0 else { return .json(400, ["errors": [["code": "bad_size", "message": "Not a size"]]]) }
            return SandboxResponse(status: 200, headers: [("Content-Type", "text/plain")], body: .stream(count: count, binary: false))
        case ("binary", 3):
            guard let count = Int(segments[2]), count >= 0 else { return .json(400, ["errors": [["code": "bad_size", "message": "Not a size"]]]) }
            return SandboxResponse(status: 200, headers: [("Content-Type", "application/octet-stream")], body: .stream(count: count, binary: true))
        case ("invalid-json", 2):
            return .text(200, #"{"_userId": "half", "scope": "#, type: "application/json")
        case ("errors-array", 2):
            return .json(200, ["errors": [["code": "invalid_ping", "message": "The ping failed on purpose."]]])
        case ("scopes", 3):
            return SandboxResponse(status: 200, headers: [("Content-Type", "application/json"), ("X-OAuth-Scopes", segments[2].replacingOccurrences(of: ",", with: ", "))],
                                   body: .data(Data(#"{"login":"fault"}"#.utf8)))
        case ("account", 2):
            // Twilio's account resource answers with the account's own auth_token.
            return .json(200, ["sid": "AC-fault-account", "friendly_name": "Fault account", "status": "active",
                               "auth_token": SandboxAccounts.faultAccountSecrets[0], "sessionToken": SandboxAccounts.faultAccountSecrets[1],
                               "credentials": ["private_key": SandboxAccounts.faultAccountSecrets[2], "X-Api-Secret": SandboxAccounts.faultAccountSecrets[3]],
                               "next_page_token": "page-2-cursor", "error_code": "none"])
        case ("aadsts", 3):
            let code = Int(segments[2]) ?? 7_000_215
            return .json(401, ["error": "invalid_client", "error_codes": [code], "trace_id": "0f-fault", "correlation_id": "1e-fault",
                               "error_description": "AADSTS\(code): The request was refused by the fault sandbox on purpose. Trace ID: 0f-fault"])
        case ("rate-limited", 2):
            return .json(403, ["message": "API rate limit exceeded for 127.0.0.1.", "documentation_url": "https://docs.github.com/rest/rate-limit"],
                         headers: [("X-RateLimit-Limit", "60"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "1893456000")])
        case ("keyed-account", 2):
            return .json(200, ["account": ["sid": "AC-keyed", "keys": ["primary": SandboxAccounts.faultKeyedSecret, "label": "main key"]]])
        case ("echo-credential", 2):
            // A hostile or careless service: the credential comes back in every disguise.
            let sent = request.header("authorization").map { String($0.split(separator: " ", maxSplits: 1).last ?? "") } ?? ""
            let escaped = sent.unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined()
            let base64 = Data(sent.utf8).base64EncodedString()
            let hex = sent.utf8.map { String(format: "%02x", $0) }.joined()
            let filler = String(repeating: "the request was refused ", count: 10).prefix(230)
            let body = #"{"message":"\#(filler) \#(sent) and more","detail":"got \#(escaped)","b64":"\#(base64)","hex":"\#(hex)"}"#
            return SandboxResponse(status: 401, headers: [("Content-Type", "application/json"), ("X-Seen-" + sent, "1")],
                                   body: .data(Data(body.utf8)))
        case ("drip", 3):
            guard let count = Int(segments[2]), (0...10_000).contains(count) else { return .json(400, ["errors": [["code": "bad_size", "message": "Not a size"]]]) }
            return SandboxResponse(status: 200, headers: [("Content-Type", "text/plain")], body: .drip(count: count, interval: .milliseconds(200)))
        case ("reset", 3):
            guard let count = Int(segments[2]), count >= 0 else { return .json(400, ["errors": [["code": "bad_size", "message": "Not a size"]]]) }
            return SandboxResponse(status: 200, headers: [("Content-Type", "text/plain")], body: .reset(sent: count, promised: 2 * count + 1))
        case ("redirect-to", 2):
            guard let target = request.query["url"], !target.isEmpty else { return .json(400, ["errors": [["code": "no_url", "message": "Give ?url="]]]) }
            return SandboxResponse(status: 302, headers: [("Location", target)])
        case ("redirect-loop", 2):
            return SandboxResponse(status: 302, headers: [("Location", "/_faults/redirect-loop")])
        case ("redirect", 3):
            guard let count = Int(segments[2]), count >= 0 else { return nil }
            return SandboxResponse(status: 302, headers: [("Location", count <= 1 ? "/_faults/ok" : "/_faults/redirect/\(count - 1)")])
        default:
            return nil
        }
    }
}
