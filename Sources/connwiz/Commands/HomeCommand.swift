import ArgumentParser
import FormEngine
import PromptUI

/// What `connwiz` alone does: show the saved connections and offer to create one.
struct HomeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "home",
        abstract: "Show saved connections and offer to create one (what `connwiz` alone does).",
        shouldDisplay: false
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        // Subcommands are parsed, not built by hand, so their options are decoded.
        let home = global.home.map { ["--home", $0] } ?? []
        try ListCommand.parse(home).run()
        guard Terminal.isInteractive else {
            Output.print("Commands: connwiz new | edit NAME | show NAME | export NAME | delete NAME | connectors (--help for more)")
            return
        }
        guard PlainMenu(console: StandardConsole()).confirm("Create a connection?") else { return }
        try NewCommand.parse(home).run()
    }
}
