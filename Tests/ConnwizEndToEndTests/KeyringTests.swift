import Foundation
import Testing
import TestSupport

/// Issue 24: the store key in the system keyring, against a real Secret Service
/// (`gnome-keyring-daemon` on a private session bus from `dbus-run-session`), moved both ways
/// with `connwiz key move`, refused where the new place holds another key, and a file where no
/// keyring answers.
@Suite("The store key in the system keyring", .serialized, .oneAtATime)
struct KeyringTests {
    static var available: Bool {
        ["/usr/bin/dbus-run-session", "/usr/bin/gnome-keyring-daemon", "/usr/bin/secret-tool"]
            .allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let token = "keyring-token-7c1e9a3f5b2d4e6a"

    /// A session bus with an unlocked keyring on it, for as long as the value lives.
    final class SecretService {
        let home = TemporaryFolder()
        let process: Subprocess.Background
        let bus: String

        init() throws {
            let script = "echo -n unlock-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null; echo \"BUS=$DBUS_SESSION_BUS_ADDRESS\"; exec sleep 300"
            process = try Subprocess.start(["/usr/bin/dbus-run-session", "--", "/bin/sh", "-c", script],
                                           environment: ["HOME": home.path, "PATH": "/usr/bin:/bin"])
            let line = process.firstOutput(matching: "BUS=[^\n]+\n")
            bus = try #require(line.map { String($0.dropFirst(4).dropLast()) }, "the session bus did not start: \(process.output)")
        }

        deinit { _ = process.stop() }

        /// What the keyring holds for `connwizHome`, read with libsecret's own tool.
        func lookup(_ connwizHome: String) throws -> String? {
            let run = try Subprocess.run(["/usr/bin/secret-tool", "lookup", "application", "connwiz", "home", connwizHome],
                                         environment: ["DBUS_SESSION_BUS_ADDRESS": bus, "HOME": home.path, "PATH": "/usr/bin:/bin"])
            return run.status == 0 ? run.output : nil
        }
    }

    @Test(.enabled(if: available, "needs dbus-run-session, gnome-keyring-daemon and secret-tool (.ci/run installs them)"))
    func theKeyLivesInTheKeyringAndMovesBothWaysWithoutResealing() throws {
        let service = try SecretService()
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path, extra: ["DBUS_SESSION_BUS_ADDRESS": service.bus, "T": token])
        var outputs: [String] = []
        func run(_ arguments: [String]) throws -> BinaryRunner.Run {
            let result = try connwiz.run(arguments)
            outputs.append(result.output)
            return result
        }

        #expect(try run(["key"]).stdout.contains("none yet; the first secret saved makes one in the system keyring"))
        let saved = try run(["new", "http-token", "--name", "K", "--set", "baseUri=https://api.example.com", "--secret", "token=env:T", "--yes"])
        #expect(saved.status == 0, "\(saved)")
        #expect(!FileManager.default.fileExists(atPath: home.file("key")), "no key file when the keyring took the key")
        let key = try #require(try service.lookup(home.path)?.trimmingCharacters(in: .whitespacesAndNewlines), "the keyring holds the key")
        #expect(Data(base64Encoded: key)?.count == 32)
        #expect(try run(["key"]).stdout.contains("Store key: in the system keyring"))
        #expect(try run(["show", "K"]).stdout.contains("in the system keyring"))
        let store = try Data(contentsOf: URL(fileURLWithPath: home.file("connections.json")))
        func opens() throws -> Bool { try run(["show", "K", "--http"]).stdout.contains("Bearer sha256:") }
        #expect(try opens())

        // Into the file: the same key, mode 0600, gone from the keyring; nothing sealed again.
        let toFile = try run(["key", "move", "--to", "file"])
        #expect(toFile.status == 0 && toFile.stdout.contains("into \(home.file("key"))"), "\(toFile)")
        #expect(try String(contentsOfFile: home.file("key"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == key)
        let mode = try FileManager.default.attributesOfItem(atPath: home.file("key"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try service.lookup(home.path) == nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: home.file("connections.json"))) == store)
        #expect(try opens())
        #expect(try run(["key"]).stdout.contains("in the key file \(home.file("key"))"))
        #expect(try run(["key", "move", "--to", "file"]).stdout.contains("already in"))

