import ArgumentParser
import ConnectionCore
import ConnectorSchema
import Foundation

/// What the shell completion scripts offer beyond subcommands and options: connector ids,
/// the names of saved connections and stored OAuth 2.0 clients, a connector's field ids after
/// `--set`/`--secret`, and a choice field's values after `--set FIELD=`.
///
/// swift-argument-parser generates the bash, zsh and fish scripts; each of these closures
/// runs in a fresh `connwiz ---completion …` when Tab is pressed, reading the home folder the
/// words name (`--home DIR`), else `$CONNWIZ_HOME`, and never opening a secret.
enum CompletionSource {
    static let connectors = CompletionKind.custom { words, _, _ in
        ConnectorIndex(home: home(in: words)).listing().summaries.map(\.id).sorted()
    }

    static let connections = CompletionKind.custom { words, _, _ in
        connectionNames(in: home(in: words))
    }

    static let clients = CompletionKind.custom { words, _, _ in
        let store = ConnectionStore(home: home(in: words), notice: { _ in })
        return ((try? store.oauthClients()) ?? []).map(\.name).sorted()
    }

    /// `FIELD=` for every field of the connector named on the line; after `FIELD=`, that
    /// field's choices as `FIELD=VALUE`.
    static let settableFields = CompletionKind.custom { words, index, prefix in
        fieldWords(words: words, index: index, prefix: prefix, secret: false)
    }

    static let secretFields = CompletionKind.custom { words, index, prefix in
        fieldWords(words: words, index: index, prefix: prefix, secret: true)
    }

    // MARK: Reading the line

    static func home(in words: [String]) -> HomeFolder {
        var option: String?
        for (index, word) in words.enumerated() {
            if word == "--home", index + 1 < words.count { option = unquoted(words[index + 1]) }
            if word.hasPrefix("--home=") { option = unquoted(String(word.dropFirst("--home=".count))) }
        }
        return HomeFolder.resolve(option: option)
    }

    static func connectionNames(in home: HomeFolder) -> [String] {
        let store = ConnectionStore(home: home, notice: { _ in })
        return ((try? store.all()) ?? []).map(\.name).sorted()
    }

    /// The connector the line is about: `new CONNECTOR`, or the connector of `edit NAME`.
    static func connector(in words: [String]) -> ConnectorSchema? {
        let home = home(in: words)
        let positional = positionals(of: words)
        guard let command = positional.first, positional.count > 1 else { return nil }
        let index = ConnectorIndex(home: home)
        switch command {
        case "new":
            return index.schema(positional[1])
        case "edit":
            let store = ConnectionStore(home: home, notice: { _ in })
            guard let saved = try? store.connection(named: positional[1]) else { return nil }
            return index.schema(saved.connector)
        default:
            return nil
        }
    }

    /// The words that are neither options nor their values, after the program's name.
    static func positionals(of words: [String]) -> [String] {
        var found: [String] = []
        var index = 1
        while index < words.count {
            let word = words[index]
            if word.hasPrefix("-") {
                index += CommandLineOrder.takesValue(word) ? 2 : 1
                continue
            }
            found.append(unquoted(word))
            index += 1
        }
        return found
    }

    static func fieldWords(words: [String], index: Int, prefix: String, secret: Bool) -> [String] {
        guard let schema = connector(in: words) else { return [] }
        let prefix = unquoted(prefix)
        let keys = schema.fields.flatMap { field in
            field.kind.parts.filter { $0.isSecret == secret }.map { (field, $0.key(in: field.id)) }
        }
        guard let equals = prefix.firstIndex(of: "=") else {
            return keys.map { $0.1 + "=" }
        }
        let key = String(prefix[..<equals])
        guard !secret else { return ["env:", "file:", "stdin"].map { key + "=" + $0 } }
        guard let field = keys.first(where: { $0.1 == key })?.0 else { return [] }
        return field.options.map { key + "=" + $0.value }
    }

    static func unquoted(_ word: String) -> String {
        var text = word
        if text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first {
            text = String(text.dropFirst().dropLast())
        }
        // bash passes words as typed: `My\ API`, `apiType\=`.
        var plain = ""
        var escaped = false
        for character in text {
            if character == "\\" && !escaped { escaped = true; continue }
            plain.append(character)
            escaped = false
        }
        return plain
    }
}
