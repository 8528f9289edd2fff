import ArgumentParser

/// `connwiz completions bash|zsh|fish`: the shell completion script, to be saved where the
/// shell loads completions from (docs/user-guide.md says where for each shell).
struct CompletionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completions",
        abstract: "Print the shell completion script for bash, zsh or fish.",
        discussion: """
        Completes subcommands, options, connector ids, connection and client names, field ids \
        after --set and --secret, and a choice's values after --set FIELD=. Install, e.g.:
          connwiz completions bash > ~/.local/share/bash-completion/completions/connwiz
          connwiz completions zsh > "${fpath[1]}/_connwiz"
          connwiz completions fish > ~/.config/fish/completions/connwiz.fish
        """
    )

    @Argument(help: ArgumentHelp("The shell: bash, zsh or fish.", valueName: "shell"),
              completion: .list(CompletionShell.allCases.map(\.rawValue)))
    var shell: String

    func validate() throws {
        guard CompletionShell(rawValue: shell) != nil else {
            throw ValidationError("no completions for “\(shell)”; choose bash, zsh or fish")
        }
    }

    func run() throws {
        guard let chosen = CompletionShell(rawValue: shell) else { return }
        var script = Connwiz.completionScript(for: chosen)
        if chosen == .bash { script += Self.bashWordsRejoined }
        Output.print(script)
    }

    /// bash splits `--set region=europe` at `=` (it is in COMP_WORDBREAKS) before any
    /// completion function runs, so the generated function never sees `region=` as the
    /// option's value. This wrapper puts such words back together, calls it, and hands bash
    /// only the part after `=`, which is all bash replaces.
    static let bashWordsRejoined = #"""

    _connwiz_rejoined() {
        local -a joined=()
        local -i i cword=0 split=0
        for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
            # A completed `FIELD\=` reads as `FIELD=` (bash escaped it, so did not split it).
            local word=${COMP_WORDS[i]//\\=/=}
            if ((i > 0 && ${#joined[@]} > 1)) && [[ ${word} == "=" || ${COMP_WORDS[i-1]} == "=" ]] \
                && [[ ${joined[${#joined[@]}-2]} == --set || ${joined[${#joined[@]}-2]} == --secret ]]; then
                joined[${#joined[@]}-1]+=${word}
                ((i == COMP_CWORD)) && split=1
            else
                joined+=("${word}")
            fi
            ((i == COMP_CWORD)) && cword=$((${#joined[@]} - 1))
        done
        local current=${joined[cword]} before=""
        ((cword > 0)) && before=${joined[cword-1]}
        COMP_WORDS=("${joined[@]}")
        COMP_CWORD=${cword}
        _connwiz connwiz "${current}" "${before}"
        if ((split)); then
            # bash replaces only what follows the `=`.
            local done_part=${current%"${current##*=}"}
            COMPREPLY=("${COMPREPLY[@]#"${done_part}"}")
        fi
        if ((${#COMPREPLY[@]} > 0)) && [[ ${COMPREPLY[0]} == *= ]]; then
            compopt -o nospace 2>/dev/null
        fi
    }

    complete -o filenames -F _connwiz_rejoined connwiz
    """#
}
