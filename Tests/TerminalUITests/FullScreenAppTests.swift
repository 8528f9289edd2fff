import ConnectionCore
import Connections
import ConnectorSchema
import Foundation
import FormEngine
import Sandbox
import Testing
import TestSupport
@testable import TerminalUI

/// Whole full-screen sessions on a `RecordingDriver`: scripted keys in, frames and the store
/// out, the use cases sending to a sandbox on loopback. The tmux tests drive the real binary
/// in a real terminal; these check the run loop's flows without one.
@Suite("Full-screen sessions")
struct FullScreenAppTests {
    static let token = SandboxAccounts.integratorEuropeToken

    /// A session over a fresh home with a sandbox behind it.
    final class Rig {
        let home = TemporaryFolder()
        let driver = RecordingDriver(size: TerminalSize(width: 100, height: 30))
        let cases: ConnectionUseCases

        init() {
            let folder = HomeFolder(path: home.path)
            let state = home.file("sandbox")
            let transport = NetworkTransport(TransportOptions()) {
                let server = try await SandboxServer.start(service: try SandboxService(stateFolder: state))
                return NetworkTransport.StartedSandbox(url: server.url) { await server.stop() }
            }
            cases = ConnectionUseCases(store: ConnectionStore(home: folder, environment: [:]), log: ExchangeLog(home: folder), transport: transport)
        }

        func app(policy: SavePolicy = SavePolicy()) -> FullScreenApp {
            FullScreenApp(driver: driver, cases: cases, options: FullScreenApp.Options(policy: policy, outputFolder: home.path))
        }

        /// Runs the session to its end (or until the script is used up and the terminal "goes away").
        func run(_ start: FullScreenApp.Start, policy: SavePolicy = SavePolicy()) async throws -> (FullScreenApp, FullScreenApp.Ending?) {
            let app = self.app(policy: policy)
            let ending: FullScreenApp.Ending?
            do { ending = try await app.run(start) } catch is FullScreenApp.TerminalGone { ending = nil }
            await cases.transport.close()
            return (app, ending)
        }

        /// Types the answers of an integrator.io Europe connection, from its name to the review;
        /// `pick` first chooses integrator.io in the application list, filtered.
        func typeIntegratorAnswers(name: String, token: String = FullScreenAppTests.token, pick: Bool = false) {
            if pick {
                driver.type("celigo")
                driver.type([.enter])
            }
            driver.type(name)
            driver.type([.enter, .down, .enter])
            driver.type(token)
            driver.type([.enter])
        }

        /// Fails if the secret was on any frame or is in any file under the home.
        func expectNowhere(_ secret: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(!driver.screens.contains { $0.contains(secret) || $0.contains(String(secret.prefix(12))) }, sourceLocation: sourceLocation)
            #expect(home.filesContaining(secret).isEmpty, "\(home.filesContaining(secret))", sourceLocation: sourceLocation)
        }
    }

    @Test func createTestViewTheLogAndSaveFromTheConnectionsScreen() async throws {
        let rig = Rig()
        rig.driver.type("n")
        rig.typeIntegratorAnswers(name: "IO EU", pick: true)
        rig.driver.type("t")          // test; the next key waits for it to end
        rig.driver.type("l")          // its View log
        rig.driver.type([.escape])    // back to the review
        rig.driver.type("s")
        rig.driver.type("q")
        let (app, ending) = try await rig.run(.connections)
        #expect(ending == .left)
        let screens = rig.driver.screens
        #expect(screens.contains { $0.contains("Testing “IO EU”…") })
        #expect(screens.contains { $0.contains("Test succeeded: 200 OK") && $0.contains("l View log") })
        #expect(screens.contains { $0.contains("View log › IO EU · attempt 1") && $0.contains("/v1/tokenInfo") })
        #expect(screens.last?.contains("Saved “IO EU”.") == true)
        #expect(screens.last?.contains("✓") == true, "the list shows the test the save stood on")
        let saved = try rig.cases.store.connection(named: "IO EU")
        #expect(saved.lastTest?.passed == true)
        #expect(rig.cases.attempts(of: saved).count == 1, "the draft's attempt moved to the connection")
        #expect(app.farewell == ["Saved connection “IO EU” (Celigo integrator.io)."])
        rig.expectNowhere(Self.token)
    }

