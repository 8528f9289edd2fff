import Foundation
import Testing
import TestSupport

/// The README's examples print what their comments say: every line commented
/// `# prints "…"` runs, in order, with the built binary for `swift run connwiz`.
@Suite("README examples", .oneAtATime)
struct ReadmeExampleTests {
    struct Example {
        let command: String
        let expected: String
    }

    /// The `# prints "…"` lines of the README's sh blocks, continuation lines joined.
    static func examples() throws -> [Example] {
        let readme = try String(contentsOfFile: Fixtures.packageRoot + "/README.md", encoding: .utf8)
        var examples: [Example] = []
        var inBlock = false
        var pending = ""
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                inBlock = line == "```sh"
                pending = ""
                continue
            }
            guard inBlock else { continue }
            let full = pending + line
            if full.hasSuffix("\\") {
                pending = String(full.dropLast()) + " "
                continue
            }
            pending = ""
            guard let marker = full.range(of: "# prints \"") else { continue }
            var expected = String(full[marker.upperBound...])
            guard expected.hasSuffix("\"") else { continue }
            expected.removeLast()
            examples.append(Example(command: String(full[..<marker.lowerBound]).trimmingCharacters(in: .whitespaces),
                                    expected: expected.replacingOccurrences(of: "\\\"", with: "\"")))
        }
        return examples
    }

    @Test func everyQuotedOutputIsPrinted() throws {
        let examples = try Self.examples()
        #expect(examples.count >= 8, "\(examples.map(\.command))")
        let home = TemporaryFolder()
        for example in examples {
            let command = example.command.replacingOccurrences(of: "swift run connwiz", with: "'\(BinaryRunner.locate())'")
            let result = try Subprocess.run(["/bin/bash", "-c", "cd '\(Fixtures.packageRoot)' && " + command],
                                            environment: ["CONNWIZ_HOME": home.path, "HOME": home.path, "PATH": "/usr/bin:/bin",
                                                          "LANG": "C.UTF-8", "TERM": "dumb"])
            #expect(result.output.contains(example.expected), "README: `\(example.command)` should print “\(example.expected)”:\n\(result.output)")
        }
    }
}
