import ConnectionCore
import Foundation

/// Where `w` on the sign-in screen writes the address: `<folder>/<name>-sign-in.txt`, one
/// line, readable by its owner only, so an operator on a terminal that copies nothing whole
/// can `cat` it from another session or copy the file.
struct SignInAddressFile {
    let folder: String

    func path(for name: String) -> String {
        FullScreenApp.file(in: folder, for: name, suffix: "-sign-in.txt")
    }

    /// Writes `address` and says where, or why it could not: replaced whole, mode 0600, never
    /// through a link planted at the name (`PrivateFile`).
    func write(_ address: String, name: String) -> String {
        let path = path(for: name)
        do {
            try PrivateFile.write(Data((address + "\n").utf8), to: path, sync: false)
        } catch {
            return "Could not write it: \(error)."
        }
        return "Wrote the address to \(path), on one line."
    }
}
