import ArgumentParser
import ConnectionCore
import Connections
import Foundation

struct AuthorizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authorize",
        abstract: "Sign in for a saved connection (OAuth 2.0) and keep its tokens, encrypted.",
        discussion: """
        Opens the service's sign-in page in a browser, where one can be opened, and always shows \
        its address too. connwiz waits on 127.0.0.1 for the browser to come back; a browser on \
        another machine (over SSH) cannot reach it, so paste the address its last page shows \
        instead. With --device, sign in on any device with a code, where the connector offers it.
        Then the connection is tested at once. Exit status: 0 authorized and tested, 1 not, \
        2 a usage error, 130 cancelled.
        Example: connwiz authorize "Certinia prod" --no-browser
        """
    )

    @Argument(help: ArgumentHelp("The connection's name.", valueName: "name"), completion: CompletionSource.connections) var connection: String
    @OptionGroup var global: GlobalOptions
    @OptionGroup var signIn: SignInOptions
    @OptionGroup var network: NetworkOptions
    @Flag(name: .long, help: "Print the outcome as JSON (what to open goes to standard error).") var json = false

    func run() async throws {
        let workspace = Workspace(global)
        let saved = try workspace.connection(named: connection)
        let cases = workspace.useCases(network)
        do {
            try await SignIn(options: signIn.choice, cases: cases, json: json).run(saved)
        } catch {
            await cases.transport.close()
            throw error
        }
        await cases.transport.close()
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Refresh or revoke the OAuth 2.0 tokens a connection holds.",
        subcommands: [Refresh.self, Revoke.self]
    )

    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "refresh",
            abstract: "Get a new access token with the refresh token now, then test the connection.",
            discussion: "Exit status: 0 refreshed and tested, 1 not (an expired refresh token means authorizing again), 2 a usage error.")

        @Argument(help: ArgumentHelp("The connection's name.", valueName: "name"), completion: CompletionSource.connections) var connection: String
        @OptionGroup var global: GlobalOptions
        @OptionGroup var network: NetworkOptions
        @Flag(name: .long, help: "Print the attempt as JSON.") var json = false

        func run() async throws {
            let workspace = Workspace(global)
            let saved = try workspace.connection(named: connection)
            let run = try await workspace.useCases(network).once { try await $0.refreshToken(saved) }
            try TestPrinter.print(run, json: json, logName: saved.name)
            if json {
                if !run.passed { throw CLIFailure.quiet(1) }
                return
            }
            if run.renewedCredentials { Output.print("Refreshed: a new access token for “\(saved.name)” is stored.") }
            if run.authorizationLost { Output.print("“\(saved.name)” needs authorization: connwiz authorize \(LogPrinter.quoted(saved.name))") }
            if !run.passed { throw CLIFailure.quiet(run.attempt.outcome.kind == .cancelled ? 130 : 1) }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke the tokens at the service, where it offers revocation, and forget them here either way.",
            discussion: "Exit status: 0 forgotten (and revoked where possible), 1 the service refused (the tokens are forgotten all the same), 2 a usage error.")

        @Argument(help: ArgumentHelp("The connection's name.", valueName: "name"), completion: CompletionSource.connections) var connection: String
        @OptionGroup var global: GlobalOptions
        @OptionGroup var network: NetworkOptions
        @Flag(name: .long, help: "Print the outcome as JSON.") var json = false

        func run() async throws {
            let workspace = Workspace(global)
            let saved = try workspace.connection(named: connection)
            let revocation = try await workspace.useCases(network).once { try await $0.revokeToken(saved) }
            if json {
                struct Revoked: Encodable { let connection: String; let forgotten: Bool; let revokedAtService: Bool; let serviceLine: String? }
                try Output.json(Revoked(connection: saved.name, forgotten: revocation.forgotten, revokedAtService: revocation.revokedAtProvider,
                                        serviceLine: revocation.providerLine))
                if revocation.providerLine != nil && !revocation.revokedAtProvider { throw CLIFailure.quiet(1) }
                return
            }
            switch (revocation.providerLine, revocation.revokedAtProvider) {
            case (nil, _):
                Output.print(revocation.forgotten ? "The service offers no revocation; the tokens of “\(saved.name)” are forgotten here."
                                                  : "“\(saved.name)” holds no tokens; nothing to revoke.")
            case (let line?, true):
                Output.print("Revoked at the service (\(line)); the tokens of “\(saved.name)” are forgotten here.")
            case (let line?, false):
                Output.print("The service did not revoke the token (\(line)); the tokens of “\(saved.name)” are forgotten here all the same.")
                Output.print("Full log: connwiz log \(LogPrinter.quoted(saved.name))")
                throw CLIFailure.quiet(1)
            }
        }
    }
}
