/// Where the plain front end reads lines and writes text. Injectable so that tests can drive
/// the wizard with scripted input and read what it printed.
public protocol LineConsole {
    func write(_ text: String)
    /// A line without its newline, or nil at end of input.
    func readLine(prompt: String) -> String?
    /// Like `readLine`, but what is typed is not echoed.
    func readSecret(prompt: String) -> String?
}

extension LineConsole {
    func line(_ text: String = "") { write(text + "\n") }
}
