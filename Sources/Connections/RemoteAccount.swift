import ConnectionCore
import ConnectorSchema
import Foundation

/// A connection brought from an account (`remote pull`): its answers, its `_id` there, and
/// the local connection already linked to that `_id`, which the pull then updates.
public struct PulledConnection: Sendable {
    public var answers: DocumentAnswers
    public var remoteID: String
    public var linked: StoredConnection?
}

/// How a local connection and its copy in an account differ, field by field of the document.
/// A value that holds a secret is never shown: only whether it differs.
public struct RemoteDifference: Sendable, Encodable {
    public struct Field: Sendable, Encodable {
        /// The document path: `http.baseURI`, `http.headers[0].value`.
        public var path: String
        /// Nil when the path holds a secret, or is missing on that side.
        public var local: String?
        public var remote: String?
        public var secret: Bool
    }

    public var local: String
    public var remote: String
    public var remoteID: String
    public var fields: [Field]
}

extension ConnectionUseCases {
    /// The account's connection documents as it lists them (`GET /v1/connections`), secrets
    /// as `******`. The exchange is logged under the account.
    func remoteDocuments(in account: StoredConnection, schema: ConnectorSchema) async throws -> [[String: Any]] {
        let target = try self.account(account, schema: schema)
        var session = try LoggedExchanges(client: try await transport.client(), log: log, key: account.id, name: account.name,
                                          connectorID: schema.id, secrets: [target.token], at: clock())
        let result = await session.send(OutgoingRequest(purpose: "List connections", method: "GET", url: target.base + "/connections",
                                                        headers: [HeaderField("Accept", "application/json"), target.header]))
        let ok = result.status == 200 || result.status == 204
        session.finish(TestOutcome(kind: ok ? .succeeded : .clientError, line: "List connections: \(LoggedExchanges.statusLine(result))",
                                   status: result.status, exchangeIndex: result.exchange.index), at: clock())
        guard ok else { throw UseCaseFailure("the account “\(account.name)” did not list its connections: \(LoggedExchanges.statusLine(result))") }
        if result.status == 204 { return [] }
        guard let list = result.body.flatMap({ try? JSONSerialization.jsonObject(with: $0) as? [[String: Any]] }) else {
            throw UseCaseFailure("the account “\(account.name)” answered with something that is not a list of connections")
        }
        return list
    }

    /// `connwiz remote list --account IO`: the account's connections, the local connection
    /// linked to each (pushed from or pulled into this home), and whether the two differ.
    public func remoteConnections(in account: StoredConnection, schema: ConnectorSchema) async throws -> [RemoteConnection] {
        let documents = try await remoteDocuments(in: account, schema: schema)
        var linked: [String: StoredConnection] = [:]
        for local in try store.all() { if let id = local.remoteIDs[account.id] { linked[id] = local } }
        return documents.map { item in
            let id = item["_id"] as? String ?? ""
            let local = linked[id]
            let differs = local.flatMap { local in (try? difference(local, remote: item, remoteID: id)).map { !$0.fields.isEmpty } }
            return RemoteConnection(id: id, name: item["name"] as? String ?? "", type: item["type"] as? String ?? "",
                                    offline: item["offline"] as? Bool ?? false, pushedFrom: local?.name, differs: differs)
        }.sorted { $0.name.lowercased() < $1.name.lowercased() }
    }

    /// The one document of the account named `name` (or whose `_id` is `name`), among the
    /// `documents` it listed.
    func remoteDocument(_ name: String, among documents: [[String: Any]], in account: StoredConnection) throws -> (document: [String: Any], id: String) {
        let wanted = name.trimmingCharacters(in: .whitespaces)
        var found = documents.filter { ($0["name"] as? String) == wanted || ($0["_id"] as? String) == wanted }
        if found.isEmpty { found = documents.filter { ($0["name"] as? String)?.lowercased() == wanted.lowercased() } }
        guard let document = found.first else {
            let names = documents.compactMap { $0["name"] as? String }.sorted()
            throw UseCaseFailure("the account of “\(account.name)” has no connection named “\(wanted)”"
                                 + (names.isEmpty ? "" : "; it has: \(names.map { "“\($0)”" }.joined(separator: ", "))"))
        }
        guard found.count == 1 else {
            let ids = found.compactMap { $0["_id"] as? String }.map(RemoteID.shown)
            throw UseCaseFailure("the account of “\(account.name)” has \(found.count) connections named “\(wanted)”; name one by its _id: \(ids.joined(separator: ", "))")
        }
        guard let id = document["_id"] as? String, RemoteID.isValid(id) else {
            throw UseCaseFailure("the account listed “\(wanted)” without a usable _id")
        }
        return (document, id)
    }

