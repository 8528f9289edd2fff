import ArgumentParser
import ConnectorSchema

/// The command line as operators type it, put in the order swift-argument-parser reads.
///
/// Options typed before the subcommand (`connwiz --sandbox new`, `connwiz --home DIR list`)
/// are moved after it, where the subcommand's option groups declare them; a first word that
/// names no command gets “did you mean …?” instead of a usage line for the hidden default
/// command. The parser itself has no setting for either.
enum CommandLineOrder {
    /// The options that take a value, so that a value is never taken for a subcommand:
    /// `--home new list` keeps `new` as the folder.
    static let optionsWithValues: Set<String> = [
        "--home", "--sandbox-url", "--proxy", "--connect-timeout", "--timeout", "--ca-file", "--max-body",
        "--sandbox-token-lifetime", "--auth-timeout", "--answers", "--name", "--set", "--secret", "--account",
        "--output", "--port", "--har", "--attempt", "--client-id", "--redirect-url", "--token-lifetime",
        "--device-interval", "--generate-completion-script",
    ]

    /// Words that end the search for a subcommand: what they do does not need one.
    static let standalone: Set<String> = ["-h", "--help", "--version", "--generate-completion-script", "--experimental-dump-help",
                                          "---completion"]

    /// `arguments` with leading options moved after the subcommand path (`oauth-client list`
    /// is one path). Without a subcommand, they stay where they are for the default command.
    static func arranged(_ arguments: [String]) -> [String] {
        guard let index = firstWord(of: arguments), index > 0, index < arguments.count, var command = subcommand(named: arguments[index], of: Connwiz.self) else {
            return arguments
        }
        var end = index + 1
        while end < arguments.count, let deeper = subcommand(named: arguments[end], of: command) {
            command = deeper
            end += 1
        }
        return Array(arguments[index..<end]) + Array(arguments[..<index]) + Array(arguments[end...])
    }

    /// The message for a first word that names no command, if it does not.
    static func unknownCommand(in arguments: [String]) -> String? {
        guard let index = firstWord(of: arguments), index < arguments.count else { return nil }
        let word = arguments[index]
        if subcommand(named: word, of: Connwiz.self) != nil { return nil }
        let shown = Connwiz.configuration.subcommands.filter { $0.configuration.shouldDisplay }.map { $0._commandName }
        let near = NearestName.best(to: word, in: shown).map { "; did you mean “\($0)”?" } ?? ""
        return "unknown command “\(word)”\(near)\nCommands: \(shown.joined(separator: ", ")) (connwiz --help describes them)"
    }

    /// Parser messages with the hidden default command's name taken out:
    /// `Usage: connwiz home <options>` becomes `Usage: connwiz [<options>]`.
    static func withoutHiddenCommand(_ message: String) -> String {
        message.replacingOccurrences(of: "connwiz home <options>", with: "connwiz [<options>] [<command>]")
            .replacingOccurrences(of: "connwiz home ", with: "connwiz ")
            .replacingOccurrences(of: "'connwiz home --help'", with: "'connwiz --help'")
    }

    /// Where the first word after the leading options (and their values) is; nil when a
    /// standalone option or `--` comes first, so the line is left as typed.
    static func firstWord(of arguments: [String]) -> Int? {
        var index = 0
        while index < arguments.count, arguments[index].hasPrefix("-") {
            if standalone.contains(arguments[index]) || arguments[index] == "--" { return nil }
            index += takesValue(arguments[index]) ? 2 : 1
        }
        return index
    }

    static func takesValue(_ option: String) -> Bool {
        !option.contains("=") && optionsWithValues.contains(option)
    }

    static func subcommand(named name: String, of command: ParsableCommand.Type) -> ParsableCommand.Type? {
        command.configuration.subcommands.first { $0._commandName == name }
    }
}
