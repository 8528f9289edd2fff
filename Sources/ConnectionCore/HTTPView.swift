import ConnectorSchema
import Foundation

/// What a connection's answers resolve to over HTTP, as lines: the base URI, the form of the
/// authentication (scheme and fingerprint, never a value), the test requests with their
/// success rules, the concurrency settings and where an OAuth 2.0 token goes. The panel's
/// HTTP view and `connwiz show NAME --http` print the same lines; like `ExchangeTranscript`,
/// it formats and does not draw.
public enum HTTPView {
    /// The lines for `values`; answers that do not resolve yet say why instead.
    /// - Parameter connectionName: the name of a saved connection by id, for the one whose
    ///   concurrency budget this one borrows.
    public static func lines(schema: ConnectorSchema, values: [String: FieldValue],
                             connectionName: (String) -> String? = { _ in nil }) -> [String] {
        let settings: HTTPSettings
        do {
            settings = try ConnectionResolver.resolve(schema: schema, values: values)
        } catch {
            return ["Not resolved yet: \(error)"]
        }
        let redactor = Redactor(secrets: schema.secretTexts(in: values))
        let base = settings.baseURI.isEmpty ? "(not known yet: it is built from answers still to give)" : redactor.url(settings.baseURI)
        var lines = ["Base URI        \(base)", "Media type      \(settings.mediaType)"]
        lines += labelled("Authentication", authentication(settings, redactor: redactor))
        var requests: [String] = []
        for (number, test) in settings.tests.enumerated() {
            requests.append("\(number + 1) \(test.name): \(test.method) \(redactor.url(test.url))")
            for (name, value) in test.headers.sorted(by: { $0.key.lowercased() < $1.key.lowercased() }) {
                requests.append("    \(redactor.text(name)): \(redactor.header(name: name, value: value))")
            }
            if let body = test.body { requests.append("    body: \(redactor.text(body))") }
            requests.append("    succeeds on: " + rule(test.success))
            if let path = test.errorPath { requests.append("    the service's message: at \(path)") }
            if let header = test.errorHeader { requests.append("    the service's message: in the \(header) header") }
        }
        lines += labelled("Test requests", requests.isEmpty ? ["none"] : requests)
        var concurrency: String
        if let level = settings.concurrencyLevel { concurrency = "at most \(level) request(s) at once" } else { concurrency = "not limited here" }
        if let owner = settings.borrowFrom { concurrency = "shares the budget of “\(connectionName(owner) ?? "another connection")”" }
        lines += labelled("Concurrency", [concurrency])
        return lines
    }

    /// The authentication lines, values as fingerprints.
    static func authentication(_ settings: HTTPSettings, redactor: Redactor) -> [String] {
        (settings.auth?.scheme.describe(baseURI: settings.baseURI, redactor: redactor) ?? ["none"])
            + (settings.clientCertificate?.describe() ?? [])
    }

    static func rule(_ rule: SuccessRule) -> String {
        var parts = [rule.status.isEmpty ? "status 200–299" : "status " + rule.status.map(String.init).joined(separator: ", ")]
        if let key = rule.noArray { parts.append("no \(key) array") }
        for check in rule.json {
            if let equals = check.equals { parts.append("\(check.path) = \(equals)") }
            if let exists = check.exists { parts.append(exists ? "\(check.path) present" : "no \(check.path)") }
        }
        return parts.joined(separator: ", ")
    }

    /// `label` beside the first line, the rest under it.
    static func labelled(_ label: String, _ values: [String]) -> [String] {
        values.enumerated().map { index, value in
            (index == 0 ? label.padding(toLength: 16, withPad: " ", startingAt: 0) : String(repeating: " ", count: 16)) + value
        }
    }
}
