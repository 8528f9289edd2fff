import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP proxy (Debian's tinyproxy) on a loopback port, for the proxy tests: CONNECT
/// for https, absolute-form requests for http, and optionally Basic proxy authentication.
public final class TinyProxy: ServerProcess, @unchecked Sendable {
    /// - Parameters:
    ///   - user: with `password`, the proxy answers 407 unless given these.
    ///   - connectPorts: when not empty, the only ports CONNECT may reach (others get 403).
    public static func start(user: String? = nil, password: String? = nil, connectPorts: [Int] = []) throws -> TinyProxy {
        guard let binary = ["/usr/bin/tinyproxy", "/usr/sbin/tinyproxy"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw NSError(domain: "TinyProxy", code: 1, userInfo: [NSLocalizedDescriptionKey: "tinyproxy is not installed (.ci/run installs it: apt-get install tinyproxy)"])
        }
        let folder = TemporaryFolder()
        let (port, process) = try launch("tinyproxy", folder: folder) { port in
            var lines = ["Port \(port)", "Listen 127.0.0.1", "Timeout 20", "MaxClients 50", "Allow 127.0.0.1",
                         "LogLevel Info", "LogFile \"\(folder.path)/tinyproxy.log\"", "PidFile \"\(folder.path)/tinyproxy.pid\""]
            if let user, let password { lines.append("BasicAuth \(user) \(password)") }
            lines += connectPorts.map { "ConnectPort \($0)" }
            let config = folder.write("tinyproxy-\(port).conf", lines.joined(separator: "\n") + "\n")
            return [binary, "-d", "-c", config]
        }
        return TinyProxy(port: port, folder: folder, process: process)
    }

    /// This machine's name, when it resolves: it reaches one of the machine's own addresses
    /// but is not a loopback name, so connwiz sends a request for it through a proxy. A server
    /// for such a test listens on 0.0.0.0.
    public static func machineName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard !name.isEmpty, name != "localhost", !name.hasSuffix(".localhost") else { return nil }
        var info: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(name, nil, nil, &info) == 0
        if let info { freeaddrinfo(info) }
        return resolved ? name : nil
    }

    /// What the proxy logged: the hosts it opened connections to.
    public var log: String { (try? String(contentsOfFile: folder.path + "/tinyproxy.log", encoding: .utf8)) ?? "" }
}
