import Crypto
import Foundation

/// What a stateless stand-in hands out and later takes back (a sign-in ticket, an
/// authorization code): its fields, sealed with a key that lives only as long as the sandbox,
/// and used at most once. A forged, altered, expired or reused one opens to nothing.
final class SealedTickets: @unchecked Sendable {
    private let key = SymmetricKey(size: .bits256)
    private let lock = NSLock()
    private var used: [String] = []
    /// Used codes remembered; older ones have expired long before this many are issued.
    static let remembered = 1024

    func seal(_ fields: [String: String]) -> String {
        let body = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
        let mac = Data(HMAC<SHA256>.authenticationCode(for: body, using: key))
        return Self.base64URL(body) + "." + Self.base64URL(mac)
    }

    /// The fields of a ticket this sandbox sealed, unexpired at `now`; `once` also refuses a
    /// ticket already opened.
    func open(_ ticket: String, now: Date, once: Bool) -> [String: String]? {
        let parts = ticket.split(separator: ".")
        guard parts.count == 2, let body = JWTVerifier.decode(parts[0]), let mac = JWTVerifier.decode(parts[1]),
              HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key),
              let fields = (try? JSONSerialization.jsonObject(with: body)) as? [String: String],
              let expiry = fields["exp"].flatMap(Double.init), expiry > now.timeIntervalSince1970 else { return nil }
        if once {
            lock.lock()
            defer { lock.unlock() }
            guard !used.contains(ticket) else { return nil }
            used.append(ticket)
            if used.count > Self.remembered { used.removeFirst(used.count - Self.remembered) }
        }
        return fields
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
