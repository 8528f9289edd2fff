import ConnectorSchema
import Foundation

/// HTTP Basic (RFC 7617): `Authorization: Basic base64(username:password)`.
public struct BasicAuth: AuthScheme {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    func describe(baseURI: String, redactor: Redactor) -> [String] {
        ["header Authorization: Basic (user “\(redactor.text(username))”, password \(Self.fingerprint(password)))"]
    }

    func export(mask: String?, notes: inout [String]) -> [String: Any] {
        ["type": "basic", "basic": ["username": username, "password": mask ?? password]]
    }

    func prepare(for settings: HTTPSettings, in run: inout AttemptRun) async -> AuthPreparation {
        let encoded = Data("\(username):\(password)".utf8).base64EncodedString()
        run.redactor.add(encoded)
        return .ready(RequestSigning(headers: [HeaderField("Authorization", "Basic \(encoded)")]))
    }
}
