import ConnectorSchema
import Crypto
import Foundation
import NIOConcurrencyHelpers

/// HTTP Digest (RFC 7616): the first request goes out bare; the server's 401 challenge names a
/// realm, a nonce and an algorithm, and the request is sent again with a response hashed from
/// the password, the nonce, a client nonce and a counting `nc`. Later requests of the attempt
/// reuse the nonce with the next count; a `stale=true` challenge is answered once more.
public struct DigestAuth: AuthScheme {
    public var username: String
    public var password: String

    init(_ spec: AuthSpec, fill: (Template?) -> String?) {
        username = fill(spec.username) ?? ""
        password = fill(spec.password) ?? ""
    }

    func describe(baseURI: String, redactor: Redactor) -> [String] {
        ["HTTP Digest (RFC 7616), SHA-256 or MD5 as the server's challenge asks, qop=auth",
         "user “\(redactor.text(username))”, password \(Self.fingerprint(password))",
         "header Authorization: Digest <a response hashed from the password and the server's nonce>, after the server's 401 challenge"]
    }

    func export(mask: String?, notes: inout [String]) -> [String: Any] {
        ["type": "digest", "digest": ["username": username, "password": mask ?? password]]
    }

    func prepare(for settings: HTTPSettings, in run: inout AttemptRun) async -> AuthPreparation {
        if username.isEmpty { return .stop(TestOutcome(kind: .notSent, line: "Not tested: the Digest user name is empty")) }
        run.redactor.addCredentialHeader("Authorization")
        return .ready(RequestSigning(signer: Responder(username: username, password: password)))
    }

    /// One challenge as the server gave it.
    struct Challenge: Equatable {
        var realm: String
        var nonce: String
        var opaque: String?
        var algorithm: Algorithm
        var qop: Bool
        var stale: Bool

        enum Algorithm: String {
            case md5 = "MD5"
            case sha256 = "SHA-256"

            func hash(_ text: String) -> String {
                let data = Data(text.utf8)
                switch self {
                case .md5: return Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
                case .sha256: return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
                }
            }
        }

        /// The strongest Digest challenge among `headers` (SHA-256 before MD5); nil when none
        /// is one connwiz can answer.
        static func best(in headers: [String]) -> Challenge? {
            let offered = headers.flatMap(split).compactMap(parse)
            return offered.first { $0.algorithm == .sha256 } ?? offered.first
        }

        /// A header may hold several challenges: `Digest a=1, b=2, Digest c=3`.
        static func split(_ header: String) -> [String] {
            var found: [String] = []
            var current = ""
            for part in AuthParameters.commaSeparated(header) {
                let trimmed = part.trimmingCharacters(in: .whitespaces)
                if let space = trimmed.firstIndex(of: " "), !trimmed[..<space].contains("=") {
                    if !current.isEmpty { found.append(current) }
                    current = trimmed
                } else {
                    current += ", " + trimmed
                }
            }
            if !current.isEmpty { found.append(current) }
            return found
        }

        static func parse(_ challenge: String) -> Challenge? {
            guard let space = challenge.firstIndex(of: " "), challenge[..<space].lowercased() == "digest" else { return nil }
            let parameters = AuthParameters.parse(String(challenge[space...]))
            // What the server wrote goes back in a header: a control character would split it.
            guard !parameters.values.contains(where: ServiceText.hasControlCharacters) else { return nil }
            guard let realm = parameters["realm"], let nonce = parameters["nonce"] else { return nil }
            let algorithmName = (parameters["algorithm"] ?? "MD5").uppercased()
            guard let algorithm = Algorithm(rawValue: algorithmName) else { return nil }
            let qops = (parameters["qop"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if parameters["qop"] != nil && !qops.contains("auth") { return nil }
            return Challenge(realm: realm, nonce: nonce, opaque: parameters["opaque"], algorithm: algorithm,
                             qop: qops.contains("auth"), stale: parameters["stale"]?.lowercased() == "true")
        }
    }

    /// Answers the server's challenge, counting each use of its nonce.
    final class Responder: RequestSigner {
        let username: String
        let password: String
        private let state = NIOLockedValueBox<(challenge: Challenge?, count: Int)>((nil, 0))

        init(username: String, password: String) {
            self.username = username
            self.password = password
        }

        func sign(_ request: inout OutgoingRequest) {
            let next: (Challenge, Int)? = state.withLockedValue { value in
                guard let challenge = value.challenge else { return nil }
                value.count += 1
                return (challenge, value.count)
            }
            guard let (challenge, count) = next else { return }
            request.setHeader("Authorization", Self.authorization(challenge: challenge, username: username, password: password,
                                                                   method: request.method, uri: Self.requestTarget(request.url),
                                                                   count: count, clientNonce: Nonce.make(length: 16)))
        }

        func learn(from response: ExchangeResult) -> Bool {
            guard let offered = Challenge.best(in: response.challenges) else { return false }
            return state.withLockedValue { value in
                // A first challenge is answered; a later one only when it says the nonce went
                // stale. Any other repeat means the password was refused.
                guard value.challenge == nil || offered.stale else { return false }
                value = (offered, 0)
                return true
            }
        }

        /// The path and query the request line carries.
        static func requestTarget(_ url: String) -> String {
            guard let parsed = URLComponents(string: url) else { return "/" }
            let path = parsed.percentEncodedPath.isEmpty ? "/" : parsed.percentEncodedPath
            return path + (parsed.percentEncodedQuery.map { "?" + $0 } ?? "")
        }

        /// The `Authorization: Digest …` value (RFC 7616 §3.4).
        static func authorization(challenge: Challenge, username: String, password: String, method: String, uri: String,
                                  count: Int, clientNonce: String) -> String {
            let hash = challenge.algorithm.hash
            let ha1 = hash("\(username):\(challenge.realm):\(password)")
            let ha2 = hash("\(method):\(uri)")
            let nc = String(format: "%08x", count)
            let response = challenge.qop ? hash("\(ha1):\(challenge.nonce):\(nc):\(clientNonce):auth:\(ha2)") : hash("\(ha1):\(challenge.nonce):\(ha2)")
            func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            var parts = ["username=\(quoted(username))", "realm=\(quoted(challenge.realm))", "nonce=\(quoted(challenge.nonce))",
                         "uri=\(quoted(uri))", "algorithm=\(challenge.algorithm.rawValue)", "response=\(quoted(response))"]
            if challenge.qop { parts += ["qop=auth", "nc=\(nc)", "cnonce=\(quoted(clientNonce))"] }
            if let opaque = challenge.opaque { parts.append("opaque=\(quoted(opaque))") }
            return "Digest " + parts.joined(separator: ", ")
        }
    }
}

/// The `name=value` and `name="quoted value"` parameters of an auth challenge (RFC 9110 §11.2).
enum AuthParameters {
    /// Splits on commas outside quoted strings.
    static func commaSeparated(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in text {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" && quoted { current.append(character); escaped = true; continue }
            if character == "\"" { quoted.toggle() }
            if character == "," && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    static func parse(_ text: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for part in commaSeparated(text) {
            guard let equals = part.firstIndex(of: "=") else { continue }
            let name = part[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = part[part.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
            }
            parameters[name] = value
        }
        return parameters
    }
}
