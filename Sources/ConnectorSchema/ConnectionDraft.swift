/// The result of a filled form: the connector and the answers of the fields that are shown.
/// Secrets are held in the clear, in memory only; the store seals them before they reach disk.
/// It lives here, below the form engine and the connection core, because both use it.
public struct ConnectionDraft: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public var connectorID: String
    /// The id of the saved connection being edited, nil for a new one.
    public var connectionID: String?
    /// The form's `FormContext.draftID`: where a new connection's tests are logged.
    public var draftID: String?
    public var values: [String: FieldValue]
    /// Accounts the connection is in, by account connection id: recorded with it when saved.
    public var remoteIDs: [String: String]

    public init(connectorID: String, connectionID: String? = nil, draftID: String? = nil, values: [String: FieldValue],
                remoteIDs: [String: String] = [:]) {
        self.connectorID = connectorID
        self.connectionID = connectionID
        self.draftID = draftID
        self.values = values
        self.remoteIDs = remoteIDs
    }

    /// The connection's name (every connector has a `name` field).
    public var name: String { values[ConnectorSchema.nameField]?.text ?? "" }

    /// Never prints values: a draft may hold secrets, and descriptions end up in logs.
    public var description: String {
        "ConnectionDraft(\(connectorID), fields: \(values.keys.sorted().joined(separator: ", ")))"
    }
    public var debugDescription: String { description }
}