        // Back into the keyring.
        let toKeyring = try run(["key", "move", "--to", "keyring"])
        #expect(toKeyring.status == 0 && toKeyring.stdout.contains("into the system keyring"), "\(toKeyring)")
        #expect(!FileManager.default.fileExists(atPath: home.file("key")))
        #expect(try service.lookup(home.path)?.trimmingCharacters(in: .whitespacesAndNewlines) == key)
        #expect(try Data(contentsOf: URL(fileURLWithPath: home.file("connections.json"))) == store)
        #expect(try opens())

        // A key file holding another key is refused, and nothing changes.
        let other = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let planted = home.write("key", other + "\n")
        let unsafe = try run(["key", "move", "--to", "file"])
        #expect(unsafe.status == 1 && unsafe.stderr.contains("chmod 600"), "a key file others can read is refused first: \(unsafe)")
        chmod(planted, 0o600)
        let refused = try run(["key", "move", "--to", "file"])
        #expect(refused.status == 1 && refused.stderr.contains("already holds a different key; nothing changed"), "\(refused)")
        #expect(try String(contentsOfFile: home.file("key"), encoding: .utf8) == other + "\n")
        #expect(try service.lookup(home.path)?.trimmingCharacters(in: .whitespacesAndNewlines) == key)
        let refusedBack = try run(["key", "move", "--to", "keyring"])
        #expect(refusedBack.status == 1 && refusedBack.stderr.contains("different key"), "\(refusedBack)")
        // While the other key sits in the file, connwiz reads the file first and refuses to
        // write with a key the store was not sealed with; without it, the keyring's key opens.
        let mixed = try run(["edit", "K", "--secret", "token=env:T", "--yes"])
        #expect(mixed.status != 0 && mixed.stderr.contains(home.file("key")), "\(mixed)")
        try FileManager.default.removeItem(atPath: planted)
        #expect(try opens(), "the keyring's key still opens the store")
        #expect(try Data(contentsOf: URL(fileURLWithPath: home.file("connections.json"))) == store)

        // CONNWIZ_KEY is not connwiz's to move.
        let fromEnvironment = try connwiz.run(["key", "move", "--to", "file"], environment: ["CONNWIZ_KEY": key])
        outputs.append(fromEnvironment.output)
        #expect(fromEnvironment.status == 1 && fromEnvironment.stderr.contains("CONNWIZ_KEY"), "\(fromEnvironment)")

        for leak in [key, String(key.prefix(12)), token, String(token.prefix(12)), Data(token.utf8).base64EncodedString()] {
            #expect(!outputs.contains { $0.contains(leak) }, "an output holds a secret")
        }
    }

    /// Over SSH on a server there is no session bus: the key is a file, and connwiz says why.
    @Test func withoutAKeyringTheKeyIsAFileAndConnwizSaysWhy() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path, extra: ["T": token])
        #expect(try connwiz.run(["new", "http-token", "--name", "K", "--set", "baseUri=https://api.example.com",
                                 "--secret", "token=env:T", "--yes"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: home.file("key")))
        let said = try connwiz.run(["key"])
        #expect(said.stdout.contains("in the key file \(home.file("key")) (no system keyring: no session bus"), "\(said)")
        #expect(try connwiz.run([]).stdout.contains("Store key: in the key file"), "connwiz home says where the key is")
        let refused = try connwiz.run(["key", "move", "--to", "keyring"])
        #expect(refused.status == 1 && refused.stderr.contains("no system keyring can be reached") && refused.stderr.contains("the key stays"),
                "\(refused)")
        #expect(FileManager.default.fileExists(atPath: home.file("key")))
        let wrong = try connwiz.run(["key", "move", "--to", "vault"])
        #expect(wrong.status == 2 && wrong.stderr.contains("keyring or file"), "\(wrong)")
        // A bus with no Secret Service on it is no keyring either.
        let noService = try connwiz.run(["key"], environment: ["DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"])
        #expect(noService.stdout.contains("in the key file"), "\(noService)")
        // Secrets sealed and the key gone: missing, not "none yet".
        try FileManager.default.removeItem(atPath: home.file("key"))
        let missing = try connwiz.run(["key"])
        #expect(missing.stdout.contains("missing: the store holds 1 sealed secret(s), but no key is in CONNWIZ_KEY"), "\(missing)")
    }
}
