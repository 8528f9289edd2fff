import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Crypto

/// Debian's lighttpd on a loopback port, its `mod_auth` demanding HTTP Digest (MD5 or SHA-256,
/// qop=auth) for every path, with one user in an htdigest file: a real web server's digest
/// module for the Digest tests.
public final class LighttpdDigest: @unchecked Sendable {
    public let port: Int
    public let folder: TemporaryFolder
    private let process: Subprocess.Background

    public var url: String { "http://127.0.0.1:\(port)" }

    /// Serves `/ping.json` to `user` with `password` in `realm`, answering with `algorithm`
    /// (`MD5` or `SHA-256`).
    public static func start(user: String, password: String, realm: String, algorithm: String) throws -> LighttpdDigest {
        guard let binary = ["/usr/sbin/lighttpd", "/usr/bin/lighttpd"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw NSError(domain: "Lighttpd", code: 1, userInfo: [NSLocalizedDescriptionKey: "lighttpd is not installed (.ci/run installs it: apt-get install lighttpd)"])
        }
        let folder = TemporaryFolder()
        _ = folder.write("www/ping.json", "{\"ok\": true, \"checked\": \"lighttpd mod_auth digest\"}\n")
        let line = "\(user):\(realm):\(password)"
        let digest = algorithm == "SHA-256" ? SHA256.hash(data: Data(line.utf8)).map { String(format: "%02x", $0) }.joined()
                                             : Insecure.MD5.hash(data: Data(line.utf8)).map { String(format: "%02x", $0) }.joined()
        let users = folder.write("htdigest", "\(user):\(realm):\(digest)\n")
        for _ in 0..<5 {
            let port = Subprocess.freePort()
            let config = folder.write("lighttpd-\(port).conf", """
            server.document-root = "\(folder.path)/www"
            server.port = \(port)
            server.bind = "127.0.0.1"
            server.modules = ("mod_auth", "mod_authn_file")
            auth.backend = "htdigest"
            auth.backend.htdigest.userfile = "\(users)"
            auth.require = ("/" => ("method" => "digest", "realm" => "\(realm)", "require" => "valid-user", "algorithm" => "\(algorithm)"))
            mimetype.assign = (".json" => "application/json")
            server.errorlog = "\(folder.path)/error.log"

            """)
            let process = try Subprocess.start([binary, "-D", "-f", config])
            if Subprocess.waitForListener(port: port, timeout: 5) {
                return LighttpdDigest(port: port, folder: folder, process: process)
            }
            process.stop()
        }
        throw NSError(domain: "Lighttpd", code: 2, userInfo: [NSLocalizedDescriptionKey: "lighttpd did not start listening"])
    }

    private init(port: Int, folder: TemporaryFolder, process: Subprocess.Background) {
        self.port = port
        self.folder = folder
        self.process = process
    }

    private let stopped = Locked(false)

    public func stop() {
        guard !stopped.get() else { return }
        stopped.set(true)
        process.stop()
    }

    deinit { stop() }
}
