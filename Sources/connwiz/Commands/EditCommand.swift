import ArgumentParser
import ConnectionCore
import FormEngine

struct EditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change a saved connection. Every answer is kept except secrets, which must be entered again.",
        discussion: "Takes the same answer options as `new`; --name renames the connection."
    )

    @Argument(help: ArgumentHelp("The connection's name.", valueName: "name"), completion: CompletionSource.connections)
    var connection: String

    @OptionGroup var global: GlobalOptions
    @OptionGroup var inputs: AnswerOptions
    @OptionGroup var checks: CheckOptions
    @OptionGroup var screen: ScreenOptions
    @Flag(name: .long, help: "After saving, sign in again for the connection (OAuth 2.0), as Save & authorize does.")
    var authorize = false
    @OptionGroup var signIn: SignInOptions

    func run() async throws {
        let workspace = Workspace(global)
        let saved = try workspace.connection(named: connection)
        let schema = try workspace.connector(saved.connector)
        let context = try workspace.guarded { try workspace.useCases(nil).formContext(.edit(connectionID: saved.id)) }
        let form = FormState(schema: schema, context: context, prefill: saved.values)
        try await FormSession(workspace: workspace, inputs: inputs, checks: checks, screen: screen,
                              signIn: signIn.choice, authorizeAfterSave: authorize).run(form)
    }
}
