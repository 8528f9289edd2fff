import ConnectionCore
import Foundation
import Testing
import TestSupport

/// `SystemKeyring` against stand-in `secret-tool` programs: one that never answers (a locked
/// keyring waiting for a prompt) and one that counts its calls. The real Secret Service is
/// `KeyringTests`' business.
@Suite("System keyring")
struct SystemKeyringTests {
    func keyring(tool script: String, in folder: TemporaryFolder) -> SystemKeyring {
        let path = folder.write("bin/secret-tool", "#!/bin/sh\n" + script + "\n")
        chmod(path, 0o755)
        return SystemKeyring(home: HomeFolder(path: folder.path + "/home"),
                             environment: ["DBUS_SESSION_BUS_ADDRESS": "unix:path=/nowhere", "PATH": folder.path + "/bin:/usr/bin:/bin"], timeout: 0.5)
    }

    @Test func aKeyringThatNeverAnswersIsGivenUpAtTheDeadlineAndNotAskedAgain() throws {
        let folder = TemporaryFolder()
        let stuck = keyring(tool: "echo called >> \(folder.path)/calls; exec sleep 30", in: folder)
        let started = Date()
        #expect(throws: StoreError.self) { try stuck.read() }
        #expect(Date().timeIntervalSince(started) < 5, "ended by the deadline, not by sleep")
        #expect(stuck.unreachableReason()?.contains("did not answer within") == true)
        let calls = try String(contentsOfFile: folder.path + "/calls", encoding: .utf8)
        #expect(calls.split(separator: "\n").count == 1, "one lookup per process: \(calls)")
    }

    @Test func aLookupIsAskedOnceAndAskedAgainAfterAWrite() throws {
        let folder = TemporaryFolder()
        let store = folder.path + "/held"
        let counting = keyring(tool: """
            echo "$1" >> \(folder.path)/calls
            case "$1" in
              lookup) [ -f \(store) ] && cat \(store) || exit 1 ;;
              store) cat > \(store) ;;
              clear) rm -f \(store) ;;
            esac
            """, in: folder)
        #expect(try counting.read() == nil)
        #expect(try counting.read() == nil)
        try counting.write("a-key")
        #expect(try counting.read() == "a-key")
        #expect(try counting.read(fresh: true) == "a-key")
        try counting.delete()
        #expect(try counting.read() == nil)
        let calls = try String(contentsOfFile: folder.path + "/calls", encoding: .utf8).split(separator: "\n")
        #expect(calls == ["lookup", "store", "lookup", "lookup", "clear", "lookup"], "\(calls)")
    }
}
