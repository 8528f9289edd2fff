import ConnectionCore
import ConnectorSchema
import Foundation
import FormEngine
import Testing
import TestSupport

/// What an attack on the store's files found (issue: hardening): planted symlinks, loose
/// permissions and the full copies of the store a killed save leaves behind.
@Suite("Store files under attack")
struct StoreSafetyTests {
    func saved(_ home: TemporaryFolder) throws -> (HomeFolder, ConnectionStore) {
        let folder = HomeFolder(path: home.file("state"))
        let store = ConnectionStore(home: folder, environment: [:])
        try store.save(ioDraft("First"), schema: schema("celigo-integrator-io"))
        return (folder, store)
    }

    @Test func aTemporaryFileLeftByAKilledSaveIsRemovedOnTheNextWrite() throws {
        let home = TemporaryFolder()
        let (folder, store) = try saved(home)
        let orphan = folder.connectionsFile + ".tmp-999999"
        try FileManager.default.copyItem(atPath: folder.connectionsFile, toPath: orphan)
        try store.save(ioDraft("Second", token: "tok-2"), schema: schema("celigo-integrator-io"))
        #expect(!FileManager.default.fileExists(atPath: orphan))
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
        #expect(left.isEmpty, "\(left)")
    }

    @Test func aSymlinkPlantedAtAnyTemporaryNameIsNeverWrittenThrough() throws {
        let home = TemporaryFolder()
        let (folder, store) = try saved(home)
        let victim = home.write("victim.txt", "precious\n")
        // The old fixed names: <file>.tmp-<pid>, for a range of pids around ours.
        for pid in (getpid() - 5)...(getpid() + 5) {
            _ = symlink(victim, folder.connectionsFile + ".tmp-\(pid)")
        }
        try store.save(ioDraft("Second", token: "tok-2"), schema: schema("celigo-integrator-io"))
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        #expect(!PrivateFile.isSymbolicLink(folder.connectionsFile))
        #expect(try store.all().count == 2)
    }

    @Test func aStoreThatIsASymlinkIsRefused() throws {
        let home = TemporaryFolder()
        let (folder, store) = try saved(home)
        let elsewhere = home.file("elsewhere.json")
        try FileManager.default.moveItem(atPath: folder.connectionsFile, toPath: elsewhere)
        _ = symlink(elsewhere, folder.connectionsFile)
        let before = try String(contentsOfFile: elsewhere, encoding: .utf8)
        #expect { try store.save(ioDraft("Second"), schema: schema("celigo-integrator-io")) } throws: { error in
            "\(error)".contains("is a symbolic link")
        }
        #expect(try String(contentsOfFile: elsewhere, encoding: .utf8) == before)
    }

    @Test func aHomeOthersCanWriteAndAKeyOthersCanReadAreRefusedWithTheFix() throws {
        let home = TemporaryFolder()
        let (folder, store) = try saved(home)
        chmod(folder.path, 0o777)
        #expect { try store.all() } throws: { "\($0)".contains("chmod 700 \(folder.path)") }
        chmod(folder.path, 0o755)
        #expect(try store.all().count == 1)
        chmod(folder.keyFile, 0o644)
        #expect { try store.all() } throws: { "\($0)".contains("chmod 600 \(folder.keyFile)") }
        chmod(folder.keyFile, 0o600)
        #expect(try store.all().count == 1)
    }

    @Test func aKeyFileThatIsASymlinkIsRefused() throws {
        let home = TemporaryFolder()
        let (folder, store) = try saved(home)
        let moved = home.file("key-elsewhere")
        try FileManager.default.moveItem(atPath: folder.keyFile, toPath: moved)
        _ = symlink(moved, folder.keyFile)
        #expect { try store.all() } throws: { "\($0)".contains("\(folder.keyFile) is not safe to use: it is a symbolic link") }
    }
}

extension StoreSafetyTests {
    @Test func aStoreFileOthersCanReadIsTightenedWithAWarning() throws {
        let home = TemporaryFolder()
        let (folder, _) = try saved(home)
        chmod(folder.connectionsFile, 0o644)
        let told = Locked([String]())
        let store = ConnectionStore(home: folder, environment: [:], notice: { line in told.set(told.get() + [line]) })
        #expect(try store.all().count == 1)
        #expect(mode(folder.connectionsFile) == 0o600)
        #expect(told.get() == ["warning: \(folder.connectionsFile) could be read by other users (mode 644); it is now 0600"])
    }
}
