import Foundation

/// One of the independent checkers in `Tests/Peers/auth_peer.py` (oauthlib, botocore, PyJWT,
/// Flask, Authlib, the OASIS formula), serving on a loopback port until stopped. connwiz
/// reaches it with `--sandbox-url`, so the signatures it checks cover the real service's URL.
public final class AuthPeer: ServerProcess, @unchecked Sendable {
    /// Starts `mode` with `config` (written as JSON for the script).
    public static func start(_ mode: String, config: [String: Any]) throws -> AuthPeer {
        let folder = TemporaryFolder()
        let data = try JSONSerialization.data(withJSONObject: config)
        let configPath = folder.write("peer-\(mode).json", String(decoding: data, as: UTF8.self))
        let script = Fixtures.packageRoot + "/Tests/Peers/auth_peer.py"
        let process = try Subprocess.start(["/usr/bin/env", "python3", script, mode, configPath])
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let line = process.output.split(separator: "\n").first(where: { $0.hasPrefix("listening ") }),
               let port = Int(line.dropFirst("listening ".count)) {
                return AuthPeer(port: port, folder: folder, process: process)
            }
            if kill(process.pid, 0) != 0 { break }
            usleep(20_000)
        }
        let output = process.output
        process.stop()
        throw NSError(domain: "AuthPeer", code: 1, userInfo: [NSLocalizedDescriptionKey:
            "the \(mode) peer did not start (.ci/run installs oauthlib, botocore, PyJWT, Flask and Authlib): \(output)"])
    }
}

/// The forms a secret could leak in, as the standards ask every output to be searched for:
/// raw, base64 (standard and URL-safe, unpadded), hex and its first 12 characters.
public enum SecretForms {
    public static func of(_ secret: String) -> [String] {
        let base64 = Data(secret.utf8).base64EncodedString()
        var unpadded = base64
        while unpadded.hasSuffix("=") { unpadded.removeLast() }
        let urlSafe = unpadded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return Array(Set([secret, base64, unpadded, urlSafe, secret.utf8.map { String(format: "%02x", $0) }.joined(), String(secret.prefix(12))]))
    }

    /// Each form of each secret found in `outputs` or in any file under `home`, said as
    /// "form (of secret) in where".
    public static func leaks(of secrets: [String], in outputs: [String], home: TemporaryFolder) -> [String] {
        var found: [String] = []
        for secret in secrets {
            for form in of(secret) {
                for (index, output) in outputs.enumerated() where output.contains(form) { found.append("“\(form)” (of \(secret.prefix(4))…) in output \(index)") }
                for file in home.allFiles() where file.data.range(of: Data(form.utf8)) != nil {
                    found.append("“\(form)” (of \(secret.prefix(4))…) in \(file.path)")
                }
            }
        }
        return found
    }
}
