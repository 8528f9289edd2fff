import Foundation
import Testing
import TestSupport

/// A service that echoes the credential back in disguise (issue: hardening). Every output of
/// every command and every file under the home is searched for the secret, its base64 and hex
/// forms, its 12-character prefix, and any 6 characters of it in a row.
@Suite("Echoed secrets stay hidden", .serialized, .oneAtATime)
struct SecretEchoTests {
    static let secret = "tok-ECHO-7b1e9c4d0a2f58"

    /// The secret's forms and every run of 6 of its characters.
    static var needles: [String] {
        let characters = Array(secret)
        var found = [secret, String(secret.prefix(12)), Data(secret.utf8).base64EncodedString(),
                     secret.utf8.map { String(format: "%02x", $0) }.joined()]
        for start in 0...(characters.count - 6) { found.append(String(characters[start..<(start + 6)])) }
        return found
    }

    @Test func aServiceEchoingTheTokenEscapedEncodedInAHeaderNameAndPastTheCutLeaksNothing() throws {
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path, extra: ["ECHO": Self.secret])
        var outputs: [String] = []
        func run(_ arguments: [String]) throws -> BinaryRunner.Run {
            let result = try connwiz.run(arguments)
            outputs.append(result.output)
            return result
        }
        let created = try run(["new", "http-token", "--name", "Echo", "--set", "baseUri=http://sandbox.connwiz/_faults",
                               "--set", "pingPath=/echo-credential", "--secret", "token=env:ECHO", "--yes"])
        #expect(created.status == 0, "\(created)")
        let tested = try run(["test", "Echo", "--sandbox"])
        #expect(tested.status == 1)
        #expect(tested.stdout.contains("401"), "\(tested)")
        #expect(tested.stdout.contains("sha256:"), "the quoted message shows the echo as a fingerprint: \(tested)")
        _ = try run(["test", "Echo", "--sandbox", "--json"])
        let log = try run(["log", "Echo"])
        #expect(log.stdout.contains("got sha256:"), "the \\u-escaped echo reads as a fingerprint once decoded:\n\(log.stdout)")
        _ = try run(["log", "Echo", "--json"])
        _ = try run(["log", "Echo", "--har", "-"])
        _ = try run(["log", "Echo", "--har", home.file("echo.har")])
        _ = try run(["list"])
        _ = try run(["show", "Echo"])
        for needle in Self.needles {
            for output in outputs where output.contains(needle) {
                Issue.record("“\(needle)” of the secret appeared in output:\n\(output)")
            }
            #expect(home.filesContaining(needle).isEmpty, "“\(needle)” of the secret is in \(home.filesContaining(needle))")
        }
    }
}

/// A secret with a control character (issue 19, item 5): refused at entry with a clear
/// message, so it reaches no output, no log and no store in any form.
@Suite("Secrets with control characters", .oneAtATime)
struct ControlCharacterSecretTests {
    @Test func aTokenFileWithADelIsRefusedAndLeaksNowhere() throws {
        let home = TemporaryFolder()
        let secret = "Leak-Me-\u{7f}Tok-998877"
        let file = home.write("t", secret)
        let connwiz = BinaryRunner(home: home.path)
        let run = try connwiz.run(["new", "http-token", "--name", "Leak", "--set", "baseUri=http://sandbox.connwiz/_faults",
                                   "--set", "pingPath=/echo-credential", "--secret", "token=file:\(file)", "--yes", "--test", "--save-anyway",
                                   "--sandbox"])
        #expect(run.status != 0, "\(run)")
        #expect(run.output.contains("Token holds a control character (DEL)"), "\(run.output)")
        let listed = try connwiz.run(["list"])
        #expect(!listed.stdout.contains("Leak"), "nothing was saved: \(listed.stdout)")
        let forms = [secret, String(secret.prefix(12)), Data(secret.utf8).base64EncodedString(), "Leak-Me-", "Tok-998877",
                     "Leak-Me-\\u{7F}", "Leak-Me-\\u007f", "Leak-Me-\\u007F"]
        for form in forms {
            #expect(!run.output.contains(form) && !listed.output.contains(form), "“\(form)” was printed")
            #expect(home.filesContaining(form).allSatisfy { $0.hasSuffix("/t") }, "“\(form)” is in \(home.filesContaining(form))")
        }
    }
}

/// A service whose answers carry terminal escape sequences (issue 19, item 7): a reason phrase,
/// an error message and a body (the HTTP parser itself refuses one in a header). No output of any command passes one on.
@Suite("Escape sequences from a service", .oneAtATime)
struct ServiceEscapeTests {
    @Test func noCommandPrintsAControlCharacterAServiceSent() throws {
        let body = #"{"message":"no \u001b]0;pwned\u0007 entry \u009b2J here"}"#
        let answer = "HTTP/1.1 401 Bad\u{1b}[2J\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        let server = try RawServer(answer: Array(answer.utf8))
        defer { server.stop() }
        let home = TemporaryFolder()
        let connwiz = BinaryRunner(home: home.path, extra: ["T": "escape-token-5566"])
        var outputs: [(String, BinaryRunner.Run)] = []
        func run(_ arguments: [String]) throws {
            outputs.append((arguments.joined(separator: " "), try connwiz.run(arguments)))
        }
        try run(["new", "http-token", "--name", "Esc", "--set", "baseUri=http://127.0.0.1:\(server.port)", "--set", "pingPath=/me",
                 "--secret", "token=env:T", "--yes", "--test", "--save-anyway"])
        try run(["test", "Esc"])
        try run(["test", "Esc", "--json"])
        try run(["log", "Esc"])
        try run(["log", "Esc", "--json"])
        try run(["list"])
        try run(["show", "Esc"])
        #expect(outputs[1].1.stdout.contains("no ]0;pwned entry 2J here"), "the message is still quoted: \(outputs[1].1)")
        for (command, result) in outputs {
            let bad = result.output.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7f...0x9f).contains($0.value) }
            #expect(bad.isEmpty, "connwiz \(command) printed \(bad.map { String($0.value, radix: 16) }):\n\(result.output)")
        }
    }
}
