import Foundation

/// Which redirects a test may follow. A service, or someone between it and connwiz, can
/// answer with a redirect to a cloud metadata address (169.254.169.254, fd00:ec2::254,
/// metadata.google.internal) or to a machine inside the operator's network, and turn a
/// connection test into a request the operator never meant to send.
///
/// Redirects into link-local space are refused unless the first request went there too. A
/// redirect from a public host into loopback or a private range is refused unless
/// `TransportOptions.allowPrivateRedirects` says otherwise. Hosts are judged by their literal
/// address or their well-known name; a public name that resolves to a private address is
/// not caught here.
public enum RedirectPolicy {
    /// Where a host lies, as far as a redirect is concerned.
    public enum Zone: Hashable, Sendable {
        case linkLocal
        case loopback
        case privateNetwork
        case publicNetwork
    }

    /// Why the redirect from `origin` to `target` may not be followed; nil when it may.
    public static func refusal(from origin: URL?, to target: URL, allowPrivate: Bool) -> String? {
        let from = zone(of: origin?.host ?? "")
        let host = bare(target.host ?? "")
        switch zone(of: host) {
        case .linkLocal where from != .linkLocal:
            return "the redirect to \(host) leads into link-local space, where cloud metadata services answer; it was not followed"
        case .loopback where from == .publicNetwork && !allowPrivate,
             .privateNetwork where from == .publicNetwork && !allowPrivate:
            return "the redirect from a public host to \(host), inside a private network, was not followed (--allow-private-redirects follows it)"
        case .linkLocal, .loopback, .privateNetwork, .publicNetwork:
            return nil
        }
    }

    static let metadataNames: Set<String> = ["metadata.google.internal", "metadata.goog", "metadata", "instance-data",
                                              "instance-data.ec2.internal", "metadata.azure.internal"]

    public static func zone(of host: String) -> Zone {
        let name = bare(host).lowercased()
        if metadataNames.contains(name) { return .linkLocal }
        if name == "localhost" || name.hasSuffix(".localhost") { return .loopback }
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            let address = UInt32(bigEndian: v4.s_addr)
            let a = address >> 24, b = (address >> 16) & 0xff
            if a == 169 && b == 254 { return .linkLocal }
            if a == 127 || address == 0 { return .loopback }
            if a == 10 || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168) || (a == 100 && (64...127).contains(b)) {
                return .privateNetwork
            }
            return .publicNetwork
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, name, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            if bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80 { return .linkLocal }
            // fd00:ec2::254, the AWS metadata service over IPv6.
            if bytes == [0xfd, 0x00, 0x0e, 0xc2] + Array(repeating: 0, count: 10) + [0x02, 0x54] { return .linkLocal }
            if bytes == Array(repeating: 0, count: 15) + [1] || bytes == Array(repeating: 0, count: 16) { return .loopback }
            if bytes[0...9].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
                return zone(of: bytes[12...15].map(String.init).joined(separator: "."))
            }
            if (bytes[0] & 0xfe) == 0xfc { return .privateNetwork }
            return .publicNetwork
        }
        return .publicNetwork
    }

    /// A host without the brackets of an IPv6 literal.
    static func bare(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }
}
