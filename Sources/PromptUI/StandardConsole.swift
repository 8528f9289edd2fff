#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's standard input and output. Secrets are read with echo off when input is a
/// terminal; should Ctrl-C or SIGTERM arrive meanwhile, the terminal is restored before exit.
public final class StandardConsole: LineConsole {
    public init() {}

    public func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }

    public func readLine(prompt: String) -> String? {
        write(prompt)
        return Swift.readLine(strippingNewline: true)
    }

    public func readSecret(prompt: String) -> String? {
        write(prompt)
        guard isatty(STDIN_FILENO) == 1 else { return Swift.readLine(strippingNewline: true) }
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { return Swift.readLine(strippingNewline: true) }
        TerminalRestore.save(original)
        var quiet = original
        quiet.c_lflag &= ~tcflag_t(ECHO)
        quiet.c_lflag |= tcflag_t(ECHONL)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        defer {
            // TCSANOW, not TCSAFLUSH: what was typed or pasted after Enter is the next answer.
            tcsetattr(STDIN_FILENO, TCSANOW, &original)
            TerminalRestore.clear()
        }
        return Swift.readLine(strippingNewline: true)
    }
}

/// The terminal settings to put back if the process is interrupted while echo is off.
enum TerminalRestore {
    nonisolated(unsafe) static var saved = termios()
    nonisolated(unsafe) static var armed: sig_atomic_t = 0
    nonisolated(unsafe) static var installed = false

    static func save(_ settings: termios) {
        saved = settings
        armed = 1
        guard !installed else { return }
        installed = true
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            Glibc.signal(signal) { number in
                if TerminalRestore.armed == 1 {
                    // TCSANOW keeps what the operator typed after Ctrl-C for the shell.
                    tcsetattr(STDIN_FILENO, TCSANOW, &TerminalRestore.saved)
                    let newline: [UInt8] = [10]
                    _ = Glibc.write(STDOUT_FILENO, newline, 1)
                }
                Glibc.signal(number, SIG_DFL)
                raise(number)
            }
        }
    }

    static func clear() { armed = 0 }
}
