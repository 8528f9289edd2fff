import ArgumentParser
import ConnectionCore
import Connections
import Foundation

/// `connwiz remote list|pull|diff`: the integrator.io account as the team's shared store.
struct RemoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Look at the connections in an integrator.io account, bring one here, or compare one with its local copy.",
        subcommands: [List.self, Pull.self, Diff.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the account's connections: name, type, _id, online or offline, and the local connection linked to each, same or differing.")

        @OptionGroup var account: AccountOption
        @Flag(name: .long, help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions
        @OptionGroup var network: NetworkOptions

        struct Summary: Encodable {
            let version = 1
            let account: String
            let connections: [RemoteConnection]
        }

        func run() async throws {
            let workspace = Workspace(global)
            let (target, schema) = try account.open(in: workspace)
            let list = try await workspace.useCases(network).once { try await $0.remoteConnections(in: target, schema: schema) }
            if json { return try Output.json(Summary(account: target.name, connections: list)) }
            guard !list.isEmpty else { return Output.print("The account of “\(target.name)” has no connections.") }
            Output.table(["NAME", "TYPE", "ID", "STATE", "LOCAL"], list.map { remote in
                [remote.name, remote.type, remote.id, remote.offline ? "offline" : "online",
                 remote.pushedFrom.map { name in
                     // Not compared (its secrets could not be opened): linked, and no more is known.
                     name + (remote.differs.map { $0 ? " (differs)" : " (same)" } ?? " (not compared)")
                 } ?? "–"]
            })
        }
    }

    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pull",
            abstract: "Bring a connection from an integrator.io account into the local store.",
            discussion: """
            Every answer comes from the account except the secrets, which it shows as ******: \
            the panel (or the prompts) opens on the connection and asks only for them. The \
            connection remembers its _id there, so a later push updates it; pulled again, it \
            updates the local connection linked to that _id. Takes the same answer options as \
            `new` (--secret FIELD=env:VAR --yes asks nothing).
            Example: connwiz remote pull "Orders API" --account "IO EU" --secret token=env:ORDERS_TOKEN --yes
            """
        )

        @Argument(help: ArgumentHelp("The connection's name (or _id) in the account.", valueName: "name"))
        var connection: String
        @OptionGroup var account: AccountOption
        @OptionGroup var global: GlobalOptions
        @OptionGroup var answers: DocumentFormOptions

        func run() async throws {
            let workspace = Workspace(global)
            let (target, accountSchema) = try account.open(in: workspace)
            let name = connection
            let pulled = try await workspace.useCases(answers.checks.network).once { try await $0.pull(name, from: target, schema: accountSchema) }
            let origin = "\(target.name) (\(pulled.remoteID))"
            try await answers.form(workspace).run(pulled.answers, from: origin, linked: pulled.linked, remoteIDs: [target.id: pulled.remoteID])
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Show how a local connection and its copy in an integrator.io account differ, secrets never shown.",
            discussion: """
            NAME is the local connection, or the account's connection linked to one. Each \
            differing field of the connection document is printed with both values; a secret \
            says only that it differs. A secret the account shows as ****** cannot be compared.
            Exit status: 0 the same, 1 they differ, 2 a usage error.
            """
        )

        @Argument(help: ArgumentHelp("The connection's name.", valueName: "name"), completion: CompletionSource.connections)
        var connection: String
        @OptionGroup var account: AccountOption
        @Flag(name: .long, help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions
        @OptionGroup var network: NetworkOptions

        func run() async throws {
            let workspace = Workspace(global)
            let (target, schema) = try account.open(in: workspace)
            let name = connection
            let difference = try await workspace.useCases(network).once { try await $0.remoteDiff(name, in: target, schema: schema) }
            if json {
                struct Summary: Encodable { let version = 1; let account: String; let same: Bool; let difference: RemoteDifference }
                try Output.json(Summary(account: target.name, same: difference.fields.isEmpty, difference: difference))
            } else if difference.fields.isEmpty {
                Output.print("“\(difference.local)” is the same here and in \(target.name) (\(difference.remoteID)).")
            } else {
                Output.print("“\(difference.local)” here and “\(difference.remote)” in \(target.name) (\(difference.remoteID)) differ in \(difference.fields.count) field(s):")
                Output.table(["FIELD", "HERE", "IN THE ACCOUNT"], difference.fields.map {
                    $0.secret ? [$0.path, "(a secret: differs, not shown)", ""] : [$0.path, $0.local ?? "(none)", $0.remote ?? "(none)"]
                })
            }
            if !difference.fields.isEmpty { throw CLIFailure.quiet(1) }
        }
    }
}
