import ConnectorSchema
import Crypto
import Foundation

/// The WS-Security UsernameToken header, as REST APIs carry it (`X-WSSE` by default): each
/// request gets a fresh nonce and creation time, and PasswordDigest =
/// base64(SHA-1(nonce + created + password)), the OASIS UsernameToken Profile's formula.
public struct WSSEAuth: AuthScheme {
    public var username: String
    public var password: String
    public var headerName: String

    init(_ spec: AuthSpec, fill: (Template?) -> String?) {
        username = fill(spec.username) ?? ""
        password = fill(spec.password) ?? ""
        headerName = fill(spec.headerName) ?? "X-WSSE"
    }

    func describe(baseURI: String, redactor: Redactor) -> [String] {
        ["WS-Security UsernameToken, user “\(redactor.text(username))”, password \(Self.fingerprint(password))",
         "header \(headerName): UsernameToken <user, fresh nonce, creation time and password digest for each request>",
         "header Authorization: WSSE profile=\"UsernameToken\""]
    }

    func export(mask: String?, notes: inout [String]) -> [String: Any] {
        ["type": "wsse", "wsse": ["username": username, "password": mask ?? password, "headerName": headerName]]
    }

    func prepare(for settings: HTTPSettings, in run: inout AttemptRun) async -> AuthPreparation {
        if username.isEmpty { return .stop(TestOutcome(kind: .notSent, line: "Not tested: the WSSE user name is empty")) }
        run.redactor.addCredentialHeader(headerName)
        return .ready(RequestSigning(headers: [HeaderField("Authorization", "WSSE profile=\"UsernameToken\"")],
                                     signer: Signer(username: username, password: password, headerName: headerName, clock: run.clock)))
    }

    struct Signer: RequestSigner {
        var username: String
        var password: String
        var headerName: String
        var clock: @Sendable () -> Date

        func sign(_ request: inout OutgoingRequest) {
            var nonce = Data(count: 16)
            var generator = SystemRandomNumberGenerator()
            for index in nonce.indices { nonce[index] = UInt8.random(in: 0...255, using: &generator) }
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime]
            request.setHeader(headerName, Self.header(username: username, password: password, nonce: nonce, created: formatter.string(from: clock())))
        }

        /// The UsernameToken header for one nonce and creation time.
        static func header(username: String, password: String, nonce: Data, created: String) -> String {
            let digest = Data(Insecure.SHA1.hash(data: nonce + Data(created.utf8) + Data(password.utf8))).base64EncodedString()
            return "UsernameToken Username=\"\(username)\", PasswordDigest=\"\(digest)\", Nonce=\"\(nonce.base64EncodedString())\", Created=\"\(created)\""
        }
    }
}
