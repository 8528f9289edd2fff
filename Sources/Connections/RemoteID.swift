import ConnectionCore
import Foundation

/// An id the integrator.io account gave to something connwiz pushed (`_id` of a connection or
/// an iClient). It comes from a server, so it is checked before it is stored and encoded
/// before it goes into a path: an `_id` of `../../iclients/x?y=1` must not steer the next
/// request somewhere else.
enum RemoteID {
    /// Ids are 1 to 64 letters, digits, `-` or `_` (integrator.io's are 24 hex digits).
    static func isValid(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte == 0x2d || byte == 0x5f
        }
    }

    /// `id` as one path segment: every byte but unreserved ones percent-encoded, so a stored
    /// id from an older store that was never checked still cannot add a segment or a query.
    static func segment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// `id` for a message: control characters dropped and cut to 40 characters.
    static func shown(_ id: String) -> String {
        let clean = ServiceText.printable(id)
        return clean.count > 40 ? String(clean.prefix(40)) + "…" : clean
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
