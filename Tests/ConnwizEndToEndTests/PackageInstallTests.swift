import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `Scripts/package`'s Debian package installed for real with `dpkg -i`, used as an operator
/// would (the version, `man connwiz`, a saved name completed by a fresh login bash), then
/// purged, leaving nothing but the operator's home folder. The test packages the binary the
/// suite built (a release build would double CI's build time); the script packages whichever
/// binary it is given in the same way.
@Suite("Installing the package", .serialized, .oneAtATime)
struct PackageInstallTests {
    /// What the package must hold, where each tool looks for it.
    static let files = [
        "/usr/bin/connwiz",
        "/usr/share/man/man1/connwiz.1.gz",
        "/usr/share/bash-completion/completions/connwiz",
        "/usr/share/zsh/vendor-completions/_connwiz",
        "/usr/share/fish/vendor_completions.d/connwiz.fish",
        "/usr/share/doc/connwiz/copyright",
    ]

    /// Installing touches the system: it needs root, dpkg, man and bash-completion (`.ci/run`
    /// installs them), and no connwiz installed already, which it would replace.
    static var canInstall: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg")
            && FileManager.default.fileExists(atPath: "/usr/share/bash-completion/bash_completion")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/man") && TmuxSession.available
            && files.allSatisfy { !FileManager.default.fileExists(atPath: $0) }
    }

    /// dpkg runs ldconfig and start-stop-daemon from the sbin folders.
    let plain = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "MANWIDTH": "100"]

    /// The suite's binary packaged once, with light compression: the debug build is large.
    /// A static outlives the tests, so the folder is one fixed place, emptied on each run.
    static let packaged: Result<(folder: String, deb: String, tarball: String), PackagingFailure> = {
        let folder = NSTemporaryDirectory() + "/connwiz-package-test"
        try? FileManager.default.removeItem(atPath: folder)
        guard let made = try? Subprocess.run([Fixtures.packageRoot + "/Scripts/package", "--fast", "--binary", BinaryRunner.locate(),
                                              "--out", folder], environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]) else {
            return .failure(PackagingFailure(output: "Scripts/package did not start"))
        }
        let paths = made.output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("/") }
        guard made.status == 0, paths.count == 2 else { return .failure(PackagingFailure(output: made.output)) }
        return .success((folder, paths[0], paths[1]))
    }()

    struct PackagingFailure: Error, CustomStringConvertible {
        var output: String
        var description: String { "Scripts/package failed:\n\(output)" }
    }

    /// The number the built binary reports, which the package must carry.
    func versionNumber() throws -> String {
        let printed = try BinaryRunner(home: TemporaryFolder().path).run(["--version"]).stdout
        let number = printed.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        try #require(number.first?.isNumber == true, "--version printed “\(printed)”")
        return number
    }

    @Test func theScriptNamesItsFilesByVersionAndArchitectureAndBothHoldTheSameFiles() throws {
        let (folder, deb, tarball) = try Self.packaged.get()
        let arch = try Subprocess.run(["dpkg", "--print-architecture"], environment: plain).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let number = try versionNumber()
        #expect(deb == folder + "/connwiz_\(number)_\(arch).deb")
        #expect(tarball == folder + "/connwiz-\(number)-linux-\(arch).tar.gz")

        let inDeb = try Subprocess.run(["dpkg-deb", "--contents", deb], environment: plain)
        #expect(inDeb.status == 0, "\(inDeb.output)")
        let debFiles = Set(inDeb.output.split(separator: "\n").filter { $0.hasPrefix("-") }
            .compactMap { $0.split(separator: " ").last.map { String($0.dropFirst()) } })
        #expect(debFiles == Set(Self.files), "\(inDeb.output)")
        #expect(inDeb.output.contains("-rwxr-xr-x root/root"), "the binary is executable and owned by root: \(inDeb.output)")
        let control = try Subprocess.run(["dpkg-deb", "--field", deb, "Package", "Version", "Architecture"], environment: plain)
        #expect(control.output.contains("Package: connwiz") && control.output.contains("Version: \(number)")
                && control.output.contains("Architecture: \(arch)"), "\(control.output)")

        let inTar = try Subprocess.run(["tar", "-tzvf", tarball], environment: plain)
        let top = "connwiz-\(number)-linux-\(arch)"
        let tarFiles = Set(inTar.output.split(separator: "\n").filter { $0.hasPrefix("-") }
            .compactMap { $0.split(separator: " ").last.map { String($0.dropFirst(top.count)) } })
        #expect(tarFiles == Set(Self.files), "\(inTar.output)")
        // Unpacked into a prefix as the script's help says, the binary runs from there.
        let prefix = TemporaryFolder().path + "/prefix"
        try FileManager.default.createDirectory(atPath: prefix, withIntermediateDirectories: true)
        let unpacked = try Subprocess.run(["tar", "-xzf", tarball, "--strip-components=2", "-C", prefix], environment: plain)
        #expect(unpacked.status == 0, "\(unpacked.output)")
        let ran = try Subprocess.run([prefix + "/bin/connwiz", "--version"], environment: plain)
        #expect(ran.status == 0 && ran.output.contains(number), "\(ran.output)")
        #expect(FileManager.default.fileExists(atPath: prefix + "/share/man/man1/connwiz.1.gz"))
    }

    @Test(.enabled(if: canInstall, "needs root, dpkg, man, tmux and bash-completion, and no connwiz installed"))
    func dpkgInstallsItTheToolsFindItAndRemovalLeavesOnlyTheHomeFolder() throws {
        let (_, deb, _) = try Self.packaged.get()
        defer { _ = try? Subprocess.run(["dpkg", "--purge", "connwiz"], environment: plain) }
        let installed = try Subprocess.run(["dpkg", "-i", deb], environment: plain)
        try #require(installed.status == 0, "\(installed.output)")
        for file in Self.files { #expect(FileManager.default.fileExists(atPath: file), "\(file) not installed") }

        // Found on the PATH, by man, and by bash's completion loader in a fresh login shell.
        let version = try Subprocess.run(["connwiz", "--version"], environment: plain)
        let number = try versionNumber()
        #expect(version.status == 0 && version.output.contains(number), "\(version.output)")
        let page = try Subprocess.run(["man", "-P", "cat", "connwiz"], environment: plain)
        #expect(page.status == 0, "\(page.output)")
        // man-db may keep a formatted copy of the page; the package's postrm removes it.
        let cached = "/var/cache/man/cat1/connwiz.1.gz"
        if FileManager.default.fileExists(atPath: "/var/cache/man/cat1"), !FileManager.default.fileExists(atPath: cached) {
            FileManager.default.createFile(atPath: cached, contents: Data("formatted page".utf8))
        }
        #expect(page.output.contains("completions") && page.output.contains("--sandbox"), "\(page.output.prefix(400))")

        let home = TemporaryFolder()
        let saved = try Subprocess.run(["env", "T=pkg-token-51c0e7d2a9b4", "connwiz", "--home", home.path, "new", "http-token",
                                        "--name", "Orders API", "--set", "baseUri=https://api.example.com",
                                        "--secret", "token=env:T", "--yes"], environment: plain)
        #expect(saved.status == 0, "\(saved.output)")
        let homeBefore = try FileManager.default.subpathsOfDirectory(atPath: home.path).sorted()
        let terminal = try TmuxSession()
        try terminal.line("exec env -i HOME=\(home.path) CONNWIZ_HOME=\(home.path) PATH=/usr/bin:/bin TERM=screen bash --login")
        try terminal.line("echo ready-$((6*7))")
        _ = try terminal.waitFor("ready-42")
        try terminal.type("connwiz show Ord")
        try terminal.press("Tab")
        _ = try terminal.waitFor("connwiz show Orders\\ API")

        // Purged: every file and folder of the package gone, the operator's store untouched.
        let purged = try Subprocess.run(["dpkg", "--purge", "connwiz"], environment: plain)
        #expect(purged.status == 0, "\(purged.output)")
        for file in Self.files { #expect(!FileManager.default.fileExists(atPath: file), "\(file) left behind") }
        #expect(!FileManager.default.fileExists(atPath: "/usr/share/doc/connwiz"))
        let status = try Subprocess.run(["dpkg", "-s", "connwiz"], environment: plain)
        #expect(status.status != 0, "dpkg still knows connwiz: \(status.output)")
        let left = try Subprocess.run(["find", "/usr", "/etc", "/var/lib/dpkg", "/var/cache/man", "-name", "*connwiz*"], environment: plain)
        #expect(left.output.split(separator: "\n").filter { !$0.hasPrefix("find:") }.isEmpty, "left behind: \(left.output)")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: home.path).sorted() == homeBefore)
        #expect(try BinaryRunner(home: home.path).run(["list"]).stdout.contains("Orders API"))
    }
}
