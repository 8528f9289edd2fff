import ConnectorSchema
import Foundation

/// A saved connection as it rests in `connections.json`: plain answers in `values`, every
/// secret (or secret part, keyed `field.part`) sealed in `secrets`, and what was obtained for
/// it after saving: OAuth tokens (`credentials`) and the ids it has in remote accounts.
public struct StoredConnection: Codable, Hashable, Sendable {
    public var id: String
    public var name: String
    public var connector: String
    public var createdAt: Date
    public var updatedAt: Date
    public var values: [String: FieldValue]
    /// Sealed secrets by key (`token`, `oauth2Client.clientSecret`): base64 AES-GCM boxes.
    public var secrets: [String: String]
    /// The outcome of the last test, shown in lists (filled by the test command).
    public var lastTest: TestSummary?
    /// Tokens obtained by authorizing, sealed; nil when none are held (store version 2).
    public var credentials: SealedCredentials?
    /// The id this connection has in each remote account it was pushed to, by the local id of
    /// the account's connection (an integrator.io `_id`, store version 2).
    public var remoteIDs: [String: String]

    public init(id: String, name: String, connector: String, createdAt: Date, updatedAt: Date,
                values: [String: FieldValue], secrets: [String: String], lastTest: TestSummary? = nil,
                credentials: SealedCredentials? = nil, remoteIDs: [String: String] = [:]) {
        self.id = id
        self.name = name
        self.connector = connector
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.values = values
        self.secrets = secrets
        self.lastTest = lastTest
        self.credentials = credentials
        self.remoteIDs = remoteIDs
    }

    enum CodingKeys: String, CodingKey { case id, name, connector, createdAt, updatedAt, values, secrets, lastTest, credentials, remoteIDs }

    /// Reads version 1 records too: they have neither credentials nor remote ids.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        connector = try c.decode(String.self, forKey: .connector)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        updatedAt = try c.decode(Date.self, forKey: .updatedAt)
        values = try c.decode([String: FieldValue].self, forKey: .values)
        secrets = try c.decode([String: String].self, forKey: .secrets)
        lastTest = try c.decodeIfPresent(TestSummary.self, forKey: .lastTest)
        credentials = try c.decodeIfPresent(SealedCredentials.self, forKey: .credentials)
        remoteIDs = try c.decodeIfPresent([String: String].self, forKey: .remoteIDs) ?? [:]
    }

    /// How many sealed values it holds: secret answers and obtained tokens.
    public var sealedCount: Int { secrets.count + (credentials?.sealed.count ?? 0) }

    /// True when one of its answers is the connection `id` (a "borrow concurrency from" pick).
    public func refers(to id: String) -> Bool {
        self.id != id && values.values.contains(.string(id))
    }
}

/// The one-line outcome of a connection's last test.
public struct TestSummary: Codable, Hashable, Sendable {
    public var passed: Bool
    public var status: String
    public var at: Date

    public init(passed: Bool, status: String, at: Date) {
        self.passed = passed
        self.status = status
        self.at = at
    }

    /// The summary of a finished attempt: passed or not, its one line, when it started.
    public init(_ attempt: TestAttempt) {
        self.init(passed: attempt.passed, status: attempt.outcome.line, at: attempt.startedAt)
    }
}

/// The whole store file, versioned so a newer format is refused rather than overwritten.
///
/// Version 2 adds per-connection credentials and remote ids, and the OAuth 2.0 clients that
/// several connections share. A version 1 file is read as is and written as version 2 on the
/// first change, with a copy of the old file kept beside it.
struct StoreFile: Codable {
    static let currentVersion = 2
    var version: Int
    var connections: [StoredConnection]
    var oauthClients: [StoredOAuthClient]
    /// `StoreKey.checkValue` of the key every sealed value was sealed with: a write under any
    /// other key is refused. Nil until the first value is sealed by this version.
    var keyCheck: String?

    init(version: Int = StoreFile.currentVersion, connections: [StoredConnection] = [], oauthClients: [StoredOAuthClient] = []) {
        self.version = version
        self.connections = connections
        self.oauthClients = oauthClients
    }

    enum CodingKeys: String, CodingKey { case version, connections, oauthClients, keyCheck }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        connections = try c.decode([StoredConnection].self, forKey: .connections)
        oauthClients = try c.decodeIfPresent([StoredOAuthClient].self, forKey: .oauthClients) ?? []
        keyCheck = try c.decodeIfPresent(String.self, forKey: .keyCheck)
    }
}
