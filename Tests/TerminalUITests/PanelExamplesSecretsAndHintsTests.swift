import Foundation
import ConnectorSchema
import FormEngine
import Testing
@testable import TerminalUI

/// The panel's answers read as what they are: an example is not an answer, a secret held from
/// before says so, the counter moves by one, hints are never cut, Ctrl-C leaves in one go.
@Suite("Panel examples, kept secrets, counter and hints")
struct PanelExamplesSecretsAndHintsTests {
    func panel(_ id: String, context: FormContext = FormContext(), prefill: [String: FieldValue] = [:]) -> ConnectionPanelScreen {
        ConnectionPanelScreen(form: FormState(schema: ConnectorCatalog.builtin().connector(id)!, context: context, prefill: prefill))
    }

    func draw(_ screen: inout ConnectionPanelScreen, width: Int = 100, height: Int = 30) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        screen.render(into: &buffer)
        return buffer
    }

    func type(_ text: String, into screen: inout ConnectionPanelScreen) {
        for character in text { _ = screen.handle(.character(character)) }
    }

    @Test func ctrlCConfirmedOnceLeavesWhileEscOnTheFirstFieldGoesBack() {
        var screen = panel("celigo-integrator-io")
        _ = screen.handle(.control("c"))
        #expect(screen.confirmingCancel)
        #expect(screen.handle(.control("c")) == .left)

        var asked = panel("celigo-integrator-io")
        _ = asked.handle(.control("c"))
        #expect(asked.handle(.character("y")) == .left)

        var back = panel("celigo-integrator-io")
        _ = back.handle(.escape)
        #expect(back.confirmingCancel)
        #expect(back.handle(.character("y")) == .cancelled)
    }

    @Test func aPlaceholderShowsAsAnExampleAndTabTakesIt() {
        var screen = panel("celonis")
        type("C", into: &screen)
        _ = screen.handle(.enter)
        _ = screen.handle(.character("2"))
        #expect(screen.form.currentField?.id == "domain")
        let empty = draw(&screen)
        #expect(empty.lines.contains { $0.contains("› e.g. acme.eu-1 (Tab takes it)") }, "\(empty.lines.joined(separator: "\n"))")
        // Said beside the example, not on the key line, so the first key typed leaves the key line alone.
        #expect(empty.lines.last?.contains("use the example") == false)
        _ = screen.handle(.function(1))
        #expect(draw(&screen).lines.contains { $0.contains("Tab") && $0.contains("use the example") })
        _ = screen.handle(.function(1))          // closes the help, and does nothing else
        // Enter on the example alone is no answer.
        _ = screen.handle(.enter)
        #expect(screen.form.currentField?.id == "domain")
        _ = screen.handle(.tab)
        #expect(screen.editors[0].text == "acme.eu-1")
        #expect(!draw(&screen).lines.contains { $0.contains("e.g.") })
        _ = screen.handle(.enter)
        #expect(screen.form.value(of: "domain") == .string("acme.eu-1"))
        // → takes the example too, and only while the field is empty.
        var other = panel("celigo-integrator-io")
        _ = other.handle(.right)
        #expect(other.editors[0].text == "integrator.io production")
        _ = other.handle(.left)
        _ = other.handle(.right)
        #expect(other.editors[0].text == "integrator.io production")
    }

    @Test func goingBackToAnAnsweredSecretShowsItKept() {
        var screen = panel("celigo-integrator-io")
        type("IO", into: &screen)
        _ = screen.handle(.enter)
        _ = screen.handle(.character("2"))
        type("tok-KEPT-0001", into: &screen)
        _ = screen.handle(.enter)
        #expect(screen.form.step == .review)
        _ = screen.handle(.escape)
        #expect(screen.form.currentField?.id == "token")
        let shown = draw(&screen)
        #expect(shown.lines.contains { $0.contains("› •••••• (kept; type to replace)") })
        #expect(!shown.lines.joined().contains("tok-KEPT-0001"))
        _ = screen.handle(.enter)
        #expect(screen.form.step == .review)
        #expect(screen.form.value(of: "token") == .string("tok-KEPT-0001"))
    }

    @Test func anEditShowsNoErrorAndNoTickForASecretToEnterAgainBeforeAnythingIsTyped() {
        let prefill: [String: FieldValue] = [
            "name": .string("Celonis OAuth"), "apiType": .string("intelligence"), "domain": .string("acme.eu-1"),
            "authType": .string("oauth2"), "oauth2Client": .parts(["clientId": "client-7", "clientSecret": "s3cret"]),
            "validDomains": .string("acme.eu-1.celonis.cloud"),
        ]
        var screen = panel("celonis", context: FormContext(mode: .edit(connectionID: "c1")), prefill: prefill)
        for _ in 0..<4 { _ = screen.handle(.enter) }
        #expect(screen.form.currentField?.id == "oauth2Client")
        let untouched = draw(&screen)
        #expect(!untouched.lines.contains { $0.contains("✗") }, "\(untouched.lines.joined(separator: "\n"))")
        #expect(!untouched.lines.contains { $0.contains("✓ OAuth 2.0 client") })
        #expect(screen.form.outline.first { $0.field == "oauth2Client" }?.state == .current)
        _ = screen.handle(.tab)              // to the client secret
        type("x y", into: &screen)
        #expect(draw(&screen).lines.contains { $0.contains("✗ ") })
    }

    @Test func theStepCounterMovesByOneAndDoesNotPromiseATotalItCannotKeep() {
        var screen = panel("celonis")
        var seen: [String] = []
        func title() -> String {
            draw(&screen).lines.first { $0.contains("] ") && $0.contains("[") }.map { line in
                String(line[line.range(of: "[")!.lowerBound...line.range(of: "]")!.lowerBound])
            } ?? ""
        }
        seen.append(title())
        type("C", into: &screen); _ = screen.handle(.enter)
        seen.append(title())
        _ = screen.handle(.character("1"))       // Intelligence API
        seen.append(title())
        type("acme.eu-1", into: &screen); _ = screen.handle(.enter)
        seen.append(title())
        _ = screen.handle(.down); _ = screen.handle(.down); _ = screen.handle(.enter)   // OAuth 2.0: more fields appear
        seen.append(title())
        #expect(seen.map { $0.split(separator: " ").first.map { String($0.dropFirst()) } } == ["1", "2", "3", "4", "5"], "\(seen)")
        #expect(seen.prefix(4).allSatisfy { $0.contains("of at least") }, "\(seen)")
        #expect(seen[4] == "[5 of 7]", "\(seen)")
        var plain = panel("http-token")
        #expect(draw(&plain).lines.contains { $0.contains("[1 of ") })
    }

    @Test func theWrongRegionHintIsShownWholeAtEverySize() {
        let hint = "integrator.io did not accept the token. Check that it was copied whole, that it has not been revoked, and that the region matches the account it was made in (a North America token fails in Europe and the other way round)."
        var screen = panel("celigo-integrator-io")
        type("IO", into: &screen)
        _ = screen.handle(.enter)
        _ = screen.handle(.character("2"))
        type("tok-WRONG", into: &screen)
        _ = screen.handle(.enter)
        screen.apply([.tested(TestReport(result: .failed, line: "The credentials were rejected: 401 Unauthorized", hint: hint,
                                         logKey: "io", attempt: 1, at: Date(), values: screen.form.currentValues))])
        for (width, height) in [(100, 30), (60, 16), (80, 24)] {
            let buffer = draw(&screen, width: width, height: height)
            let text = buffer.lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            #expect(text.contains("the other way round)."), "cut at \(width)×\(height):\n\(buffer.lines.joined(separator: "\n"))")
            #expect(!text.contains("…"), "cut at \(width)×\(height)")
            #expect(buffer.lines.contains { $0.contains("Review") })
        }
        assertSnapshot(draw(&screen, width: 60, height: 16), named: "panel-review-long-hint-60x16")
    }

    @Test func theHintIsWholeInViewLogAndOnTheConnectionsScreenToo() {
        let status = "The credentials were rejected: 401 Unauthorized — integrator.io did not accept the token. Check that it was copied whole, that it has not been revoked, and that the region matches the account it was made in (a North America token fails in Europe and the other way round)."
        var log = ViewLogScreen(title: "View log › Wrong", status: (status, false), items: [
            .init(method: "GET", path: "/v1/tokenInfo", result: "401 Unauthorized", time: "3 ms", failed: true),
        ], detail: { _ in ["> GET /v1/tokenInfo HTTP/1.1"] })
        var connections = ConnectionsScreen(rows: [ConnectionsScreen.Row(id: "c1", name: "Wrong", application: "Celigo integrator.io")])
        connections.message = (status + " · l shows the log", .failure)
        for (width, height) in [(100, 30), (60, 16)] {
            var buffer = CellBuffer(width: width, height: height)
            log.render(into: &buffer)
            let text = buffer.lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            #expect(text.contains("the other way round)."), "View log cut at \(width)×\(height):\n\(buffer.lines.joined(separator: "\n"))")
            #expect(buffer.lines.contains { $0.contains("/v1/tokenInfo") && $0.contains("401") })
            var list = CellBuffer(width: width, height: height)
            connections.render(into: &list)
            let listed = list.lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            #expect(listed.contains("the other way round). · l shows the log"), "Connections cut at \(width)×\(height)")
            #expect(list.lines.contains { $0.contains("› Wrong") })
        }
    }
}

extension PanelExamplesSecretsAndHintsTests {
    /// Issue 19 item 20: a ✗ from the last Enter goes once the answer is typed again, and
    /// comes back only if the new text is wrong too.
    @Test func aStaleProblemGoesWhileTheAnswerIsTypedAgain() {
        var screen = panel("celigo-integrator-io", prefill: ["name": .string("IO"), "region": .string("europe")])
        screen.apply([.goTo(field: "token")])
        _ = screen.handle(.enter)
        #expect(draw(&screen).lines.contains { $0.contains("✗") }, "an empty token is refused at Enter")
        type("io-new-token", into: &screen)
        let typing = draw(&screen).lines.joined(separator: "\n")
        #expect(!typing.contains("✗"), "the refusal of the empty answer stayed while a new token was typed:\n\(typing)")
        _ = screen.handle(.paste("bad\u{7F}part"))
        #expect(draw(&screen).lines.contains { $0.contains("✗") && $0.contains("control character") }, "a wrong new text is still flagged")
    }
}
