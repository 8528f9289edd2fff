import ConnectorSchema
import Foundation

/// A credential in a header of any name, with an optional scheme word:
/// `Authorization: Bearer <token>`, `X-Api-Key: <key>`, `Authorization: AppKey <key>`.
/// The connector types `bearer` and `header` both resolve to it.
public struct HeaderAuth: AuthScheme {
    public var name: String
    /// The word before the value; nil sends the value alone.
    public var scheme: String?
    public var value: String

    public init(name: String, scheme: String?, value: String) {
        self.name = name
        self.scheme = scheme
        self.value = value
    }

    /// A connector's `header` variant: `scheme: none` sends the value alone.
    init(_ spec: AuthSpec, fill: (Template?) -> String?) {
        let scheme = fill(spec.scheme)
        self.init(name: fill(spec.headerName) ?? "Authorization",
                  scheme: scheme.flatMap { $0.lowercased() == "none" ? nil : $0 }, value: fill(spec.value) ?? "")
    }

    /// The header as it is sent.
    public var field: HeaderField { HeaderField(name, scheme.map { "\($0) \(value)" } ?? value) }

    func describe(baseURI: String, redactor: Redactor) -> [String] {
        ["header \(name): " + (scheme.map { "\($0) " } ?? "") + Self.fingerprint(value)]
    }

    func export(mask: String?, notes: inout [String]) -> [String: Any] {
        let token: [String: Any] = ["token": mask ?? value, "location": "header", "headerName": name,
                                    "scheme": scheme ?? CeligoDocument.noScheme]
        return ["type": "token", "token": token]
    }

    func prepare(for settings: HTTPSettings, in run: inout AttemptRun) async -> AuthPreparation {
        run.redactor.addCredentialHeader(name)
        if value.isEmpty { return .stop(TestOutcome(kind: .notSent, line: "Not tested: the credential for the \(name) header is empty")) }
        return .ready(RequestSigning(headers: [field]))
    }
}
