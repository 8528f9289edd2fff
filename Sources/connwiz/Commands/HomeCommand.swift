import ArgumentParser
import ConnectionCore
import FormEngine
import PromptUI

/// What `connwiz` alone does: on a terminal, the full-screen Connections list; otherwise the
/// saved connections as a table, and (with line prompts) an offer to create one.
struct HomeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "home",
        abstract: "Show saved connections and offer to create one (what `connwiz` alone does).",
        shouldDisplay: false
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var checks: CheckOptions
    @OptionGroup var screen: ScreenOptions

    func run() async throws {
        let workspace = Workspace(global)
        if let driver = screen.fullScreen(environment: workspace.environment) {
            _ = try await FullScreen.run(.connections, driver: driver, workspace: workspace, checks: checks)
            return
        }
        // Subcommands are parsed, not built by hand, so their options are decoded.
        let home = global.home.map { ["--home", $0] } ?? []
        try ListCommand.parse(home).run()
        Output.print("Store key: " + workspace.keyPlace)
        guard Terminal.isInteractive else {
            Output.print("Commands: connwiz new | edit NAME | test NAME | log NAME | show NAME | export NAME | delete NAME | connectors | sandbox (--help for more)")
            return
        }
        guard PlainMenu(console: StandardConsole()).confirm("Create a connection?") else { return }
        var passed = home + ["--plain"]
        let network = checks.network
        if checks.test { passed.append("--test") }
        if checks.saveAnyway { passed.append("--save-anyway") }
        if network.sandbox { passed.append("--sandbox") }
        if let url = network.sandboxURL { passed += ["--sandbox-url", url] }
        if let caFile = network.caFile { passed += ["--ca-file", caFile] }
        if network.allowPrivateRedirects { passed.append("--allow-private-redirects") }
        if let proxy = network.proxy { passed += ["--proxy", proxy] }
        if network.noProxy { passed.append("--no-proxy") }
        if let maxBody = network.maxBody { passed += ["--max-body", "\(maxBody)"] }
        passed += ["--connect-timeout", "\(network.connectTimeout)", "--timeout", "\(network.timeout)"]
        let new = try NewCommand.parse(passed)
        try await new.run()
    }
}
