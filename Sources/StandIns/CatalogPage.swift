import ConnectorSchema
import Foundation

/// `docs/connectors.md`: every built-in application by category, with its auth types, what its
/// test calls and how complete its offline stand-in is, written from the connector files so
/// that the page cannot drift from them (a test compares the two).
public enum CatalogPage {
    /// The page for `catalog`, in Markdown.
    public static func markdown(_ catalog: ConnectorCatalog) -> String {
        let entries = catalog.entries.map(\.schema)
        let categories = Set(entries.map(\.category)).sorted { order($0) < order($1) }
        let complete = entries.filter { standIn(of: $0).hasPrefix("complete") || standIn(of: $0).hasPrefix("Swift") }.count
        var page = """
            # Applications connwiz knows

            Written by `connwiz schema catalog` from the files in `Connectors/`; do not edit it by
            hand (a test fails when the page and the files disagree). Regenerate it with
            `connwiz schema catalog > docs/connectors.md`.

            \(entries.count) applications in \(categories.count) categories; \(complete) have a complete offline
            stand-in, so `--sandbox` runs them with no network. `connwiz sandbox accounts` prints
            the answers that succeed there.

            - **Auth types** are the ways of signing in a connection can choose, as `connwiz connectors` names them.
            - **The test calls** is the request `connwiz test` sends (`{{…}}` are answers).
            - **Stand-in**: *complete* means a declared stand-in answers every auth type the file
              offers and declares at least three failures with the service's own error bodies;
              *Swift emulator* means the sandbox emulates the service in code (sign-in pages,
              device codes, push); *partial* says what is missing.

            """
        for category in categories {
            page += "\n## \(category)\n\n| Application | Id | Auth types | The test calls | Stand-in |\n|---|---|---|---|---|\n"
            for schema in entries.filter({ $0.category == category }).sorted(by: { $0.title.lowercased() < $1.title.lowercased() }) {
                let cells = [schema.title, "`\(schema.id)`", schema.authFamilies.joined(separator: ", "), tests(of: schema), standIn(of: schema)]
                page += "| " + cells.map(cell).joined(separator: " | ") + " |\n"
            }
        }
        return page
    }

    /// Categories as integrator.io orders its Application list: business systems first,
    /// the universal connectors last.
    static func order(_ category: String) -> String {
        category == "Universal" ? "~" : category
    }

    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// Each test request as method and path; alternatives (by `when`) are joined with “or”.
    static func tests(of schema: ConnectorSchema) -> String {
        let requests = (schema.http?.tests ?? []).map { "`\($0.method.source) \($0.path.source)`" }
        var unique: [String] = []
        for request in requests where !unique.contains(request) { unique.append(request) }
        return unique.isEmpty ? "—" : unique.joined(separator: " or ")
    }

    /// How complete the connector's stand-in is.
    static func standIn(of schema: ConnectorSchema) -> String {
        if SandboxAccountList.swiftConnectors.contains(schema.id) { return "Swift emulator" }
        guard let standIn = schema.standIn else { return "none" }
        let auths = schema.http?.auth ?? []
        let reached = Set(standIn.accounts.compactMap { account in
            auths.firstIndex { $0.when.holds { account.answers[$0].map(FieldValue.string) } }
        })
        let failures = standIn.accounts.filter { $0.respond != StandInSpec.ok }.count
        var missing: [String] = []
        let reachedFamilies = Set(reached.map { auths[$0].family })
        let unreached = schema.authFamilies.filter { !reachedFamilies.contains($0) }
        if !unreached.isEmpty { missing.append("no account for " + unreached.joined(separator: ", ")) }
        if failures < 3 { missing.append("\(failures) declared failure\(failures == 1 ? "" : "s")") }
        let accounts = standIn.accounts.count - failures
        let summary = "\(accounts) account\(accounts == 1 ? "" : "s"), \(failures) failure\(failures == 1 ? "" : "s")"
        return missing.isEmpty ? "complete: \(summary)" : "partial: " + missing.joined(separator: "; ")
    }
}
