@testable import ConnectionCore
import ConnectorSchema
import Foundation
import Sandbox
import Testing
import TestSupport

/// The format gaps third-party connector files found (issue 21), each closed and proved over
/// the sandbox's fault endpoints: token-request explanations, a rate limit said by a header,
/// and response paths a connector declares secret.
@Suite("Connector format gaps", .serialized)
struct FormatGapTests {
    static func schema(_ rig: LoopbackRig, auth: String, path: String, extra: String = "") throws -> ConnectorSchema {
        let text = """
        version: 1
        id: gaps
        title: Gaps
        fields:
          - {id: name, label: Name, kind: text, required: true}
          - {id: token, label: Token, kind: secret, required: true}
        http:
          baseURI: \(rig.server.url)/_faults
          auth: \(auth)
        \(extra)
          tests:
            - path: \(path)
        """
        let loaded = SchemaLoader.load(text: text, file: "gaps.yaml")
        return try #require(loaded.schema, "\(loaded.diagnostics)")
    }

    func run(_ rig: LoopbackRig, _ schema: ConnectorSchema, key: String) async throws -> TestAttempt {
        try await rig.tester.run(ConnectionTester.Subject(name: "G", logKey: key, schema: schema,
                                                          values: ["name": .string("G"), "token": .string("gap-secret-5151")])).attempt
    }

    /// Azure's AADSTS codes: the connector's explanation of the code the token endpoint
    /// answered is the hint; a code it does not explain leaves the usual line alone.
    @Test func aTokenRequestsErrorCodeIsExplainedByTheConnector() async throws {
        let rig = try await LoopbackRig.start(route: false)
        defer { Task { await rig.stop() } }
        func auth(_ code: Int) -> String {
            """
            {type: oauth2, grant: clientCredentials, tokenURL: "\(rig.server.url)/_faults/aadsts/\(code)", clientId: app, clientSecret: "{{token}}",
                   explain: {AADSTS7000215: "The client secret is wrong; copy the secret's value, not its ID.", "700016": "No such application in this tenant."}}
            """
        }
        let secret = try await run(rig, try Self.schema(rig, auth: auth(7_000_215), path: "/ok"), key: "aad-1")
        #expect(secret.outcome.line.hasPrefix("Token request rejected: 401"), "\(secret.outcome.line)")
        #expect(secret.outcome.hint == "The client secret is wrong; copy the secret's value, not its ID.")
        let application = try await run(rig, try Self.schema(rig, auth: auth(700_016), path: "/ok"), key: "aad-2")
        #expect(application.outcome.hint == "No such application in this tenant.")
        let other = try await run(rig, try Self.schema(rig, auth: auth(90_002), path: "/ok"), key: "aad-3")
        #expect(other.outcome.hint == nil || other.outcome.hint?.contains("tenant") == false, "\(String(describing: other.outcome.hint))")
        #expect(rig.home.filesContaining("gap-secret-5151").isEmpty)
    }

    /// GitHub says a spent rate limit with 403 and X-RateLimit-Remaining: 0; a 403 without it
    /// is still a refusal of access.
    @Test func aRateLimit403IsToldApartByItsHeader() async throws {
        let rig = try await LoopbackRig.start(route: false)
        defer { Task { await rig.stop() } }
        let bearer = #"{type: bearer, token: "{{token}}"}"#
        let limited = try await run(rig, try Self.schema(rig, auth: bearer, path: "/rate-limited"), key: "rl-1")
        #expect(limited.outcome.kind == .rateLimited)
        #expect(limited.outcome.line.hasPrefix("Rate limited: 403 Forbidden (X-RateLimit-Remaining: 0)"), "\(limited.outcome.line)")
        #expect(limited.outcome.hint == "The rate limit resets at 2030-01-01 00:00:00 UTC; test again after that.")
        let denied = try await run(rig, try Self.schema(rig, auth: bearer, path: "/status/403"), key: "rl-2")
        #expect(denied.outcome.kind == .rejected && denied.outcome.line.hasPrefix("Access denied: 403"), "\(denied.outcome.line)")
    }

    /// A key under a name no default rule takes for a secret is hidden once the connector
    /// names its path, and shown without it (so the test can fail).
    @Test func aDeclaredSecretPathIsHiddenInEveryLogFile() async throws {
        let rig = try await LoopbackRig.start(route: false)
        defer { Task { await rig.stop() } }
        let bearer = #"{type: bearer, token: "{{token}}"}"#
        let secret = SandboxAccounts.faultKeyedSecret
        let plain = try await run(rig, try Self.schema(rig, auth: bearer, path: "/keyed-account"), key: "sp-1")
        #expect(plain.passed)
        #expect(!rig.home.filesContaining(secret).isEmpty, "without secretPaths the key is logged as the service sent it")
        let home = TemporaryFolder()
        let declared = try await LoopbackRig.start(route: false)
        defer { Task { await declared.stop() } }
        let schema = try Self.schema(declared, auth: bearer, path: "/keyed-account", extra: "  secretPaths: [account.keys.primary, items.*.key]")
        let attempt = try await run(declared, schema, key: "sp-2")
        #expect(attempt.passed, "\(attempt.outcome.line)")
        let entry = try #require(declared.tester.log.entries("sp-2").last)
        try HARDocument.write(entry, toFile: home.file("keyed.har"))
        for form in SecretForms.of(secret) {
            #expect(declared.home.filesContaining(form).isEmpty, "\(form) in \(declared.home.filesContaining(form))")
            #expect(home.filesContaining(form).isEmpty, "\(form) in the HAR")
        }
        let transcript = try ExchangeReader(entry).exchange(at: 0).map { ExchangeTranscript.lines(for: $0, in: entry).joined(separator: "\n") } ?? ""
        #expect(transcript.contains("main key") && transcript.contains("sha256:"), "\(transcript)")
    }
}
