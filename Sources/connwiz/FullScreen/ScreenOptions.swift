import ArgumentParser
import ConnectionCore
import Foundation
import TerminalUI

/// How questions are asked on a terminal: full screen (the default), or line prompts.
struct ScreenOptions: ParsableArguments {
    @Flag(name: .long, help: "Use line prompts even on a terminal (as TERM=dumb does).")
    var plain = false

    @Flag(name: .customLong("no-color"), help: "Draw the full-screen interface without colour (as NO_COLOR does).")
    var noColor = false

    /// The full-screen terminal, when standard input and output are one that curses can drive
    /// and line prompts were not asked for; nil means line prompts.
    func fullScreen(environment: [String: String] = ProcessInfo.processInfo.environment) -> NCursesDriver? {
        guard !plain, Terminal.isInteractive else { return nil }
        let term = environment["TERM"] ?? ""
        guard !term.isEmpty, term != "dumb" else { return nil }
        guard let driver = NCursesDriver(color: !noColor, environment: environment) else {
            Output.note("note: curses does not know the terminal type “\(term)”; asking with line prompts instead")
            return nil
        }
        TraceClock.mark("terminal opened")
        return driver
    }
}
