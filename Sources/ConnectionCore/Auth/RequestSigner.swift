import Foundation

/// Signs one request just before it goes out. The schemes whose credential covers the request
/// itself need it: OAuth 1.0a and AWS SigV4 sign the method, URL and body; WSSE and Digest
/// derive a fresh digest from a nonce. `ExchangeClient` calls it for every hop of a redirect
/// that stays on the same origin, so each hop's signature covers its own URL, and drops it
/// on a hop to another origin, which then goes unsigned.
public protocol RequestSigner: Sendable {
    /// Adds (or replaces) the request's signature headers.
    func sign(_ request: inout OutgoingRequest)
    /// Whether `response` is a challenge the signer has now learned to answer (a Digest 401,
    /// a stale nonce), so the same request is worth sending once more.
    func learn(from response: ExchangeResult) -> Bool
}

extension RequestSigner {
    public func learn(from response: ExchangeResult) -> Bool { false }
}

extension OutgoingRequest {
    /// Sets a header, replacing any of the same name in any case.
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        headers.append(HeaderField(name, value))
    }
}

/// Random text for nonces: letters and digits only, so it needs no escaping anywhere.
enum Nonce {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    static func make(length: Int = 24) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }
}

/// RFC 3986 percent-encoding of everything but the unreserved characters, as OAuth 1.0a
/// (RFC 5849 §3.6) and AWS SigV4 both require.
enum StrictPercentEncoding {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// The `name=value` pairs of a query string or form body, decoded (`+` is a space only
    /// when `plusIsSpace`, as in forms).
    static func pairs(_ query: String, plusIsSpace: Bool) -> [(String, String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = plusIsSpace ? text.replacingOccurrences(of: "+", with: " ") : String(text)
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
