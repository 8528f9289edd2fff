import ConnectionCore
import ConnectorSchema
import FormEngine
import Foundation
import Testing
@testable import TerminalUI

/// The panel's HTTP view: F3 (h at the review) shows what the answers resolve to, and it
/// follows them as they change; a credential is only ever a fingerprint.
@Suite("Panel HTTP view")
struct HTTPViewPaneTests {
    func draw(_ screen: inout ConnectionPanelScreen) -> String {
        var buffer = CellBuffer(width: 110, height: 40)
        screen.render(into: &buffer)
        return buffer.lines.joined(separator: "\n")
    }

    @Test func itFollowsTheAnswersAndShowsOnlyFingerprints() {
        let schema = ConnectorCatalog.builtin().connector("celigo-integrator-io")!
        var screen = ConnectionPanelScreen(form: FormState(schema: schema, context: FormContext(mode: .create, savedConnections: [])))
        #expect(!draw(&screen).contains("HTTP view ("))
        _ = screen.handle(.function(3))
        #expect(screen.showsHTTP)
        #expect(draw(&screen).contains("HTTP view (F3 hides it)"))
        for character in "IO" { _ = screen.handle(.character(character)) }
        _ = screen.handle(.enter)
        _ = screen.handle(.character("2"))    // Europe
        #expect(draw(&screen).contains("Base URI        https://api.eu.integrator.io/v1"), "\(draw(&screen))")
        let token = "pane-token-5e4d3c2b1a09"
        for character in token { _ = screen.handle(.character(character)) }
        let typed = draw(&screen)
        #expect(typed.contains("Bearer \(Redactor.fingerprint(token))"), "\(typed)")
        for form in [token, String(token.prefix(12)), Data(token.utf8).base64EncodedString()] {
            #expect(!typed.contains(form))
        }
        _ = screen.handle(.enter)
        #expect(screen.form.step == .review)
        let review = draw(&screen)
        #expect(review.contains("HTTP view (h hides it)"))
        #expect(review.contains("https://api.eu.integrator.io/v1/tokenInfo"), "\(review)")
        #expect(review.contains("t Test"), "the review's actions stay above the HTTP view")
        _ = screen.handle(.character("h"))
        #expect(!draw(&screen).contains("HTTP view ("))
    }
}
