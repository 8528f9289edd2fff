import ConnectionCore
import ConnectorSchema
import Foundation
import Testing
import TestSupport

@Suite("Connector index")
struct ConnectorIndexTests {
    func celonisCopy(id: String, title: String) throws -> String {
        let text = try String(contentsOfFile: Fixtures.connectorFile("celonis.yaml"), encoding: .utf8)
        return text.replacingOccurrences(of: "\nid: celonis\n", with: "\nid: \(id)\n").replacingOccurrences(of: "\ntitle: Celonis\n", with: "\ntitle: \(title)\n")
    }

    @Test func userFilesAreReadOnceUntilTheyChange() throws {
        let home = TemporaryFolder()
        let index = ConnectorIndex(home: HomeFolder(path: home.path))
        let first = home.write("connectors/acme.yaml", try celonisCopy(id: "acme", title: "Acme Mining"))
        home.write("connectors/broken.yaml", "version: 1\nid: broken\ntitle: [\n")
        home.write("connectors/celonis.yaml", try celonisCopy(id: "celonis", title: "Celonis (site)"))

        let cold = index.listing()
        #expect(cold.filesRead == 3)
        #expect(cold.summaries.map(\.id).contains("acme"))
        #expect(cold.summaries.first { $0.id == "celonis" }?.title == "Celonis (site)")
        #expect(cold.summaries.filter { $0.id == "celonis" }.count == 1)
        #expect(cold.diagnostics.contains { $0.file.hasSuffix("broken.yaml") && $0.severity == .error })
        #expect(cold.summaries.count == Fixtures.builtinConnectorIDs.count + 1)

        let warm = index.listing()
        #expect(warm.filesRead == 0)
        #expect(warm.summaries == cold.summaries)
        #expect(warm.diagnostics == cold.diagnostics)

        // Same size and time: the cache is trusted (this is how it saves the work).
        var status = stat()
        stat(first, &status)
        try (try celonisCopy(id: "acme", title: "Acme Minin!")).write(toFile: first, atomically: false, encoding: .utf8)
        var times = [status.st_atim, status.st_mtim]
        utimensat(AT_FDCWD, first, &times, 0)
        #expect(index.listing().summaries.contains { $0.title == "Acme Mining" })
        // A new time: read again.
        times[1].tv_sec += 5
        utimensat(AT_FDCWD, first, &times, 0)
        let changed = index.listing()
        #expect(changed.filesRead == 1)
        #expect(changed.summaries.contains { $0.title == "Acme Minin!" })

        // The full schema of one connector comes from its own file.
        #expect(index.schema("acme")?.fields.count == ConnectorCatalog.builtin().connector("celonis")?.fields.count)
        #expect(index.schema("certinia")?.id == "certinia")
        #expect(index.schema("nope") == nil)
        // A user file with a built-in's id wins for the full schema too.
        #expect(index.schema("celonis")?.title == "Celonis (site)")
        #expect(index.listing(builtins: false).summaries.map(\.id).sorted() == ["acme", "celonis"])

        // A removed file leaves the listing and the cache.
        try FileManager.default.removeItem(atPath: first)
        #expect(!index.listing().summaries.contains { $0.id == "acme" })
        #expect(!((try? String(contentsOfFile: home.file("cache/connector-index.tsv"), encoding: .utf8)) ?? "").contains("acme.yaml"))
    }

    /// An index from an older connwiz, or one damaged on disk, is only a cache: every file is
    /// read again, and the listing is what the files say.
    @Test func anOldOrDamagedIndexIsReadAgainFromTheFiles() throws {
        let acmeLine = "F\t%@/connectors/acme.yaml\t1\t2\tacme\tAcme\tX\tY\tZ\n"
        for cache in [#"{"version": 3, "rows": [["x"], ["a", "b", "c", "d", "e", "f", "g", "h"]]}"#,
                      "connwiz connector index 3\n" + acmeLine, "connwiz connector index 4\nF\tx\n",
                      "connwiz connector index 4\nF\t%@/connectors/acme.yaml\tbig\t2\tacme\tAcme\tX\tY\tZ\n",
                      "connwiz connector index 4\n" + acmeLine.replacingOccurrences(of: "\n", with: ""),
                      "\u{FF}\u{00}\\", ""] {
            let home = TemporaryFolder()
            home.write("connectors/acme.yaml", try celonisCopy(id: "acme", title: "Acme Mining"))
            let index = ConnectorIndex(home: HomeFolder(path: home.path))
            let cold = index.listing()
            home.write("cache/connector-index.tsv", cache.replacingOccurrences(of: "%@", with: home.path))
            let again = index.listing()
            #expect(again.filesRead == 1, "\(cache)")
            #expect(again.summaries == cold.summaries, "\(cache)")
            #expect(index.listing().filesRead == 0, "rewritten: \(cache)")
        }
    }

    /// What the index keeps comes back the same, whatever the characters: tabs, newlines and
    /// backslashes in a title, a path with spaces, and problems with and without a position.
    @Test func theIndexGivesBackWhatItKept() throws {
        let home = TemporaryFolder()
        let odd = try celonisCopy(id: "odd", title: "x").replacingOccurrences(of: "\ntitle: x\n",
                                                                               with: "\ntitle: \"Tab\\there, line\\nbreak, back\\\\slash, é ✓\"\n")
        home.write("connectors/with space.yaml", odd)
        home.write("connectors/broken.yaml", "id: broken\ntitle: [unclosed\n")
        home.write("connectors/zz twin.yaml", try celonisCopy(id: "odd", title: "Twin"))
        let index = ConnectorIndex(home: HomeFolder(path: home.path))
        let cold = index.listing()
        let warm = index.listing()
        #expect(cold.filesRead == 3 && warm.filesRead == 0)
        #expect(warm.summaries == cold.summaries)
        #expect(warm.diagnostics.map(\.description) == cold.diagnostics.map(\.description))
        #expect(cold.summaries.contains { $0.title == "Tab\there, line\nbreak, back\\slash, é ✓" }, "\(cold.summaries.map(\.title))")
        #expect(cold.diagnostics.contains { $0.file.hasSuffix("broken.yaml") && $0.line != nil })
        #expect(cold.diagnostics.contains { $0.file.hasSuffix("zz twin.yaml") && $0.message.contains("already defined") })
    }

    @Test func aDuplicateUserIDIsReportedAndSkipped() throws {
        let home = TemporaryFolder()
        home.write("connectors/a.yaml", try celonisCopy(id: "twin", title: "Twin A"))
        home.write("connectors/b.yaml", try celonisCopy(id: "twin", title: "Twin B"))
        let listing = ConnectorIndex(home: HomeFolder(path: home.path)).listing()
        #expect(listing.summaries.filter { $0.id == "twin" }.map(\.title) == ["Twin A"])
        #expect(listing.diagnostics.contains { $0.file.hasSuffix("b.yaml") && $0.message.contains("already defined") })
    }
}
