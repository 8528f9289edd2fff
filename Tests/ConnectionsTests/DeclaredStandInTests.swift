import ConnectionCore
import ConnectorSchema
import Foundation
import Sandbox
@testable import StandIns
import Testing

/// The declared stand-ins (issue 22): every built-in one builds, hosts are matched by the
/// base URI's shape, and lint names what is wrong with a stand-in.
@Suite("Declared stand-ins, in process")
struct DeclaredStandInTests {
    /// Built on first use, a stand-in answers exactly the hosts it answers built at once; a
    /// host none of the connector's URL templates fits leaves it unbuilt.
    @Test func aLazyStandInAnswersAsTheBuiltOneAndIsBuiltOnlyWhenAHostFits() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lazy-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var unbuilt = 0
        for entry in ConnectorCatalog.builtin().entries where entry.schema.standIn != nil {
            let eager = try DeclaredStandIn(schema: entry.schema, folder: folder)
            let lazy = LazyDeclaredStandIn(schema: entry.schema, folder: folder)
            #expect(!lazy.answers(host: "api.eu.integrator.io"), "\(entry.schema.id)")
            if lazy.patterns != nil {
                #expect(!lazy.isBuilt, "\(entry.schema.id): built for a host no template fits")
                unbuilt += 1
            }
            let hosts = eager.hostNames.map { $0.replacingOccurrences(of: "*", with: "acme") } + ["acme.example.com", "login.example.net"]
            for host in hosts {
                #expect(lazy.answers(host: host) == eager.answers(host: host), "\(entry.schema.id) \(host)")
            }
            #expect(lazy.hostNames == eager.hostNames)
        }
        #expect(unbuilt >= 20, "most stand-ins are judged from their templates alone")
    }

    @Test func everyBuiltinStandInBuildsAndAnswersItsGoodAccount() throws {
        let catalog = ConnectorCatalog.builtin()
        let declared = catalog.entries.filter { $0.schema.standIn != nil }
        #expect(!declared.isEmpty)
        for entry in declared {
            let standIn = try DeclaredStandIn(schema: entry.schema)
            let good = try #require(standIn.accounts.first { $0.account.respond == StandInSpec.ok })
            #expect(standIn.answers(host: good.host), "\(entry.schema.id) answers \(good.host)")
            var headers: [String: String] = [:]
            var query: [String: String] = [:]
            switch good.credential {
            case .header(let name, let value): headers[name] = value
            case .query(let name, let value): query[name] = value
            case .oauth2(_, _, let settings, let token, _):
                if let custom = settings.accessTokenHeader { headers[custom.name] = custom.scheme.map { "\($0) \(token)" } ?? token }
                else { headers["Authorization"] = "Bearer \(token)" }
            case .login:
                continue   // StandInTests logs in for real
            case .jwt(_, _, let exchange, let token):
                // A JWT sent on each request is signed by the client; StandInTests sends real ones.
                guard exchange != nil else { continue }
                headers["Authorization"] = "Bearer \(token)"
            case .unsupported(let why): Issue.record("\(entry.schema.id): \(why)")
            }
            let test = try #require(good.tests.first)
            let answer = standIn.handle(SandboxRequest(method: test.method, host: good.host, path: test.path, query: query, headers: headers))
            #expect((200...299).contains(answer.status), "\(entry.schema.id): \(answer.status)")
            let refused = standIn.handle(SandboxRequest(method: test.method, host: good.host, path: test.path))
            #expect(refused.status == entry.schema.standIn?.responses[StandInSpec.unauthorized]?.status)
        }
    }

    /// `connwiz sandbox --help` lists the accounts from what the build embedded, without
    /// decoding a file at every start; it says what the decoded files say.
    /// The sandbox gives a request to the first stand-in that answers its host, so no two
    /// built-in stand-ins may claim one account's host: the second's accounts would all fail.
    @Test func noTwoBuiltinStandInsClaimTheSameAccountHost() throws {
        let standIns = try ConnectorCatalog.builtin().entries.filter { $0.schema.standIn != nil }.map { try DeclaredStandIn(schema: $0.schema) }
        for standIn in standIns {
            for host in Set(standIn.accounts.map(\.host)) {
                let claimants = standIns.filter { $0.answers(host: host) }.map(\.connector)
                #expect(claimants == [standIn.connector], "\(host) is claimed by \(claimants)")
            }
        }
    }

    @Test func theHelpsAccountsAreThoseOfTheDecodedFiles() {
        // The embedded lines name the sandbox's folder as the files do; the decoded ones, a real folder.
        var connector = ""
        let embedded = SandboxAccountList.builtinLines().map { line -> String in
            if !line.hasPrefix(" ") { connector = String(line.prefix { $0 != ":" }) }
            return line.replacingOccurrences(of: StandInSpec.folderReference, with: StandInFiles.folder(for: connector, in: "/SANDBOX"))
        }
        let decoded = SandboxAccountList.lines(in: ConnectorCatalog.builtin(), sandboxFolder: "/SANDBOX")
        #expect(embedded.count == decoded.count)
        #expect(Set(embedded) == Set(decoded), "\(Set(embedded).symmetricDifference(Set(decoded)))")
    }

    @Test func hostsAreMatchedByTheBaseURIsShape() {
        #expect(DeclaredStandIn.hostPattern(of: "https://{{apiKey.dc}}.api.mailchimp.com/3.0") == "*.api.mailchimp.com")
        #expect(DeclaredStandIn.hostPattern(of: "https://{{shop}}.myshopify.com/admin/api/2024-10") == "*.myshopify.com")
        #expect(DeclaredStandIn.hostPattern(of: "https://api.box.com/2.0") == "api.box.com")
        #expect(DeclaredStandIn.hostPattern(of: "{{baseUri}}") == nil, "a whole URL from an answer names no host")
        #expect(DeclaredStandIn.matches("us6.api.mailchimp.com", pattern: "*.api.mailchimp.com"))
        #expect(!DeclaredStandIn.matches("a.b.api.mailchimp.com", pattern: "*.api.mailchimp.com"), "one label per placeholder")
        #expect(!DeclaredStandIn.matches("api.mailchimp.com", pattern: "*.api.mailchimp.com"))
        #expect(!DeclaredStandIn.matches("us6.api.mailchimp.com.evil.example", pattern: "*.api.mailchimp.com"))
        #expect(DeclaredStandIn.matches("acme-sb1.suite.example", pattern: "*-sb1.suite.example"))
    }

    @Test func lintNamesWhatIsWrongWithAStandIn() {
        let text = """
        version: 1
        id: probe
        title: Probe
        fields:
          - {id: name, label: Name, kind: text, required: true}
          - {id: region, label: Region, kind: choice, options: [{value: eu}, {value: us}]}
          - {id: key, label: Key, kind: secret, required: true}
        http:
          baseURI: "https://{{region}}.api.example.com"
          auth: {type: digest, username: u, password: "{{key}}"}
          tests: [{path: /me}]
        standIn:
          accounts:
            - {name: A, answers: {region: asia, key: k, keey: x}}
            - {name: B, answers: {region: eu, key: k2}, respond: unauthorized}
          responses:
            ok: {status: 200}
            unauthorized: {status: 401, body: Unauthorized}
        """
        let diagnostics = SchemaLoader.load(text: text, file: "probe.yaml").diagnostics
        let messages = diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("“asia” is not an option of region") }, "\(messages)")
        #expect(messages.contains { $0.contains("“keey” names no field of this connector") })
        #expect(messages.contains { $0.contains("a declared stand-in cannot check auth type digest") })
        #expect(diagnostics.allSatisfy { ($0.line ?? 0) > 0 }, "each finding has its place in the file")
        let missing = SchemaLoader.load(text: text.replacingOccurrences(of: "\n    unauthorized: {status: 401, body: Unauthorized}", with: ""),
                                        file: "probe.yaml").diagnostics.map(\.message)
        #expect(missing.contains { $0.contains("a stand-in needs the responses “ok” and “unauthorized”") }, "\(missing)")
    }
}