    @Test func editThenDeleteAndQuitReportsBothAndNoBannerOutlivesItsScreen() async throws {
        let rig = Rig()
        _ = try await rig.cases.save(ConnectionDraft(connectorID: "celigo-integrator-io", values: [
            "name": .string("IO EU"), "region": .string("europe"), "token": .string(Self.token)]),
            schema: ConnectorCatalog.builtin().connector("celigo-integrator-io")!, policy: SavePolicy())
        rig.driver.type([.enter])                 // edit
        rig.driver.type([.enter, .enter])         // name and region kept
        rig.driver.type(Self.token)               // the secret is typed again
        rig.driver.type([.enter])
        rig.driver.type("s")
        rig.driver.type("d")
        rig.driver.type("y")
        rig.driver.type("n")                      // a new connection …
        rig.driver.type([.escape])                // … left at the application list
        rig.driver.type("q")
        let (app, ending) = try await rig.run(.connections)
        #expect(ending == .left)
        let screens = rig.driver.screens
        #expect(screens.contains { $0.contains("Edit connection › Celigo integrator.io") })
        #expect(screens.contains { $0.contains("Updated “IO EU”.") })
        #expect(screens.contains { $0.contains("Deleted “IO EU” and its secrets") })
        #expect(screens.last?.contains("Deleted") == false, "the delete banner stayed after a discarded new connection:\n\(screens.last ?? "")")
        #expect(app.farewell == ["Updated connection “IO EU” (Celigo integrator.io).", "Deleted connection “IO EU”."])
        #expect(try rig.cases.connections().isEmpty)
    }

    @Test func discardingANewConnectionLeavesNoTestLogsBehind() async throws {
        let rig = Rig()
        rig.typeIntegratorAnswers(name: "Scratch", pick: true)
        rig.driver.type("t")
        rig.driver.type([.control("c")])
        rig.driver.type("y")                      // discard: back at the list
        rig.driver.type([.escape, .escape])       // the filter, then the list
        let (_, ending) = try await rig.run(.applications)
        #expect(ending == .left)
        #expect(rig.driver.screens.contains { $0.contains("Discard this connection? Nothing has been saved; its test logs go too.") })
        #expect(rig.cases.log.draftKey(named: "Scratch") == nil)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: rig.home.file("logs"))) ?? []).isEmpty)
        #expect(try rig.cases.connections().isEmpty)
    }

    @Test func aPassingTestGoesStaleInThePanelWhenAnAnswerChanges() async throws {
        let rig = Rig()
        rig.typeIntegratorAnswers(name: "IO", pick: true)
        rig.driver.type("t")
        rig.driver.type([.up, .enter])            // from Token up to Region …
        rig.driver.type([.up, .enter])            // … North America, back at the review
        rig.driver.type("l")
        let (_, _) = try await rig.run(.applications)
        let screens = rig.driver.screens
        #expect(screens.contains { $0.contains("Test succeeded: 200 OK") })
        let stale = try #require(screens.last { $0.contains("› Review") || $0.contains("View log") })
        #expect(screens.contains { $0.contains("The last test passed, but Region changed since") && !$0.contains("Test succeeded") })
        #expect(stale.contains("· answers changed since"), "\(stale)")
    }

