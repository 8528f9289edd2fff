import ConnectorSchema
import Foundation

/// A connection as a Celigo integrator.io connection document (`type: http`), ready to be
/// posted to `/v1/connections`. Secrets appear as `******`, as the integrator.io API itself
/// returns them, so an export can be shared and diffed safely.
public enum CeligoDocument {
    public static let mask = "******"

    /// The document as JSON-ready dictionaries.
    public static func make(connection: StoredConnection, schema: ConnectorSchema) throws -> [String: Any] {
        let settings = try ConnectionResolver.resolve(schema: schema, values: connection.values, secretMask: mask)

        var http: [String: Any] = ["baseURI": settings.baseURI, "mediaType": settings.mediaType]
        if let level = settings.concurrencyLevel { http["concurrencyLevel"] = level }
        if let test = settings.tests.first { http["ping"] = ping(test, base: settings.baseURI) }
        var notes: [String] = []
        if let auth = settings.auth { http["auth"] = self.auth(auth, notes: &notes) }

        var document: [String: Any] = ["type": "http", "name": connection.name, "offline": false, "http": http]
        if let borrow = settings.borrowFrom { document["_borrowConcurrencyFromConnectionId"] = borrow }
        var origin: [String: Any] = ["connector": schema.id, "connectionId": connection.id]
        if !notes.isEmpty { origin["notes"] = notes }
        document["_connwiz"] = origin
        return document
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
        if let errors = test.success.noArray { ping["errorPath"] = errors }
        return ping
    }

    static func auth(_ auth: ResolvedAuth, notes: inout [String]) -> [String: Any] {
        switch auth {
        case .header(let name, let scheme, _):
            var token: [String: Any] = ["token": mask, "location": "header", "headerName": name]
            if let scheme { token["scheme"] = scheme }
            return ["type": "token", "token": token]
        case .query(let parameter, _):
            return ["type": "token", "token": ["token": mask, "location": "url", "paramName": parameter]]
        case .basic(let username, _):
            return ["type": "basic", "basic": ["username": username, "password": mask]]
        case .oauth2(let oauth):
            var fields: [String: Any] = ["tokenURI": oauth.tokenURL, "clientId": oauth.clientId,
                                         "scope": oauth.scopes, "scopeDelimiter": oauth.scopeDelimiter]
            if oauth.clientSecret != nil { fields["clientSecret"] = mask }
            if let authorize = oauth.authorizeURL { fields["authURI"] = authorize }
            fields["clientCredentialsLocation"] = oauth.clientAuth == "basic" ? "basicauthheader" : "body"
            switch oauth.grant {
            case .clientCredentials: fields["grantType"] = "clientcredentials"
            case .authorizationCode, .refreshToken: fields["grantType"] = "authorizecode"
            case .jwtBearer:
                fields["grantType"] = "jwtbearer"
                notes.append("integrator.io documents no JWT bearer grant for HTTP connections; grantType jwtbearer marks what connwiz uses")
            }
            return ["type": "oauth", "oauth": fields]
        }
    }
}
