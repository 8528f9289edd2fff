/// A name as the command line prints it inside a command to copy: as it is when it holds only
/// letters, digits and `-_.@`, else in single quotes (a quote inside written `'\''`).
public enum ShellWord {
    public static func quoted(_ name: String) -> String {
        name.allSatisfy { $0.isLetter || $0.isNumber || "-_.@".contains($0) } ? name : "'" + name.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
