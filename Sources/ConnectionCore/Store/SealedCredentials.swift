import ConnectorSchema
import Foundation

/// Credentials obtained for a connection after it was saved (an OAuth 2.0 access token and
/// refresh token, their expiry, Salesforce's `instance_url`), as the store keeps them: the
/// tokens sealed, bound to the connection and to their name.
///
/// `basis` holds the plain answers the credentials were obtained with (consumer key, account
/// type, scopes …). An edit that changes one of them drops the credentials: a refresh token
/// issued to one connected app or org is worthless for another.
public struct SealedCredentials: Codable, Hashable, Sendable {
    /// Sealed tokens by name (`accessToken`, `refreshToken`).
    public var sealed: [String: String]
    public var expiresAt: Date?
    public var instanceURL: String?
    public var obtainedAt: Date
    public var basis: [String: FieldValue]
    /// Values the sign-in's callback carried that the connector keeps (QuickBooks' `realmId`);
    /// not secret, so kept plain beside the sealed tokens. Absent in older stores.
    public var callbackValues: [String: String]?

    public init(sealed: [String: String], expiresAt: Date?, instanceURL: String?, obtainedAt: Date, basis: [String: FieldValue]) {
        self.sealed = sealed
        self.expiresAt = expiresAt
        self.instanceURL = instanceURL
        self.obtainedAt = obtainedAt
        self.basis = basis
    }
}

/// Credentials obtained for a connection, opened: held in memory only, never printed.
public struct ObtainedCredentials: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public var accessToken: String?
    public var refreshToken: String?
    public var expiresAt: Date?
    public var instanceURL: String?
    public var obtainedAt: Date
    /// Values the sign-in's callback carried that the connector keeps (`realmId`).
    public var callbackValues: [String: String] = [:]

    public init(accessToken: String? = nil, refreshToken: String? = nil, expiresAt: Date? = nil,
                instanceURL: String? = nil, obtainedAt: Date = Date()) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.instanceURL = instanceURL
        self.obtainedAt = obtainedAt
    }

    /// The tokens by the names they are sealed under.
    var tokens: [String: String] {
        var tokens: [String: String] = [:]
        if let accessToken, !accessToken.isEmpty { tokens[Self.accessTokenName] = accessToken }
        if let refreshToken, !refreshToken.isEmpty { tokens[Self.refreshTokenName] = refreshToken }
        return tokens
    }

    static let accessTokenName = "accessToken"
    static let refreshTokenName = "refreshToken"

    /// Never prints a token.
    public var description: String {
        "ObtainedCredentials(" + tokens.keys.sorted().joined(separator: ", ") + (instanceURL.map { ", instance " + $0 } ?? "") + ")"
    }
    public var debugDescription: String { description }
}

extension ConnectorSchema {
    /// The fields whose answers obtained credentials depend on: those the OAuth 2.0 settings
    /// are built from (token and sign-in addresses, client, scopes, audience, user) and those
    /// that choose between auth variants (account type, flow).
    public var credentialBasisFields: Set<String> {
        guard let http else { return [] }
        var references: Set<String> = []
        for auth in http.auth where auth.type == .oauth2 {
            references.formUnion(auth.when.all.map(\.field))
            for template in [auth.tokenURL, auth.authorizeURL, auth.clientId, auth.scopes, auth.audience, auth.username] {
                references.formUnion(template?.references.map(Template.fieldID(of:)) ?? [])
            }
        }
        // `{{baseURI}}` stands for the base URI the answers choose (Salesforce's login host
        // follows Account type): what chooses it counts too.
        if references.remove("baseURI") != nil {
            for variant in http.baseURI {
                references.formUnion(variant.when.all.map(\.field))
                references.formUnion(variant.value.references.map(Template.fieldID(of:)))
            }
        }
        return references.filter { field($0) != nil }
    }

    /// The plain parts of the answers credentials depend on, as the store compares them.
    public func credentialBasis(_ values: [String: FieldValue]) -> [String: FieldValue] {
        var basis: [String: FieldValue] = [:]
        for id in credentialBasisFields {
            guard let field = field(id), let value = values[id], let plain = field.withoutSecrets(value) else { continue }
            basis[id] = plain
        }
        return basis
    }
}

extension StoredConnection {
    /// True when the connection signs in through a browser and holds no tokens: never
    /// authorized, or its refresh token was refused (`list` shows "needs authorization").
    public func needsAuthorization(schema: ConnectorSchema) -> Bool {
        credentials == nil && schema.http?.signsInThroughBrowser { values[$0] } == true
    }
}
