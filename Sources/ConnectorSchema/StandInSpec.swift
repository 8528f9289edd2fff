import Foundation

/// How `--sandbox` stands in for a service, declared in its connector file rather than
/// written in Swift: the accounts whose answers succeed, and the service's own answers to a
/// test, good and bad.
///
/// ```yaml
/// standIn:
///   accounts:
///     - name: Acme Outdoors
///       answers: {shop: acme-outdoors, accessToken: shpat_sbx_acme_0001}
///     - name: A staff token without read_products
///       answers: {shop: acme-outdoors, accessToken: shpat_sbx_staff_0002}
///       respond: forbidden
///   responses:
///     ok: {status: 200, body: {shop: {name: Acme Outdoors}}}
///     unauthorized: {status: 401, body: {errors: "[API] Invalid API key or access token"}}
///     notFound: {status: 404, body: {errors: Not Found}}
/// ```
///
/// A request to a host the base URI could name but no account's answers do gets `notFound`
/// (a wrong store, region or data centre); a credential no account holds gets
/// `unauthorized`; an account's own request gets its `respond` (`ok` unless it says).
public struct StandInSpec: Hashable, Sendable, Codable {
    public struct Account: Hashable, Sendable, Codable {
        /// What the account is, for `connwiz sandbox`.
        public var name: String
        /// The answers that reach it, as `--set` and answers files name them (`client.clientId`),
        /// secrets included (they are the sandbox's own).
        public var answers: [String: String]
        /// The response its test gets: `ok` unless it names another.
        public var respond: String
        /// Who signs in on the stand-in's sign-in page, for an authorization-code grant.
        public var signIn: SignIn?

        enum CodingKeys: String, CodingKey, CaseIterable { case name, answers, respond, signIn }

        public init(from decoder: Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            answers = try c.decode([String: ScalarString].self, forKey: .answers).mapValues(\.value)
            respond = try c.decodeIfPresent(String.self, forKey: .respond) ?? StandInSpec.ok
            signIn = try c.decodeIfPresent(SignIn.self, forKey: .signIn)
        }

        /// The answers with `{{sandboxFolder}}` replaced by the folder the files were written to.
        public func answers(folder: String) -> [String: String] {
            answers.mapValues { $0.replacingOccurrences(of: StandInSpec.folderReference, with: folder) }
        }
    }

    /// The user a browser signs in as on the stand-in's sign-in page, and the values the
    /// service adds to its redirect (QuickBooks' `realmId`).
    public struct SignIn: Hashable, Sendable, Codable {
        public var username: String
        public var password: String
        public var callback: [String: String]

        enum CodingKeys: String, CodingKey, CaseIterable { case username, password, callback }

        public init(from decoder: Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            username = try c.decode(ScalarString.self, forKey: .username).value
            password = try c.decode(ScalarString.self, forKey: .password).value
            callback = try c.decodeIfPresent([String: ScalarString].self, forKey: .callback)?.mapValues(\.value) ?? [:]
        }
    }

    /// One answer of the service: its status, headers and body as the service sends them.
    public struct Response: Hashable, Sendable, Codable {
        public var status: Int
        public var headers: [String: String]
        /// A mapping or list is sent as JSON; text is sent as it is written.
        public var body: JSONValue?

        enum CodingKeys: String, CodingKey, CaseIterable { case status, headers, body }

        public init(from decoder: Decoder) throws {
            let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
            status = try c.decode(Int.self, forKey: .status)
            headers = try c.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
            body = try c.decodeIfPresent(JSONValue.self, forKey: .body)
            guard (100...599).contains(status) else { throw decoder.failure("\(status) is not an HTTP status") }
        }
    }

    /// The response every good account gets unless it names another.
    public static let ok = "ok"
    /// The response to a credential no account holds.
    public static let unauthorized = "unauthorized"
    /// The response to a host no account's answers name.
    public static let notFound = "notFound"

    public var accounts: [Account]
    public var responses: [String: Response]
    /// The response to a host the base URI could name but no account does: `notFound` unless
    /// the service answers a wrong region otherwise (Mailchimp says 401 for a wrong data centre).
    public var otherHost: String
    /// Files the sandbox writes into its folder (mode 0600) before answering: the private keys
    /// accounts name as `{{sandboxFolder}}/NAME`. The sandbox also reads them to check signatures.
    public var files: [String: String]

    /// What an answer writes for the sandbox's folder, which differs per home.
    public static let folderReference = "{{sandboxFolder}}"

    enum CodingKeys: String, CodingKey, CaseIterable { case accounts, responses, otherHost, files }

    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        accounts = try c.decode([Account].self, forKey: .accounts)
        responses = try c.decode([String: Response].self, forKey: .responses)
        otherHost = try c.decodeIfPresent(String.self, forKey: .otherHost) ?? Self.notFound
        files = try c.decodeIfPresent([String: String].self, forKey: .files) ?? [:]
        if let bad = files.keys.sorted().first(where: { $0.range(of: #"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"#, options: .regularExpression) == nil }) {
            throw decoder.failure("“\(bad)” is not a file name the sandbox writes: letters, digits, dot, dash and underscore, no folders")
        }
        for account in accounts {
            for (field, value) in account.answers.sorted(by: { $0.key < $1.key }) where value.contains(Self.folderReference) {
                let name = value.hasPrefix(Self.folderReference + "/") ? String(value.dropFirst(Self.folderReference.count + 1)) : ""
                guard files[name] != nil else {
                    throw decoder.failure("account “\(account.name)” answers \(field) with \(value); write \(Self.folderReference)/NAME, naming one of files")
                }
            }
        }
        if otherHost != Self.notFound, responses[otherHost] == nil {
            throw decoder.failure("otherHost names “\(otherHost)”, which responses does not declare")
        }
        if accounts.isEmpty { throw decoder.failure("a stand-in needs at least one account") }
        for key in [Self.ok, Self.unauthorized] where responses[key] == nil {
            throw decoder.failure("a stand-in needs the responses “ok” and “unauthorized”; “\(key)” is missing")
        }
        if let account = accounts.first(where: { responses[$0.respond] == nil }) {
            throw decoder.failure("account “\(account.name)” responds with “\(account.respond)”, which responses does not declare")
        }
    }

    /// The first account that succeeds: what `connwiz sandbox accounts` offers.
    public var goodAccount: Account? { accounts.first { $0.respond == Self.ok } }
}

/// A JSON value written in YAML: a stand-in's response body.
public indirect enum JSONValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let value = try? c.decode(Bool.self) { self = .bool(value) }
        else if let value = try? c.decode(Double.self) { self = .number(value) }
        else if let value = try? c.decode(String.self) { self = .string(value) }
        else if let value = try? c.decode([JSONValue].self) { self = .array(value) }
        else if let value = try? c.decode([String: JSONValue].self) { self = .object(value) }
        else { throw decoder.failure("expected a JSON value") }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let value): try c.encode(value)
        case .number(let value): try c.encode(value)
        case .string(let value): try c.encode(value)
        case .array(let value): try c.encode(value)
        case .object(let value): try c.encode(value)
        }
    }

    /// The value for `JSONSerialization`.
    public var foundation: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let value): return value
        case .number(let value): return value.rounded() == value && abs(value) < 1e15 ? Int(value) as Any : value
        case .string(let value): return value
        case .array(let value): return value.map(\.foundation)
        case .object(let value): return value.mapValues(\.foundation)
        }
    }
}
