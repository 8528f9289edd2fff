import ConnectorSchema
import Foundation
import Testing
import TestSupport

/// Issue 22's bar, one application per case: with the answers `connwiz sandbox accounts --json`
/// lists, each built-in application is created by flags and tested under `--sandbox` (every
/// succeeding account, signing in through the stand-in's page where it has one), each declared
/// failure and a wrong secret are quoted with their hints, a plain-prompt walk over a pipe
/// creates, tests and saves it, it is pushed into the sandbox's integrator.io account, and
/// `show --http`, `export`, `log` and the HAR work. Every secret is searched for in every
/// output and file.
@Suite("Every application", .serialized, .oneAtATime)
struct EveryApplicationTests {
    /// Every built-in application, by id, as the catalog lists them.
    static let connectors = ConnectorCatalog.builtinSummaries.map(\.id)

    /// What one case printed and the secrets it used, searched together at the end.
    final class Record: @unchecked Sendable {
        var outputs: [String] = []
        var secrets: [String] = []
    }

    @Test(arguments: connectors)
    func createdTestedWalkedPushedAndExported(_ connector: String) async throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path)
        let listed = try StandInTests.accounts(connwiz).filter { $0.connector == connector }
        let entry = try #require(listed.first, "the sandbox lists an account for \(connector)")
        let schema = try #require(ConnectorCatalog.builtin(connector))
        let record = Record()
        let io = try connwiz.run(["new", "celigo-integrator-io", "--name", "IO EU", "--set", "region=europe", "--secret", "token=env:T", "--yes"],
                                 environment: ["T": "sbx-io-eu-token"])
        #expect(io.status == 0, "\(io)")

        try await Self.eachSucceedingAccount(entry, connwiz: connwiz, home: home, record)
        try await StandInTests.eachFailureAndAWrongSecret(entry, connwiz: connwiz, home: home, record)
        try await Self.plainWalkThenPush(entry, schema: schema, connwiz: connwiz, home: home, record)

        let leaks = SecretForms.leaks(of: record.secrets.filter { $0.count >= 8 }, in: record.outputs, home: home)
            .filter { !$0.contains(".json") }   // the answers files written here hold them on purpose
        #expect(leaks.isEmpty, "\(connector): \(leaks.prefix(5).joined(separator: "\n"))")
    }

    /// Every account the listing says succeeds, created by an answers file and tested (or
    /// signed in, which tests), then shown, exported and its log read.
    static func eachSucceedingAccount(_ entry: StandInTests.Entry, connwiz: BinaryRunner, home: TemporaryFolder, _ record: Record) async throws {
        for (number, account) in entry.succeeding.enumerated() {
            var answers = account.answers
            answers["name"] = number == 0 ? entry.name : "\(entry.connector) \(number)"
            let name = answers["name"]!
            record.secrets += entry.secretFields.compactMap { answers[$0] }
            let file = home.write("\(entry.connector)-\(number).json", String(decoding: try JSONSerialization.data(withJSONObject: answers), as: UTF8.self))
            if account.needsSignIn {
                let saved = try connwiz.run(["new", entry.connector, "--answers", file, "--yes", "--sandbox"])
                #expect(saved.status == 0, "\(entry.connector): \(saved)")
                record.outputs.append(saved.output)
                let user = try #require(account.signIn, "\(entry.connector): needs a sign-in but names no user")
                let signIn = try await StandInTests.authorize(name, home: home.path, as: user)
                record.outputs.append(signIn.printed)
                record.secrets += [signIn.code].compactMap { $0 }
                #expect(signIn.status == 0 && signIn.printed.contains("Test succeeded"), "\(entry.connector) \(name): \(signIn.printed)")
            } else {
                let run = try connwiz.run(["new", entry.connector, "--answers", file, "--yes", "--test", "--sandbox"])
                record.outputs.append(run.output)
                #expect(run.status == 0 && run.stdout.contains("Test succeeded"), "\(entry.connector) \(name): \(run)")
            }
            for command in [["show", name, "--http"], ["export", name], ["log", name], ["log", name, "--har", "-"]] {
                let shown = try connwiz.run(command)
                #expect(shown.status == 0, "\(command): \(shown)")
                record.outputs.append(shown.output)
            }
        }
    }

    /// The first account typed at the line prompts over a pipe: the lines are worked out by
    /// walking the same form engine the prompts drive, so they follow the file's field order,
    /// conditions and advanced gate. Tested at the review (or signed in after saving), saved,
    /// then pushed into the sandbox's integrator.io account and shown there.
    static func plainWalkThenPush(_ entry: StandInTests.Entry, schema: ConnectorSchema, connwiz: BinaryRunner, home: TemporaryFolder,
                                  _ record: Record) async throws {
        var answers = entry.answers
        answers["name"] = "\(entry.connector) typed"
        record.secrets += entry.secretFields.compactMap { answers[$0] }
        var lines = try lines(answering: answers, schema: schema)
        lines += entry.needsSignIn ? ["s"] : ["t", "s"]
        let walk = try connwiz.run(["new", entry.connector, "--sandbox"], input: lines.joined(separator: "\n") + "\n")
        record.outputs.append(walk.output)
        #expect(walk.status == 0 && walk.stdout.contains("Saved connection “\(answers["name"]!)”"), "\(entry.connector) typed: \(lines) \(walk)")
        if entry.needsSignIn {
            let user = try #require(entry.signIn)
            let signIn = try await StandInTests.authorize(answers["name"]!, home: home.path, as: user)
            record.outputs.append(signIn.printed)
            record.secrets += [signIn.code].compactMap { $0 }
            #expect(signIn.status == 0 && signIn.printed.contains("Test succeeded"), "\(entry.connector) typed: \(signIn.printed)")
        } else {
            #expect(walk.stdout.contains("Test succeeded"), "\(entry.connector) typed, tested at the review: \(walk.stdout)")
        }
        let push = try connwiz.run(["push", answers["name"]!, "--account", "IO EU", "--sandbox"])
        record.outputs.append(push.output)
        #expect(push.status == 0 && push.stdout.contains("Created “\(answers["name"]!)” in IO EU as "), "\(entry.connector) pushed: \(push)")
        let again = try connwiz.run(["push", answers["name"]!, "--account", "IO EU", "--sandbox", "--json"])
        record.outputs.append(again.output)
        #expect(again.status == 0 && again.stdout.contains("\"created\" : false") && again.stdout.contains("\"pushed\" : true"), "\(entry.connector) pushed again updates: \(again)")
        for command in [["show", answers["name"]!, "--http"], ["export", answers["name"]!]] {
            let shown = try connwiz.run(command)
            #expect(shown.status == 0, "\(command): \(shown)")
            record.outputs.append(shown.output)
        }
    }

    /// The lines an operator types at the prompts for `answers`: the field's answer (a
    /// choice's number), a line per part of a new OAuth 2.0 client, Enter for a field left at
    /// its default, and y at the advanced gate when an advanced field has an answer.
    static func lines(answering answers: [String: String], schema: ConnectorSchema) throws -> [String] {
        try FormMove.moves(answering: answers, schema: schema).flatMap { move -> [String] in
            switch move {
            case .type(_, let text, _): return [text]
            case .pick(_, let number): return [number.map(String.init) ?? ""]
            case .tick(_, let numbers, _): return [numbers.map(String.init).joined(separator: ",")]
            case .client(_, let parts): return parts
            case .advanced(let wanted): return [wanted ? "y" : "n"]
            }
        }
    }
}
