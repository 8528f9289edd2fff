import ConnectorSchema
import Foundation
import Testing
import TestSupport

extension FullScreenTests {
    /// Issue 22: one walk through the full screen per family of auth, each with an application
    /// whose stand-in is declared in its file (NetSuite's is Swift), answered with the account
    /// `sandbox accounts --json` lists: the keys follow the form engine's steps, the test (or
    /// the sign-in, played by a real HTTP client) succeeds, the View log shows the request,
    /// the connection is saved, and no secret is on any screen or in any file.
    @Test(arguments: [
        ("token", "shopify"),
        ("Basic", "servicenow"),
        ("OAuth 2.0 sign-in", "quickbooks-online"),
        ("client credentials", "business-central"),
        ("JWT", "snowflake"),
        ("OAuth 1.0", "netsuite"),
    ])
    func eachAuthFamilyThroughThePanel(family: String, connector: String) async throws {
        let desk = try Desk()
        let listed = try StandInTests.accounts(BinaryRunner(home: desk.home.path)).filter { $0.connector == connector }
        let entry = try #require(listed.first, "\(family): the sandbox lists \(connector)")
        let schema = try #require(ConnectorCatalog.builtin(connector))
        var answers = entry.answers
        answers["name"] = "\(family) panel"
        let moves = try FormMove.moves(answering: answers, schema: schema)

        try desk.start("new \(connector) --sandbox", environment: "SSH_CONNECTION='10.0.0.1 5000 10.0.0.2 22'")
        for move in moves {
            switch move {
            case .type(let label, let text, let replacing):
                try desk.wait("] \(label)")
                if replacing { try desk.press("C-u") }
                if !text.isEmpty { try desk.type(text) }
                try desk.press("Enter")
            case .pick(let label, let number):
                try desk.wait("] \(label)")
                if let number { try desk.type("\(number)") } else { try desk.press("Enter") }
            case .tick(let label, _, let toggle):
                try desk.wait("] \(label)")
                for number in toggle { try desk.type("\(number)") }
                try desk.press("Enter")
            case .client(let label, let parts):
                try desk.wait("] \(label)")
                for part in parts {
                    try desk.type(part)
                    try desk.press("Enter")
                }
            case .advanced(let wanted):
                try desk.wait("y to edit them")
                try desk.press(wanted ? "y" : "n")
            }
        }
        if entry.needsSignIn {
            let user = try #require(entry.signIn)
            try desk.wait("a Save & authorize")
            try desk.press("a")
            let location = try await desk.signInByPasting(user: user.username, password: user.password)
            try desk.press("Enter")
            let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
            #expect(try desk.exitStatus() == 0)
            try desk.expectNowhere(code)
        } else {
            try desk.wait("t Test   s Save")
            try desk.press("t")
            try desk.wait("Test succeeded")
            try desk.press("l")
            let log = try desk.wait("View log › \(answers["name"]!)")
            #expect(log.contains("200 OK"), "\(family): \(log)")
            try desk.press("Escape")
            try desk.wait("l View log")
            try desk.press("s")
            #expect(try desk.exitStatus() == 0)
        }
        let list = try desk.home.runConnwiz(["list"], binary: desk.binary)
        #expect(list.contains(answers["name"]!) && list.contains("✓ Test succeeded"), "\(family): \(list)")
        for secret in entry.secretFields.compactMap({ answers[$0] }) {
            try desk.expectNowhere(secret)
            try desk.expectNowhere(String(secret.prefix(12)))
        }
    }
}
