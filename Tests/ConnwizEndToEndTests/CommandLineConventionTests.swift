import Foundation
import Testing
import TestSupport

/// Global options before the subcommand, did-you-mean, JSON results and errors, shell
/// completions exercised by bash itself, and the man page rendered by man.
@Suite("Command-line conventions", .serialized, .oneAtATime)
struct CommandLineConventionTests {
    let token = "conv-token-8d2f61a0c3b9"

    /// A home with one saved connection, “My API”.
    func homeWithAConnection() throws -> (TemporaryFolder, BinaryRunner) {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path, extra: ["T": token])
        let created = try connwiz.run(["new", "http-token", "--name", "My API", "--set", "baseUri=https://api.example.com",
                                       "--secret", "token=env:T", "--yes"])
        #expect(created.status == 0, "\(created)")
        return (home, connwiz)
    }

    @Test func globalOptionsWorkBeforeTheSubcommand() throws {
        let (home, _) = try homeWithAConnection()
        let elsewhere = BinaryRunner(home: TemporaryFolder().path)
        let listed = try elsewhere.run(["--home", home.path, "list"])
        #expect(listed.status == 0, "\(listed)")
        #expect(listed.stdout.contains("My API"))
        let clients = try elsewhere.run(["--home", home.path, "oauth-client", "list", "--json"])
        #expect(clients.status == 0, "\(clients)")
        #expect(clients.stdout.contains("\"clients\""))

        let created = try elsewhere.run(["--sandbox", "--home", home.path, "new", "celigo-integrator-io", "--name", "IO",
                                         "--set", "region=europe", "--secret", "token=env:T", "--yes", "--test"],
                                        environment: ["T": "sbx-io-eu-token"])
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout.contains("Test succeeded"), "\(created)")
    }

    @Test func aMistypedCommandGetsDidYouMeanAndNoHiddenCommand() throws {
        let connwiz = BinaryRunner(home: TemporaryFolder().path)
        let typo = try connwiz.run(["nwe"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("unknown command “nwe”; did you mean “new”?"), "\(typo)")
        let option = try connwiz.run(["--sandox"])
        #expect(option.status == 2)
        #expect(option.stderr.contains("Did you mean '--sandbox'?"), "\(option)")
        for run in [typo, option, try connwiz.run(["lst"]), try connwiz.run(["new", "--sandox"])] {
            #expect(!run.output.contains("connwiz home"), "the hidden default command showed: \(run)")
        }
    }

    @Test func jsonResultsHaveAVersionAndErrorsHaveTheirShape() throws {
        let (home, connwiz) = try homeWithAConnection()
        defer { withExtendedLifetime(home) {} }
        func object(_ run: BinaryRunner.Run) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run)")
        }
        for arguments in [["list", "--json"], ["connectors", "--json"], ["show", "My API", "--json"], ["oauth-client", "list", "--json"]] {
            let run = try connwiz.run(arguments)
            #expect(run.status == 0, "\(arguments): \(run)")
            #expect(try object(run)["version"] as? Int == 1, "\(arguments)")
        }

        let created = try connwiz.run(["new", "http-token", "--name", "Second", "--set", "baseUri=https://b.example.com",
                                       "--secret", "token=env:T", "--yes", "--json"])
        #expect(created.status == 0, "\(created)")
        let saved = try object(created)
        #expect(saved["saved"] as? Bool == true)
        #expect((saved["connection"] as? [String: Any])?["name"] as? String == "Second")

        let invalid = try connwiz.run(["new", "celigo-integrator-io", "--name", "X", "--set", "region=mars", "--secret", "token=env:T",
                                       "--yes", "--json"])
        #expect(invalid.status == 2)
        let error = try #require(try object(invalid)["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid_answers")
        #expect(error["field"] as? String == "region")
        #expect((error["message"] as? String)?.contains("region") == true)

        let missing = try connwiz.run(["show", "Nope", "--json"])
        #expect(missing.status == 2)
        let notFound = try #require(try object(missing)["error"] as? [String: Any])
        #expect(notFound["code"] as? String == "not_found")
        #expect(notFound.keys.contains("field"), "field is always present")
        #expect(missing.stderr.contains("no connection is named “Nope”"), "the message still goes to standard error")

        let usage = try connwiz.run(["test", "--json", "--timeout", "0", "My API"])
        #expect(usage.status == 2)
        #expect((try object(usage)["error"] as? [String: Any])?["code"] as? String == "usage")

        let deleted = try connwiz.run(["delete", "Second", "--yes", "--json"])
        #expect(deleted.status == 0, "\(deleted)")
        #expect(try object(deleted)["deleted"] as? Bool == true)

        let view = try connwiz.run(["show", "my api", "--http"])
        #expect(view.status == 0, "\(view)")
        #expect(view.stdout.contains("Base URI        https://api.example.com"), "\(view)")
        #expect(view.stdout.contains("Authentication  header Authorization: Bearer sha256:"), "\(view)")
        for form in [token, String(token.prefix(12)), Data(token.utf8).base64EncodedString()] {
            #expect(!view.output.contains(form), "the HTTP view shows the token")
        }

        let parts = try connwiz.run(["new", "celonis", "--secret", "oauth2Client=env:T", "--yes"])
        #expect(parts.status == 2)
        #expect(parts.stderr.contains("--set oauth2Client.clientId=VALUE and --secret oauth2Client.clientSecret=env:VAR"), "\(parts)")
    }

    // MARK: Completions

    /// Runs `script` in bash with the completion script sourced and connwiz on the PATH.
    func bash(_ script: String, home: TemporaryFolder) throws -> String {
        let folder = TemporaryFolder("connwiz-completion")
        let binFolder = folder.file("bin")
        try FileManager.default.createDirectory(atPath: binFolder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: binFolder + "/connwiz", withDestinationPath: BinaryRunner.locate())
        let generated = try BinaryRunner(home: home.path).run(["completions", "bash"])
        #expect(generated.status == 0)
        let completion = folder.write("connwiz.bash", generated.stdout)
        let driver = folder.write("drive.sh", """
            source \(completion)
            # Completes the words as bash would split them (at = too) and prints the candidates.
            comp() {
                COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
                COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
                local function=$(complete -p connwiz | sed -E 's/.*-F ([^ ]+) .*/\\1/')
                "$function" connwiz "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
                printf '%s\\n' "${COMPREPLY[@]}" | sort | paste -sd' '
            }
            \(script)
            """)
        let result = try Subprocess.run(["/bin/bash", "--noprofile", "--norc", driver],
                                        environment: ["PATH": binFolder + ":/usr/bin:/bin", "CONNWIZ_HOME": home.path, "HOME": home.path])
        #expect(result.status == 0, "\(result.output)")
        return result.output
    }

    @Test func bashCompletesCommandsConnectorsNamesFieldsAndChoices() throws {
        let (home, _) = try homeWithAConnection()
        let lines = try bash("""
            complete -p connwiz
            comp connwiz ne
            comp connwiz new ""
            comp connwiz test ""
            comp connwiz new celonis --set ""
            comp connwiz new celonis --set apiType = ""
            comp connwiz new celonis --set apiType = da
            comp connwiz new celonis --secret ""
            comp connwiz edit "My\\ API" --set sch
            comp connwiz new --sa
            """, home: home).split(separator: "\n").map(String.init)
        try #require(lines.count == 10, "\(lines)")
        #expect(lines[0].hasPrefix("complete ") && lines[0].hasSuffix(" connwiz"), "complete -p: \(lines[0])")
        #expect(lines[1] == "new")
        #expect(lines[2] == Fixtures.builtinConnectorIDs.joined(separator: " "))
        #expect(lines[3] == "My API")
        #expect(lines[4].contains("apiType=") && lines[4].contains("domain=") && !lines[4].contains("clientSecret"), "\(lines[4])")
        #expect(lines[5] == "data-push intelligence", "after FIELD=, the choices: \(lines[5])")
        #expect(lines[6] == "data-push")
        #expect(lines[7].contains("oauth2Client.clientSecret=") && !lines[7].contains("domain="), "\(lines[7])")
        #expect(lines[8] == "scheme=", "edit completes the saved connection's connector's fields: \(lines[8])")
        #expect(lines[9].contains("--sandbox") && lines[9].contains("--sandbox-url"))
    }

    @Test func zshAndFishScriptsAreGeneratedForTheSameCommands() throws {
        let connwiz = BinaryRunner(home: TemporaryFolder().path)
        for shell in ["zsh", "fish"] {
            let script = try connwiz.run(["completions", shell])
            #expect(script.status == 0)
            #expect(script.stdout.contains("---completion"), "\(shell) calls back for names and fields")
            #expect(script.stdout.contains("oauth-client"))
        }
        let wrong = try connwiz.run(["completions", "tcsh"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("choose bash, zsh or fish"))
    }

    // MARK: The man page

    @Test func theManPageRendersAndCoversEveryCommand() throws {
        let page = Fixtures.packageRoot + "/docs/connwiz.1"
        #expect(FileManager.default.fileExists(atPath: page), "generate it: Scripts/generate-manual")
        let rendered = try Subprocess.run(["/usr/bin/man", "-l", "-P", "cat", page], environment: ["PATH": "/usr/bin:/bin", "MANWIDTH": "100", "LANG": "C.UTF-8"])
        #expect(rendered.status == 0, "\(rendered.output)")
        let help = try BinaryRunner(home: TemporaryFolder().path).run(["--help"])
        let commands = help.stdout.components(separatedBy: "SUBCOMMANDS:").last?.split(separator: "\n")
            .compactMap { $0.split(separator: " ").first.map(String.init) }.filter { !$0.isEmpty && $0 != "See" } ?? []
        #expect(commands.count > 10, "\(help)")
        for command in commands {
            #expect(rendered.output.contains(command), "the man page lacks \(command): regenerate it with Scripts/generate-manual")
        }
        for option in ["--proxy", "--no-proxy", "--sandbox", "--set", "--secret", "--json"] {
            #expect(rendered.output.contains(option), "the man page lacks \(option): regenerate it with Scripts/generate-manual")
        }
    }

    // MARK: The catalog page

    /// docs/connectors.md is what `connwiz schema catalog` writes from the connector files, so
    /// a changed file without a regenerated page fails here.
    @Test func theCatalogPageIsWhatTheFilesSay() throws {
        let written = try String(contentsOfFile: Fixtures.packageRoot + "/docs/connectors.md", encoding: .utf8)
        let run = try BinaryRunner(home: TemporaryFolder().path).run(["schema", "catalog"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout == written, "regenerate it: connwiz schema catalog > docs/connectors.md")
        // Every built-in application has its row, its auth types and its test.
        for id in Fixtures.builtinConnectorIDs {
            #expect(written.contains("| `\(id)` |"), "\(id) has no row")
        }
        let rows = written.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| Application") }
        #expect(rows.count == Fixtures.builtinConnectorIDs.count)
        #expect(rows.allSatisfy { row in !row.contains("| none |") }, "every built-in application has a stand-in")
        #expect(written.contains("| Snowflake | `snowflake` | JWT, token | `POST /api/v2/statements` |"), "\(rows.filter { $0.contains("snowflake") })")
    }
}

extension FullScreenTests {
    /// F3 shows the HTTP view under the step in the real binary; it follows the answers and
    /// shows the token only as its fingerprint.
    @Test func theHTTPViewFollowsTheAnswersInARealTerminal() throws {
        let desk = try Desk(width: 110, height: 40)
        try desk.start("new celigo-integrator-io --sandbox")
        try desk.wait("] Name your connection *")
        try desk.press("F3")
        try desk.wait("HTTP view (F3 hides it)")
        try desk.type("IO Europe")
        try desk.press("Enter")
        try desk.wait("2) Europe")
        try desk.press("Down", "Enter")
        try desk.wait("Base URI        https://api.eu.integrator.io/v1")
        try desk.type("sbx-io-eu-token")
        let typed = try desk.wait("Bearer sha256:")
        #expect(!typed.contains("sbx-io-eu-token"))
        try desk.press("Enter")
        let review = try desk.wait("HTTP view (v hides it)")
        #expect(review.contains("t Test"))
        try desk.press("v")
        _ = try desk.session.waitUntil("the HTTP view is hidden") { !$0.contains("HTTP view (") }
        try desk.press("C-c")
        try desk.wait("Discard this connection?")
        try desk.press("y")
        #expect(try desk.exitStatus() == 1)
        try desk.expectNowhere("sbx-io-eu-token")
    }
}
