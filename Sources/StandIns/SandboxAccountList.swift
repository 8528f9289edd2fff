import ConnectorSchema
import Foundation
import Sandbox

/// One connector's sandbox account as `connwiz sandbox accounts` lists it: answers that
/// succeed under `--sandbox` when given as `--answers`, secrets included (the sandbox's own).
public struct SandboxAccountEntry: Encodable, Sendable, Equatable {
    public var connector: String
    public var name: String
    public var answers: [String: String]
    public var secretFields: [String]
    /// The test needs a browser sign-in first (`connwiz authorize NAME --sandbox`).
    public var needsSignIn: Bool
    /// The declared accounts whose test fails on purpose, with the status they get.
    public var failures: [Failure] = []
    /// Who signs in on the stand-in's sign-in page, when `needsSignIn`.
    public var signIn: SignIn?
    /// The other accounts that succeed (another auth type, another region).
    public var alternatives: [Alternative] = []

    public struct Alternative: Encodable, Sendable, Equatable {
        public var name: String
        public var answers: [String: String]
        public var needsSignIn: Bool
        public var signIn: SignIn?
    }

    public struct SignIn: Encodable, Sendable, Equatable {
        public var username: String
        public var password: String
    }

    public struct Failure: Encodable, Sendable, Equatable {
        public var name: String
        public var answers: [String: String]
        public var respond: String
        public var status: Int
        /// The failure shows after a browser sign-in (`connwiz authorize NAME --sandbox`).
        public var needsSignIn: Bool
        public var signIn: SignIn?
    }
}

/// Every connector the sandbox stands in for, with one account that succeeds: those a
/// connector file declares (`standIn:`) and those of the Swift emulators.
public enum SandboxAccountList {
    /// The Swift emulators' accounts, answered as their connectors ask.
    static let swiftAccounts: [(connector: String, name: String, answers: [String: String], needsSignIn: Bool)] = [
        ("celigo-integrator-io", "integrator.io Europe", ["region": "europe", "token": SandboxAccounts.integratorEuropeToken], false),
        ("celonis", "Celonis team acme.eu-1", ["apiType": "intelligence", "domain": SandboxAccounts.celonisTeam, "authType": "custom",
                                               "appKey": SandboxAccounts.celonisAppKey], false),
        ("certinia", "Certinia on the Salesforce production org", ["accountType": "production", "oauthFlow": "refresh-token",
                                                   "consumerKey": SandboxAccounts.salesforceClientID,
                                                   "consumerSecret": SandboxAccounts.salesforceClientSecret], true),
        ("salesforce", "Salesforce production org", ["accountType": "production", "oauthFlow": "refresh-token",
                                                     "consumerKey": SandboxAccounts.salesforceClientID,
                                                     "consumerSecret": SandboxAccounts.salesforceClientSecret], true),
        ("netsuite", "NetSuite account \(SandboxAccounts.netsuiteAccount)", ["accountId": SandboxAccounts.netsuiteAccount,
                                                                              "consumerKey": SandboxAccounts.netsuiteConsumerKey,
                                                                              "consumerSecret": SandboxAccounts.netsuiteConsumerSecret,
                                                                              "tokenId": SandboxAccounts.netsuiteTokenID,
                                                                              "tokenSecret": SandboxAccounts.netsuiteTokenSecret], false),
    ]

    /// The connectors the sandbox emulates in Swift.
    public static var swiftConnectors: Set<String> { Set(swiftAccounts.map(\.connector)) }

