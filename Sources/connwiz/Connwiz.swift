import ArgumentParser
import ConnectionCore
import Foundation

/// connwiz: create, check and keep connections to business applications, field by field.
@main
struct Connwiz: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connwiz",
        abstract: "Create connections to business applications, field by field, the way integrator.io's Create connection panel does.",
        discussion: """
        State lives in the home folder: --home, else $CONNWIZ_HOME, else $XDG_CONFIG_HOME/connwiz \
        (~/.config/connwiz). Connector files placed in its connectors/ folder join the built-in ones.
        Exit status: 0 success, 1 the operation failed or was cancelled, 2 a usage error or invalid answers.
        """,
        version: ConnwizVersion.current,
        subcommands: [
            HomeCommand.self, NewCommand.self, EditCommand.self, ListCommand.self, ShowCommand.self,
            TestCommand.self, AuthorizeCommand.self, TokenCommand.self, PushCommand.self, OAuthURLCommand.self, RemoteCommand.self, OAuthClientCommand.self, LogCommand.self, DeleteCommand.self, ExportCommand.self, ConnectorsCommand.self,
            SchemaCommand.self, SandboxCommand.self,
        ],
        defaultSubcommand: HomeCommand.self
    )

    /// Runs the command; argument errors exit with status 2 like other Unix tools, not 64.
    static func main() async {
        TraceClock.mark("main")
        // A closed pipe is an error from write(2), not a signal that ends the program before a
        // save it was about to make (Output reports it; see its notes).
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            TraceClock.mark("parsed")
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            if !failure.message.isEmpty { Output.error(failure.message) }
            Foundation.exit(Output.failureStatus.map { max($0, failure.code) } ?? failure.code)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                Output.write(Data((fullMessage(for: error) + "\n").utf8), to: STDERR_FILENO)
                Foundation.exit(2)
            }
            if let status = Output.failureStatus { Foundation.exit(status) }
            exit(withError: error)
        }
        if let status = Output.failureStatus { Foundation.exit(status) }
    }
}

/// A failure with its message (already specific) and exit status.
struct CLIFailure: Error {
    var message: String
    var code: Int32

    static func usage(_ message: String) -> CLIFailure { CLIFailure(message: message, code: 2) }
    static func failed(_ message: String) -> CLIFailure { CLIFailure(message: message, code: 1) }
    /// Problems already printed; exit with `code` and nothing more to say.
    static func quiet(_ code: Int32) -> CLIFailure { CLIFailure(message: "", code: code) }
}
