import ArgumentParser
import ConnectionCore
import Connections
import Foundation

struct OAuthClientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oauth-client",
        abstract: "Keep OAuth 2.0 clients (client ID and encrypted secret) that several connections share.",
        discussion: """
        A connection names a stored client with --set oauth2Client=NAME. A client typed inline \
        (oauth2Client.clientId and oauth2Client.clientSecret) is stored when the connection is \
        saved, or the stored one with the same ID and secret is reused.
        """,
        subcommands: [Add.self, List.self, Show.self, Edit.self, Delete.self]
    )

    /// The stored client named `name`, with its users; an unknown name is a usage error.
    static func client(named name: String, in cases: ConnectionUseCases, workspace: Workspace) throws -> OAuthClientListing {
        if let found = try workspace.guarded({ try cases.oauthClient(named: name) }) { return found }
        let clients = try workspace.guarded { try cases.oauthClients() }.map(\.client.name)
        throw CLIFailure.usage("no stored OAuth 2.0 client is named “\(name)”" + (clients.isEmpty ? "; there are none yet" : "; stored: " + clients.joined(separator: ", ")))
    }

    /// Runs a use case, turning its refusal into a failure with its message.
    static func refused<T>(_ workspace: Workspace, _ body: () throws -> T) throws -> T {
        do { return try workspace.guarded(body) } catch let failure as UseCaseFailure { throw CLIFailure.failed(failure.message) }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Store a client.",
                                                        discussion: "Example: connwiz oauth-client add \"Celonis app\" --client-id sbx-celonis-client --secret env:CLIENT_SECRET")
        @Argument(help: ArgumentHelp("A name for the client.", valueName: "name")) var name: String
        @Option(name: .customLong("client-id"), help: ArgumentHelp("The client ID.", valueName: "id")) var clientId: String
        @Option(name: .long, help: ArgumentHelp("The client secret, from env:VAR, file:PATH or stdin.", valueName: "source")) var secret: String
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print the stored client as JSON.") var json = false

        func run() throws {
            let workspace = Workspace(global)
            let wanted = name.trimmingCharacters(in: .whitespaces)
            guard !wanted.isEmpty, !clientId.contains(where: \.isWhitespace), !clientId.isEmpty else {
                throw CLIFailure.usage("give a name and a client ID without spaces")
            }
            let cases = workspace.useCases(nil)
            if try workspace.guarded({ try cases.oauthClient(named: wanted) }) != nil {
                throw CLIFailure.usage("a client named “\(wanted)” is already stored; use connwiz oauth-client edit")
            }
            let text = try SecretSource.read(secret, for: "--secret", environment: workspace.environment, stdin: StandardInputLines())
            let added = try OAuthClientCommand.refused(workspace) { try cases.addOAuthClient(name: wanted, clientId: clientId, secret: text) }
            if json { return try OAuthClientCommand.printJSON(added, change: "stored") }
            Output.print("Stored OAuth 2.0 client “\(wanted)” (client ID \(clientId), secret encrypted).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the stored clients and how many connections use each.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        struct Row: Encodable { let name: String; let clientId: String; let usedBy: [String]; let updatedAt: Date }

        func run() throws {
            let workspace = Workspace(global)
            let cases = workspace.useCases(nil)    // moves inline clients of older saves first
            let rows = try workspace.guarded { try cases.oauthClients() }.map {
                Row(name: $0.client.name, clientId: $0.client.clientId, usedBy: $0.usedBy.map(\.name), updatedAt: $0.client.updatedAt)
            }
            if json { return try Output.json(rows, listedAs: "clients") }
            guard !rows.isEmpty else { return Output.print("No stored OAuth 2.0 clients. Add one with: connwiz oauth-client add NAME --client-id ID --secret env:VAR") }
            Output.table(["NAME", "CLIENT ID", "USED BY", "UPDATED"], rows.map {
                [$0.name, $0.clientId, $0.usedBy.isEmpty ? "–" : $0.usedBy.joined(separator: ", "), Output.date($0.updatedAt)]
            })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a stored client (its secret only as encrypted).")
        @Argument(help: ArgumentHelp("The client's name.", valueName: "name"), completion: CompletionSource.clients) var name: String
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let workspace = Workspace(global)
            let found = try OAuthClientCommand.client(named: name, in: workspace.useCases(nil), workspace: workspace)
            if json { return try OAuthClientCommand.printJSON(found, change: nil) }
            let (client, readable, users) = (found.client, found.secretReadable, found.usedBy)
            Output.print(client.name)
            Output.print("  Client ID      \(client.clientId)")
            Output.print("  Client secret  " + (client.sealedSecret == nil ? "(not set)" : readable ? "•••••• (encrypted)" : "•••••• (CANNOT BE DECRYPTED)"))
            Output.print("  Used by        " + (users.isEmpty ? "–" : users.map(\.name).joined(separator: ", ")))
            Output.print("  Updated        \(Output.date(client.updatedAt))")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change a stored client's ID or secret; every connection using it follows.")
        @Argument(help: ArgumentHelp("The client's name.", valueName: "name"), completion: CompletionSource.clients) var name: String
        @Option(name: .customLong("client-id"), help: ArgumentHelp("A new client ID.", valueName: "id")) var clientId: String?
        @Option(name: .long, help: ArgumentHelp("A new client secret, from env:VAR, file:PATH or stdin.", valueName: "source")) var secret: String?
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print the changed client as JSON.") var json = false

        func run() throws {
            let workspace = Workspace(global)
            let cases = workspace.useCases(nil)
            let client = try OAuthClientCommand.client(named: name, in: cases, workspace: workspace).client
            guard clientId != nil || secret != nil else { throw CLIFailure.usage("give --client-id, --secret or both") }
            let text = try secret.map { try SecretSource.read($0, for: "--secret", environment: workspace.environment, stdin: StandardInputLines()) }
            let edited = try OAuthClientCommand.refused(workspace) { try cases.editOAuthClient(client, clientId: clientId, secret: text) }
            if json { return try OAuthClientCommand.printJSON(edited, change: "updated") }
            let users = edited.usedBy
            Output.print("Updated OAuth 2.0 client “\(client.name)”" + (users.isEmpty ? "." : "; used by " + users.map { "“\($0.name)”" }.joined(separator: ", ") + "."))
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a stored client that no connection uses.")
        @Argument(help: ArgumentHelp("The client's name.", valueName: "name"), completion: CompletionSource.clients) var name: String
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print what was deleted as JSON.") var json = false

        func run() throws {
            let workspace = Workspace(global)
            let cases = workspace.useCases(nil)
            let client = try OAuthClientCommand.client(named: name, in: cases, workspace: workspace).client
            try OAuthClientCommand.refused(workspace) { try cases.deleteOAuthClient(client) }
            if json {
                struct Deleted: Encodable { let deleted = true; let name: String; let clientId: String }
                return try Output.json(Deleted(name: client.name, clientId: client.clientId))
            }
            Output.print("Deleted OAuth 2.0 client “\(client.name)”.")
        }
    }

    /// One stored client as JSON: its name, ID, whether its secret opens, and who uses it.
    static func printJSON(_ found: OAuthClientListing, change: String?) throws {
        struct Client: Encodable {
            let name: String
            let clientId: String
            let secretStored: Bool
            let secretReadable: Bool
            let usedBy: [String]
            let updatedAt: Date
            let change: String?
        }
        let client = found.client
        try Output.json(Client(name: client.name, clientId: client.clientId, secretStored: client.sealedSecret != nil,
                               secretReadable: found.secretReadable, usedBy: found.usedBy.map(\.name),
                               updatedAt: client.updatedAt, change: change))
    }
}
