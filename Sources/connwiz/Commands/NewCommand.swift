import ArgumentParser
import ConnectionCore
import ConnectorSchema
import FormEngine
import PromptUI

struct NewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a connection, field by field.",
        discussion: """
        Without answers, asks for each field. With --set/--secret/--answers, asks only what is \
        missing; with --yes, asks nothing and exits 2 listing every missing or invalid answer.
        Example: connwiz new celigo-integrator-io --name "IO EU" --set region=europe --secret token=env:IO_TOKEN --yes
        """
    )

    @Argument(help: ArgumentHelp("The connector id (see `connwiz connectors`); asked when left out.", valueName: "connector"),
              completion: CompletionSource.connectors)
    var connector: String?

    @OptionGroup var global: GlobalOptions
    @OptionGroup var inputs: AnswerOptions
    @OptionGroup var checks: CheckOptions
    @OptionGroup var screen: ScreenOptions
    @Flag(name: .long, help: "After saving, sign in for the connection (OAuth 2.0), as Save & authorize does.")
    var authorize = false
    @OptionGroup var signIn: SignInOptions

    func run() async throws {
        let workspace = Workspace(global)
        TraceClock.mark("workspace")
        let schema: ConnectorSchema
        if let connector {
            schema = try workspace.connector(connector)
            TraceClock.mark("connector")
        } else if inputs.yes || !Terminal.inputIsTerminal && inputs.givesAnswers {
            let ids = workspace.catalog().ids
            throw CLIFailure.usage("name the connector: connwiz new CONNECTOR … (one of: \(ids.joined(separator: ", ")))")
        } else if inputs.givesAnswers && !screen.plain {
            // Answers belong to one connector's fields; the full-screen list cannot know which.
            let ids = workspace.catalog().ids
            throw CLIFailure.usage("with --name, --set, --secret or --answers, name the connector: connwiz new CONNECTOR … (one of: \(ids.joined(separator: ", ")))")
        } else if let driver = screen.fullScreen(environment: workspace.environment) {
            guard case .saved = try await FullScreen.run(.applications, driver: driver, workspace: workspace, checks: checks, signIn: signIn.choice) else {
                throw CLIFailure.failed("cancelled; nothing was saved")
            }
            return
        } else {
            let catalog = workspace.catalog()
            guard let chosen = PlainMenu(console: StandardConsole()).chooseConnector(from: catalog) else {
                throw CLIFailure.failed("no application chosen; nothing was saved")
            }
            schema = chosen
        }
        let form = FormState(schema: schema, context: try workspace.guarded { try workspace.useCases(nil).formContext(.create) })
        TraceClock.mark("form")
        try await FormSession(workspace: workspace, inputs: inputs, checks: checks, screen: screen,
                              signIn: signIn.choice, authorizeAfterSave: authorize).run(form)
    }
}
