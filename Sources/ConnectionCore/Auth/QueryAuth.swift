import ConnectorSchema
import Foundation

/// A credential carried as a query parameter of every request (`?api_key=…`).
public struct QueryAuth: AuthScheme {
    public var parameter: String
    public var value: String

    public init(parameter: String, value: String) {
        self.parameter = parameter
        self.value = value
    }

    func describe(baseURI: String, redactor: Redactor) -> [String] {
        ["query parameter \(parameter)=\(Self.fingerprint(value))"]
    }

    func export(mask: String?, notes: inout [String]) -> [String: Any] {
        ["type": "token", "token": ["token": mask ?? value, "location": "url", "paramName": parameter]]
    }

    func prepare(for settings: HTTPSettings, in run: inout AttemptRun) async -> AuthPreparation {
        .ready(RequestSigning(query: (parameter, value)))
    }
}
