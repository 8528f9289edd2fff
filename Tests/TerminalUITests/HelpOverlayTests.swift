import ConnectorSchema
import FormEngine
import Testing
import TerminalUI

@Suite("Full key help")
struct HelpOverlayTests {
    func screenText(_ render: (inout CellBuffer) -> Void, width: Int = 100, height: Int = 30) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        render(&buffer)
        return buffer
    }

    @Test func everyScreenShowsItsWholeKeymapAndTheNextKeyOnlyClosesIt() {
        var connections = ConnectionsScreen(rows: [.init(id: "c1", name: "IO", application: "Celigo integrator.io")])
        #expect(connections.handle(.character("?")) == .stay)
        let shown = screenText { connections.render(into: &$0) }
        #expect(shown.lines.contains { $0.contains("x        export") || $0.contains("x  export") || $0.contains(" export") })
        #expect(shown.lines.contains { $0.contains("Home") && $0.contains("first") })
        assertSnapshot(shown, named: "connections-help-100x30")
        assertSnapshot(screenText({ connections.render(into: &$0) }, width: 60, height: 16), named: "connections-help-60x16")
        #expect(connections.handle(.enter) == .stay)
        #expect(!connections.showingHelp)
        #expect(connections.handle(.enter) == .edit("c1"))

        var list = ApplicationListScreen(catalog: ConnectorCatalog.builtin())
        _ = list.handle(.character("?"))
        #expect(list.filter == "?" && !list.showingHelp)
        _ = list.handle(.function(1))
        #expect(list.showingHelp)
        #expect(screenText { list.render(into: &$0) }.lines.contains { $0.contains("Ctrl-U") && $0.contains("clear the filter") })
        #expect(list.handle(.enter) == .stay)

        var log = ViewLogScreen(title: "log", status: nil, items: [], detail: { _ in [] })
        _ = log.handle(.function(1))
        #expect(screenText { log.render(into: &$0) }.lines.contains { $0.contains("n/N") })
        #expect(log.handle(.escape) == .stay)
        #expect(log.handle(.escape) == .back)

        let schema = ConnectorCatalog.builtin().connector("celigo-integrator-io")!
        var panel = ConnectionPanelScreen(form: FormState(schema: schema))
        _ = panel.handle(.character("?"))
        #expect(!panel.showingHelp)
        _ = panel.handle(.function(1))
        // The help of a step lists only the keys that mean something there: no reveal on a name.
        let nameHelp = screenText { panel.render(into: &$0) }.lines
        #expect(nameHelp.contains { $0.contains("Ctrl-C") && $0.contains("leave") })
        #expect(!nameHelp.contains { $0.contains("Ctrl-R") })
        _ = panel.handle(.enter)
        #expect(panel.form.currentField?.id == "name")
        _ = panel.handle(.enter)
        #expect(panel.form.currentField?.id == "region")
    }
}
