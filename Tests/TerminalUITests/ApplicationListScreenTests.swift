import ConnectorSchema
import Testing
@testable import TerminalUI

@Suite("Application list")
struct ApplicationListScreenTests {
    let catalog = ConnectorCatalog.builtin()

    func draw(_ screen: inout ApplicationListScreen, width: Int, height: Int) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        screen.render(into: &buffer)
        return buffer
    }

    @Test func typingFiltersByTitleIdCategoryAndDescription() {
        var screen = ApplicationListScreen(catalog: catalog)
        #expect(screen.visible.count == catalog.entries.count)
        for character in "erp" { _ = screen.handle(.character(character)) }
        let named = catalog.entries.filter { $0.schema.category == "ERP" }.map(\.schema.id)
        let described = catalog.entries.filter { $0.schema.category != "ERP" && $0.schema.description.lowercased().contains("erp") }.map(\.schema.id)
        #expect(!named.isEmpty && !described.isEmpty)
        #expect(Set(screen.visible.map(\.id)) == Set(named + described))
        // A row shown for its description says which part matched; one shown for its category does not need to.
        let text = draw(&screen, width: 120, height: 40).lines.joined(separator: "\n")
        for id in described {
            let snippet = screen.visible.first { $0.id == id }.flatMap { screen.descriptionMatch(of: $0) } ?? ""
            #expect(snippet.lowercased().contains("erp"), "\(id)")
            #expect(text.contains(String(snippet.prefix(20))), "\(id): \(snippet)")
        }
        #expect(text.contains("matching “erp” (\(catalog.entries.count) in all)"))
        _ = screen.handle(.backspace)
        _ = screen.handle(.backspace)
        _ = screen.handle(.backspace)
        for character in "integrator io" { _ = screen.handle(.character(character)) }
        #expect(screen.visible.map(\.id) == ["celigo-integrator-io"])
        #expect(screen.handle(.enter) == .chosen("celigo-integrator-io"))
    }

    @Test func arrowsEnterAndEscape() {
        var screen = ApplicationListScreen(catalog: catalog)
        _ = screen.handle(.down)
        _ = screen.handle(.down)
        #expect(screen.handle(.enter) == .chosen(screen.visible[2].id))
        _ = screen.handle(.end)
        _ = screen.handle(.down)
        #expect(screen.selection == catalog.entries.count - 1)
        _ = screen.handle(.home)
        #expect(screen.selection == 0)
        _ = screen.handle(.character("§"))
        #expect(screen.handle(.enter) == .stay)
        #expect(screen.handle(.escape) == .stay && screen.filter.isEmpty)
        #expect(screen.handle(.escape) == .cancelled)
        #expect(screen.handle(.control("c")) == .cancelled)
    }

    @Test func longListsScrollToKeepTheSelectionInView() {
        let items = (1...50).map { ApplicationListScreen.Item(id: "app-\($0)", title: "Application \($0)", category: "Test", description: "Number \($0)") }
        var screen = ApplicationListScreen(items: items)
        for _ in 0..<30 { _ = screen.handle(.down) }
        let buffer = draw(&screen, width: 60, height: 16)
        #expect(buffer.lines.contains { $0.contains("› Application 31") })
        #expect(buffer.lines.contains { $0.contains("31 of 50") })
        #expect(buffer.lines.contains { $0.contains("Number 31") })
    }

    @Test func snapshotsAtFullAndMinimumSize() {
        var screen = ApplicationListScreen(catalog: catalog)
        assertSnapshot(draw(&screen, width: 100, height: 30), named: "application-list-100x30")
        assertSnapshot(draw(&screen, width: 60, height: 16), named: "application-list-60x16")
        for character in "cel" { _ = screen.handle(.character(character)) }
        _ = screen.handle(.down)
        assertSnapshot(draw(&screen, width: 100, height: 30), named: "application-list-filtered-100x30")
        for character in "zzz" { _ = screen.handle(.character(character)) }
        assertSnapshot(draw(&screen, width: 60, height: 16), named: "application-list-no-match-60x16")
        assertSnapshot(draw(&screen, width: 59, height: 16), named: "too-small-59x16")
    }

    @Test func theCursorRestsAfterTheFilterText() {
        var screen = ApplicationListScreen(catalog: catalog)
        for character in "日本" { _ = screen.handle(.character(character)) }
        let buffer = draw(&screen, width: 100, height: 30)
        #expect(buffer.cursor?.row == 2)
        #expect(buffer.cursor?.column == 1 + 8 + 4)
    }
}
