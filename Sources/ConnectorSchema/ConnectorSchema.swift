import Foundation

/// One application's connector file: its identity, the fields of its Create connection panel,
/// and how the answers map onto HTTP. Adding an application means adding one of these files.
///
/// The format is versioned (`version: 1`); a file of a newer version is refused with a message
/// rather than half-read.
public struct ConnectorSchema: Hashable, Sendable, Codable {
    /// The format version this build reads.
    public static let formatVersion = 1

    public var version: Int
    /// Stable id: `celonis`, `celigo-integrator-io`. Used on the command line and in the store.
    public var id: String
    public var title: String
    public var description: String
    public var category: String
    public var fields: [FieldSpec]
    public var http: HTTPSpec?
    /// How `--sandbox` stands in for the service, when the file declares it.
    public var standIn: StandInSpec? = nil

    public init(version: Int = ConnectorSchema.formatVersion, id: String, title: String,
                description: String = "", category: String = "Other", fields: [FieldSpec], http: HTTPSpec? = nil) {
        self.version = version
        self.id = id
        self.title = title
        self.description = description
        self.category = category
        self.fields = fields
        self.http = http
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case version, id, title, description, category, fields, http, standIn }

    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        guard version == ConnectorSchema.formatVersion else {
            throw DecodingError.dataCorruptedError(forKey: .version, in: c, debugDescription:
                "connector format version \(version) is not supported; this connwiz reads version \(ConnectorSchema.formatVersion)")
        }
        id = try c.decode(String.self, forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        category = try c.decodeIfPresent(String.self, forKey: .category) ?? "Other"
        fields = try c.decode([FieldSpec].self, forKey: .fields)
        http = try c.decodeIfPresent(HTTPSpec.self, forKey: .http)
        standIn = try c.decodeIfPresent(StandInSpec.self, forKey: .standIn)
        if standIn != nil && http == nil { throw decoder.failure("a stand-in answers the http section's requests: declare http too") }
    }

    /// The field with `id`, if any.
    public func field(_ id: String) -> FieldSpec? { fields.first { $0.id == id } }

    /// The id every connector uses for the connection's name.
    public static let nameField = "name"
}

extension ConnectorSchema {
    /// Fields whose answers no request carries: the connection's name, and the concurrency
    /// settings (they budget requests and change none). Changing one does not make a test
    /// stale.
    public var requestNeutralFields: Set<String> {
        var ids: Set<String> = [Self.nameField]
        if let concurrency = http?.concurrency {
            for template in [concurrency.level, concurrency.borrowFrom] {
                ids.formUnion(template?.references.map(Template.fieldID(of:)) ?? [])
            }
        }
        return ids
    }
}
