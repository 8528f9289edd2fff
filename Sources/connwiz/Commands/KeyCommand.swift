import ArgumentParser
import ConnectionCore

/// `connwiz key move --to keyring|file`: where the key that seals the store's secrets is kept.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Say where the store key is, or move it between the system keyring and the key file.",
        discussion: """
        connwiz keeps the key that seals every secret in the system keyring when one answers \
        (the Secret Service: GNOME Keyring, KWallet), else in the key file in the home folder \
        (mode 0600), or takes it from CONNWIZ_KEY.
        """,
        subcommands: [Where.self, Move.self],
        defaultSubcommand: Where.self
    )

    struct Where: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "where", abstract: "Say where the store key is.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            Output.print("Store key: " + Workspace(global).keyPlace)
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "move",
            abstract: "Move the store key into the system keyring or into the key file.",
            discussion: """
            The same key moves, so no secret is sealed again. It is written to the new place and \
            read back before the old place is emptied. A new place that already holds a \
            different key is refused, and nothing changes.
            Exit status: 0 moved (or already there), 1 not.
            Example: connwiz key move --to keyring
            """
        )

        @Option(name: .long, help: ArgumentHelp("Where the key goes: keyring or file.", valueName: "place"),
                completion: .list(KeyDestination.allCases.map(\.rawValue)))
        var to: String
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard KeyDestination(rawValue: to) != nil else { throw ValidationError("--to takes keyring or file, not “\(to)”") }
        }

        func run() throws {
            guard let destination = KeyDestination(rawValue: to) else { return }
            let workspace = Workspace(global)
            do {
                Output.print(try StoreKey.move(to: destination, home: workspace.home, environment: workspace.environment))
            } catch let error as StoreError {
                throw CLIFailure.failed(error.description)
            }
        }
    }
}
