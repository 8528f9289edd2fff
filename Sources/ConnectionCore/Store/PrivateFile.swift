import Foundation

/// Files connwiz writes whole and replaces atomically (the store, the copy of a version 1
/// store, the connector index cache), written so that nothing planted beside them is followed.
///
/// The temporary file gets a random name and is created with `O_CREAT | O_EXCL | O_NOFOLLOW`
/// and mode 0600, so a symlink or file waiting at a guessable name is never written through;
/// it is flushed, then renamed over the target. A target that is itself a symlink is refused,
/// so the store can never be turned into a link to some other file.
public enum PrivateFile {
    /// Where a write failed, in words for the operator.
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `data` to `path`, atomically; `sync` also flushes the data and the folder.
    public static func write(_ data: Data, to path: String, sync: Bool = true) throws {
        if isSymbolicLink(path) { throw Failure(path: path, reason: "it is a symbolic link; connwiz writes only files it owns (remove the link)") }
        let temporary = temporaryName(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(path: temporary, reason: String(cString: strerror(errno))) }
        var failed = writeAll(data, to: fd).map { "the disk refused the write (\(String(cString: strerror($0))))" }
        if failed == nil, sync, fsync(fd) != 0 { failed = "the disk refused the write (\(String(cString: strerror(errno))))" }
        close(fd)
        if let failed {
            unlink(temporary)
            throw Failure(path: path, reason: failed)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(path: path, reason: reason)
        }
        if sync {
            let folder = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY)
            if folder >= 0 { fsync(folder); close(folder) }
        }
    }

    /// Writes all of `data` to `fd`, retrying short writes and interruptions; the `errno` of
    /// a write that failed, nil when all of it was written.
    public static func writeAll(_ data: Data, to fd: Int32) -> Int32? {
        data.withUnsafeBytes { buffer -> Int32? in
            guard var base = buffer.baseAddress else { return nil }
            var left = buffer.count
            while left > 0 {
                let written = Foundation.write(fd, base, left)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                left -= written
                base += written
            }
            return nil
        }
    }

    /// `<path>.tmp-<pid>-<16 random hex digits>`.
    static func temporaryName(for path: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return path + ".tmp-\(getpid())-" + String(format: "%016llx", generator.next() as UInt64)
    }

    /// Removes temporary files left beside `path` by a writer that was killed mid-write. Call it
    /// only while holding the lock every writer takes: then none of them is in use.
    public static func removeLeftovers(of path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        let prefix = (path as NSString).lastPathComponent + ".tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) {
            unlink(folder + "/" + name)
        }
    }

    public static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }
}
