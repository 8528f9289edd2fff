import ArgumentParser
import ConnectionCore
import Connections
import Foundation

/// `connwiz import FILE`: a connection from an exported integrator.io connection document.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Create a connection from an exported connection document (connwiz export).",
        discussion: """
        Every answer comes from the document except the secrets, which it holds as ******: \
        the panel (or the prompts) opens on the connection and asks only for them. Takes the \
        same answer options as `new`.
        Example: connwiz import orders.json --secret token=env:ORDERS_TOKEN --yes
        """
    )

    /// A document is a few kilobytes; a bigger file is not one.
    static let largestFile = 1 << 20

    @Argument(help: ArgumentHelp("The document, as `connwiz export` writes it.", valueName: "file"), completion: .file(extensions: ["json"]))
    var file: String
    @OptionGroup var global: GlobalOptions
    @OptionGroup var answers: DocumentFormOptions

    func run() async throws {
        let workspace = Workspace(global)
        let document: DocumentAnswers
        do { document = try CeligoDocument.answers(in: try Self.read(file)) } catch let problem as DocumentProblem {
            throw CLIFailure.failed("\(file): \(problem)")
        }
        try await self.answers.form(workspace).run(document, from: file, linked: nil, remoteIDs: [:])
    }

    /// The document in `path`, with the parser's line and column when it is not JSON.
    static func read(_ path: String) throws -> [String: Any] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIFailure.failed("\(path): cannot be read (no such file, or no permission)") }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: largestFile + 1)) ?? Data()
        guard data.count <= largestFile else { throw CLIFailure.failed("\(path): larger than 1 MB; a connection document is a few kilobytes") }
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw CLIFailure.failed("\(path):1:1: not a connection document (a JSON object)")
            }
            return object
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw CLIFailure.failed(Self.describe(error, in: data, path: path))
        }
    }

    /// `path:line:column: not JSON: …` from the parser's "around character N" (a byte offset,
    /// from 0), or the end of the file when the parser ran out of it.
    static func describe(_ error: Error, in data: Data, path: String) -> String {
        let said = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\(error)"
        var offset = data.count
        if let range = said.range(of: "character "), let number = Int(said[range.upperBound...].prefix { $0.isNumber }) {
            offset = min(number, data.count)
        }
        var line = 1, column = 1
        for byte in data.prefix(offset) {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return "\(path):\(line):\(column): not JSON: \(said)"
    }
}
