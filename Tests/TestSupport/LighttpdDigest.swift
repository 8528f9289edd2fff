import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Crypto

/// Debian's lighttpd on a loopback port, its `mod_auth` demanding HTTP Digest (MD5 or SHA-256,
/// qop=auth) for every path, with one user in an htdigest file: a real web server's digest
/// module for the Digest tests.
public final class LighttpdDigest: ServerProcess, @unchecked Sendable {
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
        let (port, process) = try launch("lighttpd", folder: folder) { port in
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
            return [binary, "-D", "-f", config]
        }
        return LighttpdDigest(port: port, folder: folder, process: process)
    }
}
