import ConnectorSchema
import Foundation
import Testing
import TestSupport

@Suite("Catalog")
struct CatalogTests {
    @Test func userFilesJoinAndBadOnesAreSkipped() throws {
        let folder = TemporaryFolder()
        folder.write("demo.yaml", minimal)
        folder.write("broken.yaml", minimal.replacingOccurrences(of: "id: demo", with: "id: broken").replacingOccurrences(of: "kind: secret", with: "kind: nope"))
        folder.write("notes.txt", "not a connector")
        let catalog = ConnectorCatalog.load(userFolder: folder.path)
        #expect(catalog.ids.contains("demo"))
        #expect(!catalog.ids.contains("broken"))
        #expect(catalog.ids.contains("celonis"))
        let problem = try #require(catalog.diagnostics.first)
        #expect(problem.file.hasSuffix("broken.yaml"))
        #expect(problem.line == 15)
    }

    @Test func userFileReplacesABuiltinOfTheSameID() throws {
        let folder = TemporaryFolder()
        folder.write("celonis.yaml", minimal.replacingOccurrences(of: "id: demo", with: "id: celonis").replacingOccurrences(of: "title: Demo", with: "title: Celonis (site)"))
        let catalog = ConnectorCatalog.load(userFolder: folder.path)
        #expect(catalog.connector("celonis")?.title == "Celonis (site)")
        #expect(catalog.entries.filter { $0.schema.id == "celonis" }.count == 1)
    }

    @Test func oneBuiltinLookupMatchesTheFullCatalog() {
        for id in ConnectorCatalog.builtin().ids {
            #expect(ConnectorCatalog.builtin(id) == ConnectorCatalog.builtin().connector(id))
        }
        #expect(ConnectorCatalog.builtin("nope") == nil)
    }

    @Test func missingUserFolderIsFine() {
        #expect(ConnectorCatalog.load(userFolder: "/nonexistent/connwiz").ids.count == Fixtures.builtinConnectorIDs.count)
    }

    @Test func filterMatchesTitleIdAndCategory() {
        let catalog = ConnectorCatalog.builtin()
        #expect(catalog.filter("celo").map(\.schema.id) == ["celonis"])
        #expect(catalog.filter("ERP").map(\.schema.id) == catalog.entries.filter { $0.schema.category == "ERP" }.map(\.schema.id))
        #expect(catalog.filter("integrator io").map(\.schema.id) == ["celigo-integrator-io"])
        #expect(catalog.filter("").count == Fixtures.builtinConnectorIDs.count)
        #expect(catalog.filter("zzz").isEmpty)
    }
}

@Suite("Templates and conditions")
struct TemplateTests {
    @Test func rendersReferencesAndParts() throws {
        let template = try Template(parsing: "{{baseURI}}/x/{{client.clientId}}?q={{missing}}")
        #expect(template.references == ["baseURI", "client.clientId", "missing"])
        let text = template.render { ["baseURI": "https://h", "client.clientId": "abc"][$0] }
        #expect(text == "https://h/x/abc?q=")
        #expect(Template.fieldID(of: "client.clientId") == "client")
    }

    @Test func refusesBrokenTemplates() {
        #expect(throws: (any Error).self) { try Template(parsing: "{{open") }
        #expect(throws: (any Error).self) { try Template(parsing: "{{ }}") }
        #expect(throws: (any Error).self) { try Template(parsing: "{{a b}}") }
    }

    @Test func conditionTests() {
        #expect(Condition(field: "f", .equals("a")).holds(for: .string("a")))
        #expect(!Condition(field: "f", .equals("a")).holds(for: .string("b")))
        #expect(!Condition(field: "f", .equals("a")).holds(for: nil))
        #expect(Condition(field: "f", .oneOf(["a", "b"])).holds(for: .string("b")))
        #expect(!Condition(field: "f", .oneOf(["a", "b"])).holds(for: .string("c")))
        #expect(Condition(field: "f", .not("a")).holds(for: .string("b")))
        #expect(Condition(field: "f", .not("a")).holds(for: nil))
        #expect(!Condition(field: "f", .not("a")).holds(for: .string("a")))
        #expect(Condition(field: "f", .equals("x")).holds(for: .list(["w", "x"])))
        #expect(Condition(field: "f", .equals("5")).holds(for: .number(5)))
        #expect(ConditionSet().holds { _ in nil })
    }
}
