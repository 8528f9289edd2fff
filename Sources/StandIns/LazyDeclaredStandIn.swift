import ConnectorSchema
import Foundation
import Sandbox

/// A declared stand-in built the first time a request could be for it. Building one puts
/// every account through the form and the resolver and writes its files, and `--sandbox`
/// offers all 29 built-in connectors' stand-ins to a run that tests one connection: built
/// eagerly they cost `connwiz test NAME --sandbox` most of its time. The hosts a stand-in
/// could answer are first judged from the connector's URL templates (`{{…}}` standing for
/// one label); only a host one of them fits, or a connector whose URL is an answer as a whole
/// (the generic HTTP connector's token URL), builds it.
public final class LazyDeclaredStandIn: SandboxResponder, @unchecked Sendable {
    let schema: ConnectorSchema
    let folder: String?
    /// Host patterns of every URL template of the connector; nil when one of them could name any host.
    let patterns: [String]?
    private let lock = NSLock()
    private var built: DeclaredStandIn??

    public init(schema: ConnectorSchema, folder: String?) {
        self.schema = schema
        self.folder = folder
        var templates = schema.http?.baseURI.map(\.value) ?? []
        for auth in schema.http?.auth ?? [] {
            templates += [auth.tokenURL, auth.authorizeURL, auth.deviceURL, auth.revokeURL, auth.loginURL].compactMap { $0 }
        }
        var patterns: [String] = []
        var anyHost = false
        for template in templates.map(\.source) {
            if let pattern = DeclaredStandIn.hostPattern(of: template) {
                patterns.append(pattern)
            } else if !template.hasPrefix("/") && !template.hasPrefix("{{baseURI}}") {
                // A whole-URL answer (`{{tokenURL}}`): its host is known only once built.
                anyHost = true
            }
        }
        self.patterns = anyHost ? nil : patterns
    }

    /// The stand-in, built once; nil when the file's stand-in cannot be built (lint says why).
    var standIn: DeclaredStandIn? {
        lock.withLock {
            if let built { return built }
            let made = try? DeclaredStandIn(schema: schema, folder: folder)
            built = .some(made)
            return made
        }
    }

    /// Whether it has been built (for tests).
    var isBuilt: Bool { lock.withLock { built != nil } }

    public var hostNames: [String] { standIn?.hostNames ?? [] }

    public func answers(host: String) -> Bool {
        if let patterns, !patterns.contains(where: { DeclaredStandIn.matches(host, pattern: $0) }) { return false }
        return standIn?.answers(host: host) ?? false
    }

    public func handle(_ request: SandboxRequest) -> SandboxResponse {
        guard let standIn else { return .json(421, ["errors": [["code": "not_emulated", "message": "The stand-in of \(schema.id) cannot be built."]]]) }
        return standIn.handle(request)
    }
}
