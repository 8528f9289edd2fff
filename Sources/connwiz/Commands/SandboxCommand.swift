import ArgumentParser
import ConnectionCore
import Foundation
import ConnectorSchema
import Sandbox
import StandIns

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the offline stand-ins of the applications connwiz knows, on loopback.",
        discussion: "`connwiz sandbox` serves until Ctrl-C (see `connwiz sandbox serve --help`). Its accounts, one per application:\n\n"
            + SandboxAccountList.builtinLines().map { "  " + $0 }.joined(separator: "\n"),
        subcommands: [SandboxServeCommand.self, SandboxAccountsCommand.self],
        defaultSubcommand: SandboxServeCommand.self
    )
}

/// `connwiz sandbox accounts`: an account that succeeds for each connector with a stand-in.
struct SandboxAccountsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "List, for each application the sandbox stands in for, answers that succeed under --sandbox."
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print {\"version\":1,\"accounts\":[…]}: each connector's answers (usable with --answers) and its secret fields.") var json = false

    func run() throws {
        let workspace = Workspace(global)
        let catalog = workspace.catalog()
        if json {
            try Output.json(SandboxAccountList.entries(in: catalog, sandboxFolder: workspace.home.sandboxFolder), listedAs: "accounts")
        } else {
            for line in SandboxAccountList.lines(in: catalog, sandboxFolder: workspace.home.sandboxFolder) { Output.print(line) }
        }
    }
}

struct SandboxServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the offline emulator of integrator.io, Celonis, Salesforce and NetSuite on loopback.",
        discussion: """
        Serves until Ctrl-C. Other commands reach it with --sandbox-url; --sandbox starts a \
        private one for a single command instead. What it creates (integrator.io connections, \
        tokens) is kept in the home folder's sandbox/ folder.

        Accounts (connwiz sandbox accounts lists answers for every application, declared \
        stand-ins included):

        """ + SandboxAccounts.summary(keyFile: "<home>/sandbox/\(SandboxAccounts.salesforceJWTKeyFile)").map { "  " + $0 }.joined(separator: "\n")
            + "\n\n" + SandboxAccountList.builtinLines().filter { !$0.hasPrefix("    ") }.map { "  " + $0 }.joined(separator: "\n")
    )

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: ArgumentHelp("The port on 127.0.0.1 (0 picks a free one).", valueName: "n")) var port = 7411

    @Option(name: .customLong("token-lifetime"), help: ArgumentHelp("Seconds an issued access token lives, to see refreshes.", valueName: "seconds"))
    var tokenLifetime = 7200
    @Option(name: .customLong("device-interval"), help: ArgumentHelp("Seconds a device must wait between polls.", valueName: "seconds"))
    var deviceInterval = 5

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (1...86_400).contains(tokenLifetime) else { throw ValidationError("--token-lifetime takes 1 to 86400 (seconds)") }
        guard (1...60).contains(deviceInterval) else { throw ValidationError("--device-interval takes 1 to 60 (seconds)") }
    }

    func run() async throws {
        let workspace = Workspace(global)
        let service: SandboxService
        let server: SandboxServer
        do {
            service = try SandboxService(stateFolder: workspace.home.sandboxFolder,
                                         journal: SandboxJournal(observer: { Output.print($0.line) }),
                                         settings: SandboxSettings(tokenLifetime: tokenLifetime, deviceInterval: deviceInterval),
                                         responders: workspace.standIns())
            server = try await SandboxServer.start(service: service, port: port)
        } catch {
            throw CLIFailure.failed("the sandbox could not start: \(error)")
        }
        Output.print("connwiz sandbox listening on \(server.url)  (Ctrl-C stops it)")
        Output.print("")
        Output.print("Services:   " + service.hosts.joined(separator: ", "))
        Output.print("Use it:     connwiz test NAME --sandbox-url \(server.url)")
        Output.print("Faults:     \(server.url)/_faults/… (see \(server.url)/)")
        Output.print("Sign-in:    \(server.url)/services/oauth2/authorize?…&sandbox_host=login.salesforce.com (pages for a browser)")
        Output.print("")
        Output.print("Seeded accounts:")
        for line in SandboxAccounts.summary(keyFile: service.salesforceKeyFile ?? "") { Output.print("  " + line) }
        Output.print("Declared stand-ins (connwiz sandbox accounts --json for all):")
        for line in SandboxAccountList.lines(in: workspace.catalog(reportProblems: false), sandboxFolder: workspace.home.sandboxFolder) { Output.print("  " + line) }
        Output.print("")
        Output.print("Requests:")
        let stop = StopSignal()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await server.wait() }
            group.addTask { await stop.wait() }
            await group.next()
            group.cancelAll()
        }
        await server.stop()
        Output.print("Sandbox stopped.")
    }
}
