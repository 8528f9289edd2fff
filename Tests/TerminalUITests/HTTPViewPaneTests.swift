import ConnectionCore
import ConnectorSchema
import FormEngine
import Foundation
import Testing
@testable import TerminalUI

/// The panel's HTTP view: F3 (v at the review) shows what the answers resolve to, and it
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
        #expect(review.contains("HTTP view (v hides it)"))
        #expect(review.contains("https://api.eu.integrator.io/v1/tokenInfo"), "\(review)")
        #expect(review.contains("t Test"), "the review's actions stay above the HTTP view")
        _ = screen.handle(.character("v"))
        #expect(!draw(&screen).contains("HTTP view ("))
    }
}

extension HTTPViewPaneTests {
    /// Issue 19 item 20: the view follows a highlighted choice before Enter.
    @Test func itFollowsAHighlightedChoiceBeforeEnter() {
        let schema = ConnectorCatalog.builtin().connector("celigo-integrator-io")!
        var screen = ConnectionPanelScreen(form: FormState(schema: schema, prefill: ["name": .string("IO")]))
        screen.apply([.goTo(field: "region")])
        _ = screen.handle(.function(3))
        #expect(draw(&screen).contains("https://api.integrator.io/v1"), "\(draw(&screen))")
        _ = screen.handle(.down)
        let moved = draw(&screen)
        #expect(moved.contains("https://api.eu.integrator.io/v1"), "the highlight moved to Europe:\n\(moved)")
        #expect(screen.form.value(of: "region") == nil || screen.form.value(of: "region") == .string("north-america"))
    }

    /// Issue 19 item 20: an address too wide for a line is cut after a / ? & = . - or _, never
    /// in the middle of a word, and its pieces put together are the address.
    @Test func aLongAddressIsCutAtItsSeams() {
        let url = "https://acme.eu-1.celonis.cloud/intelligence/api/knowledge-models/km-1/records?limit=1&offset=0"
        for width in [24, 30, 41, 57] {
            let lines = ScreenLayout.wrap("GET " + url, width: width)
            #expect(lines.joined().replacingOccurrences(of: " ", with: "") == "GET" + url, "\(width): \(lines)")
            for line in lines.dropFirst().dropLast() {
                #expect("/?&=.-_".contains(line.last!), "\(width): “\(line)” ends mid-word in \(lines)")
                #expect(DisplayWidth.of(line) <= width)
            }
        }
        #expect(ScreenLayout.wrap(String(repeating: "x", count: 25), width: 10) == ["xxxxxxxxxx", "xxxxxxxxxx", "xxxxx"])
    }
}