    @Test func keysTypedAheadOfAStepChangeNeverAct() async throws {
        let rig = Rig()
        let certinia = ConnectorCatalog.builtin().connector("certinia")!
        rig.driver.type("Certinia")
        rig.driver.type([.enter, .enter])                        // name, Production
        rig.driver.type([.down, .enter])                         // JWT bearer
        rig.driver.type("3MVG9-key")
        rig.driver.type([.enter])
        rig.driver.type("ops@example.com")
        rig.driver.type([.enter])
        rig.driver.type("/home/op/key.pem")
        // Enter, then typing on before the next step is drawn: the n must not answer the
        // advanced step, nor the s of /sandbox save.
        rig.driver.typeAhead([.enter] + "n/sandbox/s".map { Key.character($0) })
        let (_, ending) = try await rig.run(.form(FormState(schema: certinia)))
        #expect(ending == nil, "the session went on past the script")
        #expect(try rig.cases.connections().isEmpty, "typed-ahead keys saved the connection")
        #expect(rig.driver.screen.contains("y to edit them"), "\(rig.driver.screen)")

        // The same keys, typed as a person does, act.
        let deliberate = Rig()
        deliberate.driver.type("Certinia")
        deliberate.driver.type([.enter, .enter, .down, .enter])
        deliberate.driver.type("3MVG9-key")
        deliberate.driver.type([.enter])
        deliberate.driver.type("ops@example.com")
        deliberate.driver.type([.enter])
        deliberate.driver.type("/home/op/key.pem")
        deliberate.driver.type([.enter, .character("n"), .character("s")])
        let (_, saved) = try await deliberate.run(.form(FormState(schema: certinia)))
        let names = try deliberate.cases.connections().map(\.name)
        #expect(saved != nil && names == ["Certinia"])
    }
}

/// Pastes and small windows (issue: hardening).
@Suite("Full-screen pastes")
struct FullScreenPasteTests {
    /// A PEM-sized secret pasted at once costs one frame, not one per character.
    @Test func aPastedKeyIsTakenInOneFrameAndALongerOneIsCappedWithAMessage() async throws {
        let rig = FullScreenAppTests.Rig()
        let http = ConnectorCatalog.builtin().connector("http-token")!
        rig.driver.type("Pasted")
        rig.driver.type([.enter])
        rig.driver.type("https://api.example.com")
        rig.driver.type([.enter])
        rig.driver.type("x")                                   // the token field is drawn
        let pem = String(repeating: "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7", count: 64)
        rig.driver.typeAhead(pem.map { Key.character($0) })
        let before = Date()
        let (_, _) = try await rig.run(.form(FormState(schema: http)))
        let elapsed = Date().timeIntervalSince(before)
        let screens = rig.driver.screens
        let tokenFrames = screens.filter { $0.contains("] Token *") }
        #expect(tokenFrames.count <= 3, "\(tokenFrames.count) frames for a paste of \(pem.count) characters")
        #expect(tokenFrames.last?.contains("••••••••••") == true)
        #expect(elapsed < 10, "the paste took \(elapsed) s")

        let long = FullScreenAppTests.Rig()
        long.driver.type("Pasted")
        long.driver.type([.enter])
        long.driver.type("https://api.example.com")
        long.driver.type([.enter])
        long.driver.type("x")
        long.driver.typeAhead(Array(repeating: Key.character("A"), count: FieldInput.maximumLength + 10))
        let (_, _) = try await long.run(.form(FormState(schema: http)))
        #expect(long.driver.screen.contains("✗ At most 65536 characters fit here; 11 more were not taken."), "\(long.driver.screen)")
    }

    @Test func keysTypedWhileTheTerminalIsTooSmallAreKept() async throws {
        let rig = FullScreenAppTests.Rig()
        rig.driver.typeResize(to: TerminalSize(width: 50, height: 12))
        rig.driver.type("Small window")
        rig.driver.typeResize(to: TerminalSize(width: 100, height: 30))
        let (_, _) = try await rig.run(.form(FormState(schema: ConnectorCatalog.builtin().connector("http-token")!)))
        #expect(rig.driver.screens.contains { $0.contains("enlarge") }, "the small window was not shown as such")
        #expect(rig.driver.screen.contains("› Small window"), "\(rig.driver.screen)")
    }

    @Test func theEngineRefusesAnAnswerPastTheCapFromFlagsToo() {
        var form = FormState(schema: ConnectorCatalog.builtin().connector("celigo-integrator-io")!)
        form.handle(.set(field: "token", FieldInput(String(repeating: "t", count: FieldInput.maximumLength + 1))))
        #expect(form.problems["token"] == "Token may have at most 65536 characters (has 65537)")
        #expect(form.value(of: "token") == nil)
    }
}
