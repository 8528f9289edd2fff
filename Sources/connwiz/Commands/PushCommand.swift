import ArgumentParser
import ConnectionCore
import Connections
import Foundation

struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Create (or update) a saved connection in an integrator.io account.",
        discussion: """
        The account is a saved celigo-integrator-io connection. The first push creates the \
        connection there (POST /v1/connections) with its real secrets; connwiz remembers its \
        _id, and a later push updates it (PUT). --ping then asks the account to test it. The \
        exchanges are logged under the connection, secrets as fingerprints.
        Exit status: 0 pushed (and, with --ping, the account's test passed), 1 not, 2 a usage error.
        Example: connwiz push "Celonis push" --account "IO EU" --ping
        """
    )

    @Argument(help: ArgumentHelp("The connection to push.", valueName: "name"), completion: CompletionSource.connections) var connection: String
    @OptionGroup var account: AccountOption
    @Flag(name: .long, help: "Ask the account to test the connection after pushing it.") var ping = false
    @Flag(name: .long, help: "Print the outcome as JSON.") var json = false
    @OptionGroup var global: GlobalOptions
    @OptionGroup var network: NetworkOptions

    struct Summary: Encodable {
        let version = 1
        let connection: String
        let account: String
        let pushed: Bool
        let created: Bool
        let id: String?
        let error: String?
        let fieldErrors: [String]
        let pingPassed: Bool?
        let ping: String?
        let attempt: Int
    }

    func run() async throws {
        let workspace = Workspace(global)
        let saved = try workspace.connection(named: connection)
        let (target, accountSchema) = try account.open(in: workspace)
        let schema = try workspace.connector(saved.connector)
        let ping = self.ping
        let outcome = try await workspace.useCases(network).once {
            try await $0.push(saved, schema: schema, to: target, accountSchema: accountSchema, ping: ping)
        }
        if json {
            try Output.json(Summary(connection: saved.name, account: target.name, pushed: outcome.failure == nil, created: outcome.created,
                                    id: outcome.remoteID, error: outcome.failure, fieldErrors: outcome.fieldErrors,
                                    pingPassed: outcome.ping?.passed, ping: outcome.ping?.line, attempt: outcome.attempt))
        } else if let failure = outcome.failure {
            Output.print(failure)
            for error in outcome.fieldErrors { Output.print("  " + error) }
        } else {
            Output.print("\(outcome.created ? "Created" : "Updated") “\(saved.name)” in \(target.name) as \(outcome.remoteID ?? "?").")
            if let ping = outcome.ping {
                Output.print(ping.passed ? "The account's test passed: \(ping.line)" : "The account's test failed: \(ping.line)")
            }
        }
        if !json {
            for note in outcome.notes { Output.print(note) }
            Output.print("Log: connwiz log \(LogPrinter.quoted(saved.name)) --attempt \(outcome.attempt)")
        }
        if !outcome.passed { throw CLIFailure.quiet(1) }
    }
}

struct OAuthURLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oauth-url",
        abstract: "Print the address a customer opens to authorize a pushed connection in an integrator.io account.",
        discussion: """
        With --redirect-url, first sets where the customer lands afterwards \
        (http.auth.oauth.oauth2RedirectUrl). The connection must have been pushed to the account.
        Example: connwiz oauth-url "Certinia prod" --account "IO EU" --redirect-url https://partner.example/callback
        """
    )

    @Argument(help: ArgumentHelp("The pushed connection.", valueName: "name"), completion: CompletionSource.connections) var connection: String
    @OptionGroup var account: AccountOption
    @Option(name: .customLong("redirect-url"), help: ArgumentHelp("Where the customer lands after authorizing.", valueName: "url"))
    var redirectURL: String?
    @Flag(name: .long, help: "Print the authorization URL and the redirect URL as JSON.") var json = false
    @OptionGroup var global: GlobalOptions
    @OptionGroup var network: NetworkOptions

    func validate() throws {
        if let redirectURL, URL(string: redirectURL)?.scheme?.hasPrefix("http") != true {
            throw ValidationError("--redirect-url needs an http(s) address such as https://partner.example/callback")
        }
    }

    func run() async throws {
        let workspace = Workspace(global)
        let saved = try workspace.connection(named: connection)
        let (target, accountSchema) = try account.open(in: workspace)
        let redirectURL = self.redirectURL
        let link = try await workspace.useCases(network).once {
            try await $0.oauthURL(saved, in: target, accountSchema: accountSchema, redirectURL: redirectURL)
        }
        if json {
            struct Summary: Encodable { let version = 1; let authorizationURL: String; let sandboxURL: String?; let redirectURL: String? }
            return try Output.json(Summary(authorizationURL: link.authorizationURL, sandboxURL: link.sandboxURL, redirectURL: link.redirectURL))
        }
        if let redirect = link.redirectURL { Output.print("Redirect URL set: \(redirect)") }
        Output.print(link.sandboxURL ?? link.authorizationURL)
        if link.sandboxURL != nil { Output.print("(the sandbox stands in for \(link.authorizationURL))") }
        if network.sandbox && network.sandboxURL == nil && link.sandboxURL != nil {
            // The sandbox --sandbox started lived as long as this command: its address no
            // longer answers. A sandbox of its own process keeps it open.
            Output.print("This sandbox ran only while the command did, so the address above no longer answers; to open it, run connwiz sandbox in another terminal and ask again with --sandbox-url URL.")
        }
    }
}
