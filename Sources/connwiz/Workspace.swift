import ArgumentParser
import ConnectionCore
import Connections
import ConnectorSchema
import FormEngine
import Foundation
import Sandbox
import StandIns

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder for all connwiz state.", valueName: "dir"))
    var home: String?
}

/// The wiring of one run: where state lives, the connector catalog, the store.
struct Workspace {
    let home: HomeFolder
    let environment: [String: String]
    let store: ConnectionStore

    init(_ options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        home = HomeFolder.resolve(option: options.home, environment: environment)
        store = ConnectionStore(home: home, environment: environment, notice: { Output.note($0) })
    }

    /// Built-in and user connectors; problems of skipped user files go to standard error.
    func catalog(reportProblems: Bool = true) -> ConnectorCatalog {
        let catalog = ConnectorCatalog.load(userFolder: home.connectorsFolder)
        if reportProblems { report(catalog.diagnostics) }
        return catalog
    }

    /// Problems of connector files on standard error; a file with an error was skipped.
    func report(_ diagnostics: [SchemaDiagnostic]) {
        for diagnostic in diagnostics {
            Output.note(diagnostic.catalogLine)
        }
    }

    /// The connector `id`, decoding only its own file (summaries come from the index).
    func connector(_ id: String) throws -> ConnectorSchema {
        let index = ConnectorIndex(home: home)
        let users = index.listing(builtins: false)
        TraceClock.mark("user connectors listed")
        report(users.diagnostics)
        if let schema = index.schema(id, listing: users) { return schema }
        let known = index.listing().summaries.map(\.id).sorted()
        throw CLIFailure.usage("unknown connector “\(id)”; choose one of: " + known.joined(separator: ", "), reason: "unknown_connector")
    }

    func connector(_ id: String, in catalog: ConnectorCatalog) throws -> ConnectorSchema {
        guard let schema = catalog.connector(id) else {
            throw CLIFailure.usage("unknown connector “\(id)”; choose one of: " + catalog.ids.joined(separator: ", "), reason: "unknown_connector")
        }
        return schema
    }

    /// The saved connection named `name`; an unknown name is a usage error (status 2).
    func connection(named name: String) throws -> StoredConnection {
        do { return try store.connection(named: name) } catch StoreError.notFound {
            let names = (try? store.all().map(\.name)) ?? []
            throw CLIFailure.usage("no connection is named “\(name)”" + (names.isEmpty ? "; there are none yet" : "; saved: " + names.joined(separator: ", ")), reason: "not_found")
        } catch let error as StoreError {
            throw CLIFailure.failed(error.description)
        }
    }

    /// Where the store key is, for `key`, `home` and `show`: missing, not "none yet", when
    /// the store already holds sealed secrets.
    var keyPlace: String {
        let sealed = ((try? store.all()) ?? []).reduce(0) { $0 + $1.sealedCount }
            + ((try? store.oauthClients()) ?? []).filter { $0.sealedSecret != nil }.count
        return StoreKey.placeLine(home: home, environment: environment, sealedSecrets: sealed)
    }

    func savedForForms() throws -> [FormContext.SavedConnection] {
        try guarded { try store.all() }.map { FormContext.SavedConnection(id: $0.id, name: $0.name, connectorID: $0.connector, values: $0.values) }
    }

    /// The use cases over this home, sending through `network` (nil for a command that
    /// sends nothing). `drawing` (the full screen) keeps problems of connector files off
    /// standard error, which cannot be written while the screen is drawn; it lists them itself.
    func useCases(_ network: NetworkOptions?, drawing: Bool = false) -> ConnectionUseCases {
        // Inline OAuth 2.0 clients of older saves become stored clients the first time.
        if let moved = try? store.migrateInlineClients(), moved > 0 {
            Output.note("note: moved \(moved) inline OAuth 2.0 client(s) into stored clients (connwiz oauth-client list)")
        }
        return ConnectionUseCases(store: store, log: ExchangeLog(home: home), transport: transport(network),
                           browser: SystemBrowser(environment: environment),
                           connectors: drawing ? .installed(in: home) : connectorLookup())
    }

    /// The connectors as the use cases find them (each read once, by `ConnectorLookup`), a
    /// user file's problems said on standard error when it is read.
    func connectorLookup() -> ConnectorLookup {
        ConnectorLookup { id in try? connector(id) }
    }

    /// Direct, to a running sandbox (`--sandbox-url`), or to one started in this process on
    /// first use (`--sandbox`).
    func transport(_ network: NetworkOptions?) -> NetworkTransport {
        guard let network else { return NetworkTransport(nil) }
        var options = TransportOptions(connectTimeout: network.connectTimeout, totalTimeout: network.timeout, caFile: network.caFile,
                                       allowPrivateRedirects: network.allowPrivateRedirects)
        if let megabytes = network.maxBody ?? environment["CONNWIZ_MAX_BODY"].flatMap({ Int($0) }), megabytes > 0 {
            options.maximumKeptBody = megabytes << 20
        }
        if let url = network.sandboxURL { options.route = .sandbox(url) }
        // Checked when the options were parsed; an unusable setting cannot get this far.
        options.proxy = (try? network.proxyPolicy(environment: environment)) ?? .direct
        guard network.sandbox else { return NetworkTransport(options) }
        let folder = home.sandboxFolder
        var settings = SandboxSettings()
        if let lifetime = network.sandboxTokenLifetime { settings.tokenLifetime = lifetime }
        if let interval = environment["CONNWIZ_SANDBOX_DEVICE_INTERVAL"].flatMap({ Int($0) }), (1...60).contains(interval) {
            settings.deviceInterval = interval
        }
        let standIns = standIns()
        return NetworkTransport(options) { [settings] in
            let server = try await SandboxServer.start(service: try SandboxService(stateFolder: folder, settings: settings, responders: standIns))
            return NetworkTransport.StartedSandbox(url: server.url) { await server.stop() }
        }
    }

    /// The stand-ins the connector files declare, built-in and the user's, each built when a
    /// request could be for it; a file whose stand-in cannot be built answers no host
    /// (`connwiz schema lint` says why).
    func standIns() -> [any SandboxResponder] {
        catalog(reportProblems: false).entries.compactMap { entry in
            entry.schema.standIn == nil ? nil : LazyDeclaredStandIn(schema: entry.schema, folder: home.sandboxFolder)
        }
    }

    /// Runs a store operation, turning its errors into failures with their message.
    @discardableResult
    func guarded<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as StoreError { throw CLIFailure.failed(error.description, reason: "store") }
    }
}

/// Whether both ends are a terminal, so questions can be asked.
enum Terminal {
    static var inputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }
}