    /// One entry per connector in `catalog` that has a stand-in, in catalog order; files the
    /// stand-ins declare are written under `sandboxFolder` (nil: a temporary folder), which
    /// their answers then name.
    public static func entries(in catalog: ConnectorCatalog, sandboxFolder: String?) -> [SandboxAccountEntry] {
        catalog.entries.compactMap { entry -> SandboxAccountEntry? in
            let schema = entry.schema
            let secrets = schema.fields.flatMap { field in field.kind.parts.filter(\.isSecret).map { $0.key(in: field.id) } }
            if let swift = swiftAccounts.first(where: { $0.connector == schema.id }) {
                var answers = swift.answers
                answers[ConnectorSchema.nameField] = swift.name
                return SandboxAccountEntry(connector: schema.id, name: swift.name, answers: answers, secretFields: secrets,
                                           needsSignIn: swift.needsSignIn,
                                           signIn: swift.needsSignIn ? SandboxAccountEntry.SignIn(username: SandboxAccounts.salesforceProductionUser,
                                                                                                  password: SandboxAccounts.salesforceProductionPassword) : nil)
            }
            guard let standIn = schema.standIn, let account = standIn.goodAccount,
                  let folder = try? StandInFiles.write(standIn, connector: schema.id, into: sandboxFolder) else { return nil }
            let failures = standIn.accounts.filter { $0.respond != StandInSpec.ok }.map {
                SandboxAccountEntry.Failure(name: $0.name, answers: DeclaredStandIn.answers(of: $0, folder: folder), respond: $0.respond,
                                            status: standIn.responses[$0.respond]?.status ?? 0, needsSignIn: $0.signIn != nil,
                                            signIn: $0.signIn.map { SandboxAccountEntry.SignIn(username: $0.username, password: $0.password) })
            }
            return SandboxAccountEntry(connector: schema.id, name: account.name, answers: DeclaredStandIn.answers(of: account, folder: folder),
                                       secretFields: secrets, needsSignIn: account.signIn != nil, failures: failures,
                                       signIn: account.signIn.map { SandboxAccountEntry.SignIn(username: $0.username, password: $0.password) },
                                       alternatives: standIn.accounts.filter { $0.respond == StandInSpec.ok && $0 != account }.map {
                                           SandboxAccountEntry.Alternative(name: $0.name, answers: DeclaredStandIn.answers(of: $0, folder: folder),
                                                                           needsSignIn: $0.signIn != nil,
                                                                           signIn: $0.signIn.map { SandboxAccountEntry.SignIn(username: $0.username, password: $0.password) })
                                       })
        }
    }

    /// Every secret value of every sandbox account, declared and Swift: they are published, so
    /// an answers file may hold them as they are while requests go to a sandbox.
    public static func secretValues(in catalog: ConnectorCatalog) -> Set<String> {
        var values: Set<String> = []
        for entry in catalog.entries {
            let schema = entry.schema
            var answerSets = (schema.standIn?.accounts ?? []).map(\.answers)
            answerSets += swiftAccounts.filter { $0.connector == schema.id }.map(\.answers)
            for answers in answerSets {
                for (key, value) in answers where schema.isSecret(key: key) { values.insert(value) }
            }
        }
        return values
    }

    /// The built-in accounts as lines, from what the build embedded: cheap enough for a help
    /// text that every start of the program builds.
    public static func builtinLines() -> [String] {
        var accounts = swiftAccounts.map { (connector: $0.connector, name: $0.name, answers: $0.answers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                                            needsSignIn: $0.needsSignIn) }
        accounts += ConnectorCatalog.builtinStandInAccounts.map { (connector: $0.connector, name: $0.name, answers: $0.answers, needsSignIn: $0.needsSignIn) }
        return accounts.sorted { $0.connector < $1.connector }.flatMap { account -> [String] in
            ["\(account.connector): \(account.name)" + (account.needsSignIn ? " (authorize it with --sandbox first)" : "")]
                + account.answers.map { "    \($0.0)=\($0.1)" }
        }
    }

    /// The accounts as lines for `connwiz sandbox` and its help.
    public static func lines(in catalog: ConnectorCatalog, sandboxFolder: String?) -> [String] {
        entries(in: catalog, sandboxFolder: sandboxFolder).flatMap { entry -> [String] in
            let shown = entry.answers.keys.sorted().filter { $0 != ConnectorSchema.nameField }.map { "    \($0)=\(entry.answers[$0] ?? "")" }
            return ["\(entry.connector): \(entry.name)" + (entry.needsSignIn ? " (authorize it with --sandbox first)" : "")] + shown
        }
    }
}
