import ArgumentParser
import ConnectionCore
import Connections
import ConnectorSchema
import FormEngine
import Foundation

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a saved connection. Secrets are shown as dots, with whether they still decrypt."
    )

    @Argument(help: ArgumentHelp("The connection's name.", valueName: "name"), completion: CompletionSource.connections) var connection: String
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Print what the answers resolve to over HTTP (base URI, authentication as a fingerprint, test requests, concurrency), as the panel's HTTP view does.")
    var http = false

    func validate() throws {
        if http && json { throw ValidationError("--http prints text; use --json or --http, not both") }
    }

    struct Document: Encodable {
        var id: String
        var name: String
        var connector: String
        var createdAt: Date
        var updatedAt: Date
        var values: [String: FieldValue]
        /// Secret keys with a mask, never their value.
        var secrets: [String: String]
        var secretsReadable: [String: Bool]
        var lastTest: TestSummary?
        /// For a connection that signs in through a browser: whether it holds tokens.
        var authorized: Bool?
        var authorizedAt: Date?
        /// Its `_id` in each integrator.io account it was pushed to, by the account's name.
        var remoteIDs: [String: String]
    }

    func run() throws {
        let workspace = Workspace(global)
        let saved = try workspace.connection(named: connection)
        if http { return try printHTTP(saved, workspace: workspace) }
        let cases = workspace.useCases(nil)
        let details = cases.details(of: saved)
        let checks = details.secrets
        let unreadable = checks.compactMap { key, result -> String? in
            if case .failure(let error) = result { return "\(key): \(error)" }
            return nil
        }.sorted()
        let (signsIn, remoteIDs) = (details.signsIn, details.remoteIDs)

        if json {
            try Output.json(Document(
                id: saved.id, name: saved.name, connector: saved.connector, createdAt: saved.createdAt, updatedAt: saved.updatedAt,
                values: saved.values, secrets: saved.secrets.mapValues { _ in "••••••" },
                secretsReadable: checks.mapValues { if case .success = $0 { return true } else { return false } },
                lastTest: saved.lastTest, authorized: signsIn ? saved.credentials != nil : nil,
                authorizedAt: saved.credentials?.obtainedAt, remoteIDs: remoteIDs))
        } else {
            Output.print(saved.name)
            var rows: [[String]] = [["Application", details.schema?.title ?? saved.connector + " (connector file not found)"],
                                    ["Id", saved.id], ["Created", Output.date(saved.createdAt)], ["Updated", Output.date(saved.updatedAt)]]
            if let test = saved.lastTest {
                rows.append(["Last test", "\(test.passed ? "passed" : "failed"): \(test.status) (\(Output.date(test.at)))"])
            }
            if signsIn {
                rows.append(["Sign-in", saved.credentials.map { "authorized \(Output.date($0.obtainedAt)); tokens encrypted" + ($0.instanceURL.map { ", instance \($0)" } ?? "") }
                             ?? "needs authorization: connwiz authorize \(LogPrinter.quoted(saved.name))"])
            }
            for (account, id) in remoteIDs.sorted(by: { $0.key < $1.key }) { rows.append(["In account", "\(account) as \(id)"]) }
            if !saved.secrets.isEmpty || saved.credentials != nil {
                rows.append(["Store key", workspace.keyPlace])
            }
            if let schema = details.schema {
                let form = FormState(schema: schema, context: try workspace.guarded { try cases.formContext(.create) }, prefill: saved.values)
                for field in form.visibleFields {
                    let refersToClient = !(saved.values[field.id]?.part(ConnectionStore.clientReferencePart) ?? "").isEmpty
                    guard field.kind.holdsSecret, !refersToClient else {
                        rows.append([field.label, form.display(field.id) ?? "—"])
                        continue
                    }
                    // Secrets show only whether they are there and still decrypt.
                    let parts = field.kind.parts.map { part -> String in
                        guard part.isSecret else { return saved.values[field.id]?.part(part.id) ?? "—" }
                        let prefix = part.id.isEmpty ? "" : part.label.lowercased() + " "
                        switch checks[part.key(in: field.id)] {
                        case .success?: return prefix + "•••••• (encrypted)"
                        case .failure?: return prefix + "•••••• (CANNOT BE DECRYPTED)"
                        case nil: return prefix + "(not set)"
                        }
                    }
                    rows.append([field.label, parts.joined(separator: ", ")])
                }
            } else {
                for (key, value) in saved.values.sorted(by: { $0.key < $1.key }) { rows.append([key, value.text]) }
                for key in saved.secrets.keys.sorted() { rows.append([key, "••••••"]) }
            }
            let width = rows.map { $0[0].count }.max() ?? 0
            for row in rows { Output.print("  " + row[0].padding(toLength: width, withPad: " ", startingAt: 0) + "  " + row[1]) }
        }
        if !unreadable.isEmpty {
            for problem in unreadable { Output.error(problem) }
            throw CLIFailure.quiet(1)
        }
    }

    /// `show NAME --http`: the panel's HTTP view of the saved answers.
    func printHTTP(_ saved: StoredConnection, workspace: Workspace) throws {
        let view: (title: String, lines: [String])
        do { view = try workspace.guarded { try workspace.useCases(nil).httpView(of: saved) } } catch let failure as UseCaseFailure {
            throw CLIFailure.failed(failure.message)
        }
        Output.print("\(saved.name) (\(view.title)) over HTTP")
        for line in view.lines { Output.print("  " + line) }
    }
}
