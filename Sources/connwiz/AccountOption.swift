import ArgumentParser
import ConnectionCore
import ConnectorSchema

/// `--account IO`: the saved integrator.io connection whose account `push`, `oauth-url` and
/// `remote` work in, opened with its connector.
struct AccountOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The saved integrator.io connection of the account.", valueName: "io-connection"),
            completion: CompletionSource.connections)
    var account: String

    func open(in workspace: Workspace) throws -> (connection: StoredConnection, schema: ConnectorSchema) {
        let target = try workspace.connection(named: account)
        return (target, try workspace.connector(target.connector))
    }
}
