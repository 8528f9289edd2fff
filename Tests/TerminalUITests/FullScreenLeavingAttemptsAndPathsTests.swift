import ConnectionCore
import Connections
import ConnectorSchema
import Foundation
import FormEngine
import Testing
import TestSupport
@testable import TerminalUI

/// Whole sessions on a `RecordingDriver`: one Ctrl-C confirmation leaves a form opened from
/// the application list, every kept attempt opens from View log, export and HAR ask where.
@Suite("Full-screen sessions: leaving, attempts, paths")
struct FullScreenLeavingAttemptsAndPathsTests {
    typealias Rig = FullScreenAppTests.Rig

    @Test func oneCtrlCConfirmationLeavesAFormOpenedFromTheApplicationList() async throws {
        let rig = Rig()
        rig.driver.type("celigo")
        rig.driver.type([.enter])
        rig.driver.type("Scratch")
        rig.driver.type([.control("c"), .control("c")])
        let (_, ending) = try await rig.run(.applications)
        #expect(ending == .left, "the application list stayed after the discard")
        #expect(rig.driver.screens.last?.contains("Choose an application") == false)

        // From Connections, it comes back to Connections, not to the list.
        let second = Rig()
        second.driver.type("n")
        second.driver.type("celigo")
        second.driver.type([.enter])
        second.driver.type([.control("c"), .character("y")])
        second.driver.type("q")
        let (_, back) = try await second.run(.connections)
        #expect(back == .left)
        #expect(second.driver.screens.last?.contains("Resources › Connections") == true)
    }

    @Test func everyKeptAttemptOpensFromTheListOfAttempts() async throws {
        let rig = Rig()
        rig.typeIntegratorAnswers(name: "IO EU", pick: true)
        rig.driver.type("t")
        rig.driver.type("t")
        rig.driver.type("l")
        rig.driver.type("a")
        rig.driver.type([.down, .enter])
        rig.driver.type([.escape])
        rig.driver.type([.control("c"), .control("c")])
        let (_, ending) = try await rig.run(.applications)
        #expect(ending == .left)
        let screens = rig.driver.screens
        let list = try #require(screens.first { $0.contains("View log › IO EU › Attempts") })
        #expect(list.contains("2 attempts kept, newest first"))
        #expect(list.contains("✓ Test succeeded"))
        #expect(screens.contains { $0.contains("View log › IO EU · attempt 1 (2 kept)") })
        // Esc from the attempt opened from the list goes back to the panel.
        let afterEscape = try #require(screens.lastIndex { $0.contains("View log › IO EU · attempt 1") }) + 1
        #expect(screens[afterEscape].contains("Create connection › Celigo integrator.io"))
    }

    @Test func harAndExportAskWhereToWriteOfferingTheDefault() async throws {
        let rig = Rig()
        rig.driver.type("n")
        rig.typeIntegratorAnswers(name: "IO EU", pick: true)
        rig.driver.type("t")
        rig.driver.type("l")
        rig.driver.type("h")
        rig.driver.type([.control("u")])
        rig.driver.type("chosen.har")
        rig.driver.type([.enter])
        rig.driver.type([.escape])
        rig.driver.type("s")
        rig.driver.type("l")                      // from Connections: View log, then its attempts
        rig.driver.type("a")
        rig.driver.type([.enter])
        rig.driver.type([.escape])
        rig.driver.type("x")
        rig.driver.type([.enter])
        rig.driver.type("q")
        let (_, ending) = try await rig.run(.connections)
        #expect(ending == .left)
        let screens = rig.driver.screens
        #expect(screens.contains { $0.contains("Write the HAR file to: \(rig.home.path)/io-eu-attempt-1.har") })
        #expect(screens.contains { $0.contains("Wrote \(rig.home.path)/chosen.har") })
        #expect(FileManager.default.fileExists(atPath: rig.home.file("chosen.har")))
        #expect(!FileManager.default.fileExists(atPath: rig.home.file("io-eu-attempt-1.har")))
        // The saved connection took over the draft's attempt: it opens from the list of attempts.
        let attempts = try #require(screens.last { $0.contains("View log › IO EU › Attempts") })
        #expect(attempts.contains("1 attempt kept, newest first") && attempts.contains("✓ Test succeeded"))
        let reopened = try #require(screens.lastIndex { $0.contains("View log › IO EU › Attempts") }) + 1
        #expect(screens[reopened].contains("View log › IO EU · attempt 1 (1 kept)"))
        #expect(screens.contains { $0.contains("Export “IO EU” to: \(rig.home.path)/io-eu.connection.json") })
        #expect(FileManager.default.fileExists(atPath: rig.home.file("io-eu.connection.json")))
        rig.expectNowhere(FullScreenAppTests.token)
    }
}
