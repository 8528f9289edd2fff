import ConnectorSchema
import Foundation

/// A connection as a Celigo integrator.io connection document (`type: http`), ready to be
/// posted to `/v1/connections`. Secrets appear as `******`, as the integrator.io API itself
/// returns them, so an export can be shared and diffed safely.
public enum CeligoDocument {
    public static let mask = "******"
    /// The `http.auth.token.scheme` written for a header sent without a scheme word, so that
    /// integrator.io does not put its default `Bearer` in front of the value (the exact word
    /// integrator.io expects is unverified; keep it here).
    public static let noScheme = "None"

    /// The document as JSON-ready dictionaries.
    public static func make(connection: StoredConnection, schema: ConnectorSchema) throws -> [String: Any] {
        try make(connection: connection, schema: schema, values: connection.values, revealing: false)
    }

    /// The document with the real secrets in it, from `values` opened from the store: what
    /// `connwiz push` sends to an account. It is never written or logged as it is.
    public static func make(connection: StoredConnection, schema: ConnectorSchema, values: [String: FieldValue],
                            revealing: Bool) throws -> [String: Any] {
        let settings = try ConnectionResolver.resolve(schema: schema, values: ConnectionResolver.values(values, keeping: connection.credentials?.callbackValues),
                                                      secretMask: revealing ? nil : mask)
        let mask = revealing ? nil : Self.mask

        var http: [String: Any] = ["baseURI": settings.baseURI, "mediaType": settings.mediaType]
        if let level = settings.concurrencyLevel { http["concurrencyLevel"] = level }
        if let test = settings.tests.first {
            http["ping"] = ping(test, base: settings.baseURI)
            // integrator.io keeps headers for the whole connection, so its ping sends them too.
            if !test.headers.isEmpty {
                http["headers"] = test.headers.sorted { $0.key.lowercased() < $1.key.lowercased() }.map { ["name": $0.key, "value": $0.value] }
            }
        }
        var notes: [String] = []
        if let auth = settings.auth { http["auth"] = auth.scheme.export(mask: mask, notes: &notes) }
        if let certificate = settings.clientCertificate { http["clientCertificates"] = certificate.export(mask: mask, notes: &notes) }

        var document: [String: Any] = ["type": "http", "name": connection.name, "offline": false, "http": http]
        if let borrow = settings.borrowFrom { document["_borrowConcurrencyFromConnectionId"] = borrow }
        var origin: [String: Any] = ["connector": schema.id, "connectionId": connection.id,
                                     "answers": answers(connection.values, schema: schema)]
        if !notes.isEmpty { origin["notes"] = notes }
        document["_connwiz"] = origin
        return document
    }

    /// Every answer but the secrets, JSON-ready: what `remote pull` and `import` fill the
    /// panel with. A field that holds a secret keeps only its plain parts (a region beside a key).
    static func answers(_ values: [String: FieldValue], schema: ConnectorSchema) -> [String: Any] {
        var answers: [String: Any] = [:]
        for field in schema.fields {
            guard let value = values[field.id].flatMap(field.withoutSecrets) else { continue }
            switch value {
            case .string(let text): answers[field.id] = text
            case .number(let number): answers[field.id] = number
            case .list(let items): answers[field.id] = items
            case .parts(let parts): answers[field.id] = parts
            }
        }
        return answers
    }

    /// The document as pretty, key-sorted JSON text.
    public static func json(connection: StoredConnection, schema: ConnectorSchema) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: make(connection: connection, schema: schema),
                                              options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func ping(_ test: ResolvedTest, base: String) -> [String: Any] {
        var ping: [String: Any] = ["relativeURI": test.url.hasPrefix(base) ? String(test.url.dropFirst(base.count)) : test.url,
                                   "method": test.method]
        if let check = test.success.json.first(where: { $0.equals != nil }) {
            ping["successPath"] = check.path
            ping["successValues"] = [check.equals!]
        } else if let check = test.success.json.first(where: { $0.exists == true }) {
            ping["successPath"] = check.path
        }
        if let errors = test.errorPath ?? test.success.noArray { ping["errorPath"] = errors }
        return ping
    }

    /// The connector fields whose answers make the document's `path` (`http.baseURI`,
    /// `http.concurrencyLevel`, `name` …), to say an account's error in the panel's words.
    public static func fields(behind path: String, schema: ConnectorSchema) -> [String] {
        guard let http = schema.http else { return [] }
        func ids(_ templates: [Template?]) -> [String] {
            var seen: [String] = []
            for template in templates.compactMap({ $0 }) {
                for id in template.references.map(Template.fieldID(of:)) where schema.field(id) != nil && !seen.contains(id) { seen.append(id) }
            }
            return seen
        }
        switch path {
        case "name": return [ConnectorSchema.nameField]
        case "http.baseURI": return ids(http.baseURI.map(\.value))
        case "http.concurrencyLevel": return ids([http.concurrency?.level])
        case "_borrowConcurrencyFromConnectionId": return ids([http.concurrency?.borrowFrom])
        default:
            guard path.hasPrefix("http.auth") else { return [] }
            return ids(http.auth.flatMap { [$0.token, $0.value, $0.username, $0.password, $0.clientId, $0.clientSecret, $0.scopes] })
        }
    }
}
