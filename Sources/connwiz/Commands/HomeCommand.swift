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
        var list = ListCommand()
        list.global = global
        try list.run()
        guard Terminal.isInteractive else {
            Output.print("Commands: connwiz new | edit NAME | show NAME | export NAME | delete NAME | connectors (--help for more)")
            return
        }
        guard PlainMenu(console: StandardConsole()).confirm("Create a connection?") else { return }
        var new = NewCommand()
        new.global = global
        new.inputs = try AnswerOptions.parse([])
        try new.run()
    }
}
