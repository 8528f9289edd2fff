import ConnectorSchema

/// Small line-prompt choices outside the form: which application, yes or no.
public struct PlainMenu {
    let console: LineConsole

    public init(console: LineConsole) { self.console = console }

    /// Asks for an application by number, id or words of its title; nil when input ends or
    /// the operator leaves with q.
    public func chooseConnector(from catalog: ConnectorCatalog) -> ConnectorSchema? {
        console.line("Application list:")
        let entries = catalog.entries
        for (number, entry) in entries.enumerated() {
            console.line("  \(number + 1)) \(entry.schema.title)  (\(entry.schema.id), \(entry.schema.category))")
        }
        while true {
            guard let answer = console.readLine(prompt: "Application (number, id or name; q to leave): ") else { return nil }
            let text = answer.trimmingCharacters(in: .whitespaces)
            if text.lowercased() == "q" { return nil }
            if let number = Int(text), entries.indices.contains(number - 1) { return entries[number - 1].schema }
            if let exact = catalog.connector(text) { return exact }
            let matches = catalog.filter(text)
            if matches.count == 1 { return matches[0].schema }
            console.line(matches.isEmpty ? "  ✗ No application matches “\(text)”."
                                         : "  ✗ “\(text)” matches \(matches.count) applications: " + matches.map(\.schema.id).joined(separator: ", "))
        }
    }

    /// Asks a yes/no question; `default` answers an empty line; end of input answers no.
    public func confirm(_ question: String, default: Bool = false) -> Bool {
        while true {
            guard let answer = console.readLine(prompt: "\(question) [\(`default` ? "Y/n" : "y/N")]: ") else { return false }
            switch answer.trimmingCharacters(in: .whitespaces).lowercased() {
            case "": return `default`
            case "y", "yes": return true
            case "n", "no": return false
            default: console.line("  ✗ Answer y or n.")
            }
        }
    }
}