    /// `connwiz remote pull NAME --account IO`: the connection's answers from the account, its
    /// secrets left to be entered again.
    public func pull(_ name: String, from account: StoredConnection, schema: ConnectorSchema) async throws -> PulledConnection {
        let (document, id) = try remoteDocument(name, among: try await remoteDocuments(in: account, schema: schema), in: account)
        let answers: DocumentAnswers
        do { answers = try CeligoDocument.answers(in: document) } catch { throw UseCaseFailure(error.description) }
        let linked = try store.all().first { $0.remoteIDs[account.id] == id }
        return PulledConnection(answers: answers, remoteID: id, linked: linked)
    }

    /// `connwiz remote diff NAME --account IO`: the local connection `name` (or the one linked
    /// to the account's connection of that name) against the account's copy.
    public func remoteDiff(_ name: String, in account: StoredConnection, schema: ConnectorSchema) async throws -> RemoteDifference {
        let local = (try? store.connection(named: name))
        let documents = try await remoteDocuments(in: account, schema: schema)
        let linked = local.flatMap { $0.remoteIDs[account.id] }.flatMap { id in
            documents.first { ($0["_id"] as? String) == id }.map { (document: $0, id: id) }
        }
        let (document, id) = try linked ?? remoteDocument(name, among: documents, in: account)
        guard let mine = try local ?? store.all().first(where: { $0.remoteIDs[account.id] == id }) else {
            throw UseCaseFailure("no local connection is linked to “\(name)” in the account of “\(account.name)”; bring it here with connwiz remote pull \(ShellWord.quoted(name)) --account \(ShellWord.quoted(account.name))")
        }
        return try difference(mine, remote: document, remoteID: id)
    }

    /// Compares what `local` would push (its secrets opened, to compare them) with the
    /// account's `document`. Secrets are compared, never returned.
    public func difference(_ local: StoredConnection, remote document: [String: Any], remoteID: String) throws -> RemoteDifference {
        let schema = try connector(of: local)
        let values = try store.openValues(of: local, schema: schema)
        let shown = DocumentPaths(try CeligoDocument.make(connection: local, schema: schema))
        let revealed = DocumentPaths(try CeligoDocument.make(connection: local, schema: schema, values: values, revealing: true))
        let remote = DocumentPaths(document)
        // What only an account adds, or only this home knows.
        let ignored: Set<String> = ["_id", "createdAt", "lastModified", "_connwiz.connectionId"]
        var fields: [RemoteDifference.Field] = []
        for path in Set(revealed.values.keys).union(remote.values.keys).sorted() where !ignored.contains(path) {
            let mine = revealed.values[path], theirs = remote.values[path]
            let secret = shown.values[path]?.contains(CeligoDocument.mask) == true || Redactor.namesSecret(path.split(separator: ".").last.map(String.init) ?? path)
                || theirs?.contains(CeligoDocument.mask) == true
            if secret {
                // The account shows a secret as ******: it cannot be compared, so it is not a difference.
                if theirs == "\"\(CeligoDocument.mask)\"" || theirs == mine { continue }
                fields.append(.init(path: path, local: nil, remote: nil, secret: true))
            } else if mine != theirs {
                fields.append(.init(path: path, local: mine, remote: theirs, secret: false))
            }
        }
        return RemoteDifference(local: local.name, remote: document["name"] as? String ?? "", remoteID: remoteID, fields: fields)
    }
}

/// A JSON document flattened into `path → value as JSON text` (`http.headers[0].value`).
struct DocumentPaths {
    var values: [String: String] = [:]

    init(_ document: [String: Any]) {
        add(document, at: "")
    }

    private mutating func add(_ value: Any, at path: String) {
        switch value {
        case let object as [String: Any]:
            for (key, nested) in object { add(nested, at: path.isEmpty ? key : path + "." + key) }
        case let array as [Any]:
            for (index, nested) in array.enumerated() { add(nested, at: "\(path)[\(index)]") }
        default:
            let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys, .withoutEscapingSlashes])
            values[path] = data.map { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) } ?? "\(value)"
        }
    }
}
