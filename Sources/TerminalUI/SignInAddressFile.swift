import Foundation

/// Where `w` on the sign-in screen writes the address: `<folder>/<name>-sign-in.txt`, one
/// line, readable by its owner only, so an operator on a terminal that copies nothing whole
/// can `cat` it from another session or copy the file.
struct SignInAddressFile {
    let folder: String

    func path(for name: String) -> String {
        FullScreenApp.file(in: folder, for: name, suffix: "-sign-in.txt")
    }

    /// Writes `address` and says where, or why it could not.
    func write(_ address: String, name: String) -> String {
        let path = path(for: name)
        // Replaced whole: no reader sees half an address, and a link planted at the name is
        // replaced rather than followed.
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return "Could not write \(path): \(String(cString: strerror(errno)))." }
        let bytes = Array((address + "\n").utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return "Could not write \(path): \(reason)."
        }
        return "Wrote the address to \(path), on one line."
    }
}
