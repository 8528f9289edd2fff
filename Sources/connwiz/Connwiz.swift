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
            TestCommand.self, AuthorizeCommand.self, TokenCommand.self, PushCommand.self, OAuthURLCommand.self, RemoteCommand.self, OAuthClientCommand.self, LogCommand.self, DeleteCommand.self, ExportCommand.self, ImportCommand.self, KeyCommand.self, ConnectorsCommand.self,
            SchemaCommand.self, SandboxCommand.self, CompletionsCommand.self,
        ],
        defaultSubcommand: HomeCommand.self
    )

    /// Runs the command; argument errors exit with status 2 like other Unix tools, not 64.
    static func main() async {
        TraceClock.mark("main")
        // A closed pipe is an error from write(2), not a signal that ends the program before a
        // save it was about to make (Output reports it; see its notes).
        signal(SIGPIPE, SIG_IGN)
        let arguments = CommandLineOrder.arranged(Array(CommandLine.arguments.dropFirst()))
        if let unknown = CommandLineOrder.unknownCommand(in: arguments) {
            fail(.usage(unknown, reason: "unknown_command"))
        }
        do {
            var command = try parseAsRoot(arguments)
            TraceClock.mark("parsed")
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            fail(failure)
        } catch {
            let code = exitCode(for: error)
            // The hidden default command is an implementation detail: its name is never shown.
            let message = CommandLineOrder.withoutHiddenCommand(fullMessage(for: error))
            if code == .success {
                Output.print(message)
                Foundation.exit(Output.failureStatus ?? 0)
            }
            if code == .validationFailure { fail(.usage(message, reason: "usage"), prefixed: false) }
            if let status = Output.failureStatus { Foundation.exit(status) }
            fail(CLIFailure(message: message, code: code.rawValue), prefixed: false)
        }
        if let status = Output.failureStatus { Foundation.exit(status) }
    }

    /// Reports `failure` (as JSON too with `--json`) and exits with its status.
    static func fail(_ failure: CLIFailure, prefixed: Bool = true) -> Never {
        if !failure.message.isEmpty {
            if Output.wantsJSON { Output.jsonError(failure) }
            if failure.eachLineAProblem {
                for line in failure.message.split(separator: "\n", omittingEmptySubsequences: false) { Output.error(String(line)) }
            } else if prefixed { Output.error(failure.message) } else { Output.write(Data((failure.message + "\n").utf8), to: STDERR_FILENO) }
        }
        Foundation.exit(Output.failureStatus.map { max($0, failure.code) } ?? failure.code)
    }
}

/// A failure with its message (already specific) and exit status.
struct CLIFailure: Error {
    var message: String
    /// The exit status.
    var code: Int32
    /// What went wrong in one word for `--json` (`usage`, `not_found`, `invalid_answers` …).
    var reason: String
    /// The field at fault, when one is.
    var field: String?
    /// Each line of `message` is its own problem, printed with its own `connwiz:` prefix.
    var eachLineAProblem = false

    init(message: String, code: Int32, reason: String? = nil, field: String? = nil) {
        self.message = message
        self.code = code
        self.reason = reason ?? (code == 2 ? "usage" : code == 130 ? "cancelled" : "failed")
        self.field = field
    }

    static func usage(_ message: String, reason: String = "usage", field: String? = nil) -> CLIFailure {
        CLIFailure(message: message, code: 2, reason: reason, field: field)
    }
    static func failed(_ message: String, reason: String = "failed") -> CLIFailure { CLIFailure(message: message, code: 1, reason: reason) }
    /// Problems already printed; exit with `code` and nothing more to say.
    static func quiet(_ code: Int32) -> CLIFailure { CLIFailure(message: "", code: code) }

    /// Several problems at once, one per line.
    static func problems(_ lines: [String], code: Int32 = 2, reason: String, field: String? = nil) -> CLIFailure {
        var failure = CLIFailure(message: lines.joined(separator: "\n"), code: code, reason: reason, field: field)
        failure.eachLineAProblem = true
        return failure
    }
}
