import ConnectionCore
import Connections
import ConnectorSchema
import Foundation
import Testing
import TestSupport

/// Reading connection documents back into answers (`remote pull`, `import`), and comparing a
/// local connection with an account's copy (`remote diff`): untrusted documents get a message
/// that names what is wrong, and a secret is compared but never returned.
@Suite("Connection documents read back and compared")
struct RemoteDocumentTests {
    let token = "diff-token-5e1c9a7f3b2d8e4a"

    func saved(_ home: TemporaryFolder, baseUri: String = "https://api.example.com") throws -> (ConnectionUseCases, StoredConnection) {
        let cases = sandboxedCases(home)
        let draft = ConnectionDraft(connectorID: "http-token", values: ["name": .string("Orders"), "baseUri": .string(baseUri),
                                                                         "token": .string(token), "pingPath": .string("/me")])
        let record = try cases.store.saveRecord(draft, schema: schema("http-token"))
        return (cases, record.connection)
    }

    @Test func anExportReadsBackIntoEveryAnswerButTheSecrets() throws {
        let home = TemporaryFolder()
        let (_, connection) = try saved(home)
        var document = try CeligoDocument.make(connection: connection, schema: schema("http-token"))
        document["_id"] = "5f0c0ffee0eu000000000042"
        let answers = try CeligoDocument.answers(in: document)
        #expect(answers.connector == "http-token" && answers.name == "Orders" && answers.remoteID == "5f0c0ffee0eu000000000042")
        #expect(answers.values["baseUri"] == .string("https://api.example.com") && answers.values["pingPath"] == .string("/me"))
        #expect(answers.values["token"] == nil)
        #expect(!String(describing: document).contains(token))
    }

    @Test func aDocumentThatCannotBeReadBackSaysWhy() {
        let cases: [([String: Any], String)] = [
            ([:], "has no name"),
            (["name": "Web made"], "was not made by connwiz"),
            (["name": "X", "_connwiz": ["answers": [:]]], "_connwiz.connector"),
            (["name": "X", "_connwiz": ["connector": "http-token"]], "older connwiz"),
            (["name": "X", "_connwiz": ["connector": "http-token", "answers": ["scopes": ["a", 3]]]], "_connwiz.answers.scopes"),
            (["name": "X", "_connwiz": ["connector": "http-token", "answers": ["key": ["dc": 7]]]], "_connwiz.answers.key.dc"),
            (["name": "X", "_connwiz": ["connector": "http-token", "answers": ["baseUri": ["nested": ["deep": "x"]]]]], "_connwiz.answers.baseUri"),
        ]
        for (document, expected) in cases {
            #expect(throws: DocumentProblem.self) { try CeligoDocument.answers(in: document) }
            do {
                _ = try CeligoDocument.answers(in: document)
            } catch {
                #expect(error.description.contains(expected), "\(error.description)")
            }
        }
        // Masks and empty texts are answers still to give; a bad _id is no _id.
        let masked = try? CeligoDocument.answers(in: ["name": "X", "_id": "../../x", "_connwiz": ["connector": "c",
            "answers": ["a": "******", "b": "", "c": ["dc": "eu", "key": "******"]]]])
        #expect(masked?.values["a"] == nil && masked?.values["b"] == nil && masked?.values["c"] == .parts(["dc": "eu"]))
        #expect(masked?.remoteID == nil)
    }

    @Test func aDifferingSecretIsNamedButNeverShown() throws {
        let home = TemporaryFolder()
        let (cases, connection) = try saved(home)
        let mine = try CeligoDocument.make(connection: connection, schema: schema("http-token"))
        // The account shows the secret as ******: it cannot be compared, so nothing differs.
        #expect(try cases.difference(connection, remote: mine, remoteID: "a1").fields.isEmpty)

        // An account that returns a secret in clear, a different one, and another base URI.
        var theirs = mine
        var http = theirs["http"] as! [String: Any]
        http["baseURI"] = "https://api.other.example.com"
        var auth = http["auth"] as! [String: Any]
        var held = auth["token"] as! [String: Any]
        held["token"] = "their-token-9d8c7b6a5f4e"
        auth["token"] = held
        http["auth"] = auth
        theirs["http"] = http
        let difference = try cases.difference(connection, remote: theirs, remoteID: "a1")
        let secret = try #require(difference.fields.first { $0.path == "http.auth.token.token" })
        #expect(secret.secret && secret.local == nil && secret.remote == nil)
        let base = try #require(difference.fields.first { $0.path == "http.baseURI" })
        #expect(!base.secret && base.local == "\"https://api.example.com\"" && base.remote == "\"https://api.other.example.com\"")
        let encoded = String(decoding: try JSONEncoder().encode(difference), as: UTF8.self)
        for leak in [token, String(token.prefix(12)), "their-token-9d8c7b6a5f4e", "their-token-"] { #expect(!encoded.contains(leak)) }

        // The same secret in clear is no difference.
        held["token"] = token
        auth["token"] = held
        http["auth"] = auth
        theirs["http"] = http
        #expect(!(try cases.difference(connection, remote: theirs, remoteID: "a1")).fields.contains { $0.secret })
    }
}
