import Foundation

/// One browser sign-in of the authorization-code grant (RFC 6749 §4.1 with RFC 7636 and the
/// loopback redirect of RFC 8252): the address to open, and the check of the address the
/// browser comes back to, whether it reached the loopback listener or was pasted.
public struct AuthorizationRequest: Sendable {
    public let settings: OAuth2Settings
    /// Where the browser is sent back: `http://127.0.0.1:PORT/connwiz/<random>`.
    public let redirectURI: String
    /// At least 128 random bits (here 256), checked on the way back.
    public let state: String
    public let pkce: PKCE

    public init(settings: OAuth2Settings, redirectURI: String, state: String = PKCE.randomToken(bytes: 32), pkce: PKCE = PKCE()) {
        self.settings = settings
        self.redirectURI = redirectURI
        self.state = state
        self.pkce = pkce
    }

    /// The service's real sign-in address.
    public var url: String {
        var components = URLComponents(string: settings.authorizeURL ?? "") ?? URLComponents()
        var items = components.queryItems ?? []
        items += [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: settings.clientId),
            URLQueryItem(name: "redirect_uri", value: redirectURI),
        ]
        if !settings.scopes.isEmpty { items.append(URLQueryItem(name: "scope", value: settings.scopes.joined(separator: settings.scopeDelimiter))) }
        let fixed: Set<String> = ["response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"]
        items += settings.authorizeParameters.keys.sorted().filter { !fixed.contains($0) }.map { URLQueryItem(name: $0, value: settings.authorizeParameters[$0]) }
        items += [
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "code_challenge", value: pkce.challenge),
            URLQueryItem(name: "code_challenge_method", value: pkce.method),
        ]
        components.percentEncodedQuery = items.map { "\(Self.encode($0.name))=\(Self.encode($0.value ?? ""))" }.joined(separator: "&")
        return components.string ?? ""
    }

    /// The address a browser on this machine opens: the real one, or under `--sandbox` the
    /// same page on the sandbox, which reads the real host from `sandbox_host` (a browser
    /// sends its own `Host` header, so the stand-in rule needs it in the address).
    public func browserURL(route: RequestRoute) -> String {
        Self.browserURL(url, route: route)
    }

    public static func browserURL(_ url: String, route: RequestRoute) -> String {
        guard let parsed = URL(string: url), let host = parsed.host, let destination = route.destination(for: parsed) else { return url }
        return destination.url + (destination.url.contains("?") ? "&" : "?") + "sandbox_host=" + encode(host)
    }

    /// Why a sign-in did not end with a code; each reads as one specific line.
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        case notAnAddress
        case wrongPath
        case wrongState
        case denied(error: String, description: String?)
        case noCode
        case timedOut(seconds: Int)
        case cancelled
        case secondCallback

        public var description: String {
            switch self {
            case .notAnAddress:
                return "That is not the address the browser ended on; copy the whole address, starting with http://127.0.0.1"
            case .wrongPath:
                return "That address is not this sign-in's: it does not lead back to the address connwiz is waiting on"
            case .wrongState:
                return "Refused: the sign-in came back with a state that does not match this one (an old or forged sign-in); no tokens were stored"
            case .denied(let error, let description):
                let reason = description.map { " — “\($0)”" } ?? ""
                return error == "access_denied"
                    ? "Sign-in was denied at the service (access_denied)\(reason); no tokens were stored"
                    : "The service refused the sign-in (\(error))\(reason); no tokens were stored"
            case .noCode:
                return "The browser came back with no authorization code; no tokens were stored"
            case .timedOut(let seconds):
                return "Sign-in timed out after \(seconds % 60 == 0 && seconds >= 60 ? "\(seconds / 60) min" : "\(seconds) s") with no answer from the browser; no tokens were stored"
            case .cancelled:
                return "Sign-in cancelled; no tokens were stored"
            case .secondCallback:
                return "A second sign-in answer arrived after the first and was ignored"
            }
        }
    }

    /// The authorization code in the address the browser came back to, or why there is none.
    /// The state is compared in constant time.
    public func code(from address: String) -> Result<String, Failure> {
        let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: trimmed), components.scheme != nil, components.host != nil else {
            return .failure(.notAnAddress)
        }
        guard let expected = URLComponents(string: redirectURI), components.path == expected.path,
              components.host == expected.host, components.port == expected.port else { return .failure(.wrongPath) }
        var fields: [String: String] = [:]
        for item in components.queryItems ?? [] where fields[item.name] == nil { fields[item.name] = item.value ?? "" }
        guard Self.same(fields["state"] ?? "", state) else { return .failure(.wrongState) }
        if let error = fields["error"] {
            // The callback's query is form-encoded (RFC 6749 §4.1.2.1): `+` is a space. What
            // the service wrote is shown, so control characters go.
            func said(_ text: String, _ limit: Int) -> String {
                String(ServiceText.printable(text.replacingOccurrences(of: "+", with: " ")).prefix(limit))
            }
            return .failure(.denied(error: said(error, 80), description: fields["error_description"].map { said($0, 300) }))
        }
        guard let code = fields["code"], !code.isEmpty else { return .failure(.noCode) }
        return .success(code)
    }

    /// The query values of the callback the connector keeps (`callbackValues`: QuickBooks'
    /// `realmId`), printable and at most 200 characters each; read only from an address
    /// whose code `code(from:)` accepted.
    public func callbackValues(from address: String) -> [String: String] {
        guard !settings.callbackValues.isEmpty,
              let components = URLComponents(string: address.trimmingCharacters(in: .whitespacesAndNewlines)) else { return [:] }
        var kept: [String: String] = [:]
        for item in components.queryItems ?? [] where settings.callbackValues.contains(item.name) && kept[item.name] == nil {
            kept[item.name] = String(ServiceText.printable(item.value ?? "").prefix(200))
        }
        return kept
    }

    /// The code and the kept callback values, or why there is no code.
    public func answer(from address: String) -> Result<CallbackAnswer, Failure> {
        code(from: address).map { CallbackAnswer(code: $0, values: callbackValues(from: address)) }
    }

    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// What a sign-in's callback brought: the code, and the values the connector keeps.
public struct CallbackAnswer: Sendable, Hashable {
    public var code: String
    public var values: [String: String]
}
