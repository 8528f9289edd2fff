import Foundation

/// Writes a new log file readable by the owner only, in one `write`, without the temporary
/// file and fsync of an atomic write: a log is not worth 1 ms per test, and a file cut short
/// by a crash is skipped when the log is read.
enum LogFile {
    static func create(_ path: String, contents: Data) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StoreError.cannotWrite(path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let written = contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == contents.count else { throw StoreError.cannotWrite(path, reason: "the disk took only part of it") }
    }
}
