import ConnectorSchema
import Foundation

/// Fills a connector's HTTP mapping from a connection's answers: the one place where answers
/// become URLs, headers and credentials. Variants are chosen by `when`, first match wins.
public enum ConnectionResolver {
    public enum ResolveError: Error, Equatable, CustomStringConvertible {
        case noHTTP(String)
        case noBaseURI(String)
        case noTest(String)
        case badNumber(String, String)

        public var description: String {
            switch self {
            case .noHTTP(let id): return "connector \(id) declares no HTTP mapping, so it cannot be tested or exported"
            case .noBaseURI(let id): return "no base URI of connector \(id) applies to these answers"
            case .noTest(let id): return "no test request of connector \(id) applies to these answers"
            case .badNumber(let what, let text): return "\(what) must be a whole number, not “\(text)”"
            }
        }
    }

    /// Resolves `values` (the answers of shown fields) through `schema`.
    ///
    /// - Parameter secretMask: when given, secret fields and parts render as this text instead
    ///   of their value: the export uses `******` so no secret leaves the store.
    public static func resolve(schema: ConnectorSchema, values: [String: FieldValue], secretMask: String? = nil) throws -> HTTPSettings {
        guard let http = schema.http else { throw ResolveError.noHTTP(schema.id) }
        let answer: (String) -> FieldValue? = { values[$0] }
        var base = ""
        func lookup(_ reference: String) -> String? {
            if reference == "baseURI" { return base }
            let fieldID = Template.fieldID(of: reference)
            if fieldID == ConnectionResolver.callbackKey {
                return values[fieldID]?.part(String(reference.dropFirst(fieldID.count + 1)))
            }
            guard let field = schema.field(fieldID) else { return nil }
            let partID = reference == fieldID ? "" : String(reference.dropFirst(fieldID.count + 1))
            if let secretMask, field.isSecret(key: reference) { return secretMask }
            guard let value = values[fieldID] else { return nil }
            return field.derivedPart(partID, of: value) ?? value.part(partID)
        }
        func fill(_ template: Template?) -> String? {
            guard let template else { return nil }
            let text = template.render(lookup).trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }

        guard let baseVariant = http.baseURI.first(where: { $0.when.holds(answer) }) else { throw ResolveError.noBaseURI(schema.id) }
        base = baseVariant.value.render(lookup)
        while base.hasSuffix("/") { base.removeLast() }

        let authSpec = http.auth.first(where: { $0.when.holds(answer) })
        let auth = authSpec.map { ResolvedAuth($0, fill: fill) }

        let tests = http.tests.filter { $0.when.holds(answer) }.map { spec -> ResolvedTest in
            let path = spec.path.render(lookup)
            return ResolvedTest(
                name: spec.name ?? "Test request", method: (fill(spec.method) ?? "GET").uppercased(), path: path,
                url: join(base, path), headers: spec.headers.mapValues { $0.render(lookup) },
                body: fill(spec.body), success: spec.success, errorPath: spec.errorPath, errorHeader: spec.errorHeader, explain: spec.explain)
        }
        guard !tests.isEmpty else { throw ResolveError.noTest(schema.id) }

        var level: Int?
        if let text = fill(http.concurrency?.level) {
            guard let number = Int(text) else { throw ResolveError.badNumber("the concurrency level", text) }
            level = number
        }
        return HTTPSettings(baseURI: base, mediaType: http.mediaType, auth: auth, tests: tests,
                            concurrencyLevel: level, borrowFrom: fill(http.concurrency?.borrowFrom),
                            clientCertificate: authSpec?.clientCertificate.flatMap { ClientCertificate($0, fill: fill) })
    }

    /// Where a connection's kept callback values sit among its values for resolving, as
    /// `{{callback.realmId}}` reads them.
    public static let callbackKey = "callback"

    /// `values` with the callback values kept with `credentials`, for resolving.
    public static func values(_ values: [String: FieldValue], with credentials: ObtainedCredentials?) -> [String: FieldValue] {
        Self.values(values, keeping: credentials?.callbackValues)
    }

    /// `values` with `kept` callback values, for resolving.
    public static func values(_ values: [String: FieldValue], keeping kept: [String: String]?) -> [String: FieldValue] {
        guard let kept, !kept.isEmpty else { return values }
        var all = values
        all[callbackKey] = .parts(kept)
        return all
    }

    /// The base URI and a path joined with exactly one slash; an absolute path stands alone.
    public static func join(_ base: String, _ path: String) -> String {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        if path.isEmpty { return base }
        return path.hasPrefix("/") ? base + path : base + "/" + path
    }
}
