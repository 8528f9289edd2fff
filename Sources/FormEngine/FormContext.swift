import ConnectorSchema

/// What the engine knows of the world outside the form: whether it creates or edits, which
/// names are taken, and which saved connections a `connectionRef` field may point to.
public struct FormContext: Hashable, Sendable {
    public enum Mode: Hashable, Sendable {
        case create
        /// Editing the saved connection with this id: its own name is not "taken", and it
        /// cannot borrow from itself.
        case edit(connectionID: String)
    }

    /// A saved connection as a `connectionRef` field offers it.
    public struct SavedConnection: Hashable, Sendable {
        public var id: String
        public var name: String
        public var connectorID: String
        /// Its plain answers: what `matching` compares, and whom it borrows from.
        public var values: [String: FieldValue]

        public init(id: String, name: String, connectorID: String, values: [String: FieldValue] = [:]) {
            self.id = id
            self.name = name
            self.connectorID = connectorID
            self.values = values
        }
    }

    /// A stored OAuth 2.0 client as an `oauthClient` field offers it (no secret).
    public struct SavedOAuthClient: Hashable, Sendable {
        public var id: String
        public var name: String
        public var clientId: String

        public init(id: String, name: String, clientId: String) {
            self.id = id
            self.name = name
            self.clientId = clientId
        }
    }

    public var mode: Mode
    /// Names a new connection's test logs until it is saved (`draft-` and random hex), so a
    /// rename or another draft of the same name cannot take them; nil for an edit, whose tests
    /// are logged under its connection. The shell makes it: the engine draws no random numbers.
    public var draftID: String?
    public var savedConnections: [SavedConnection]
    /// The integrator.io accounts this connection is already in, by account connection id:
    /// set by `remote pull`, so that saving remembers the remote `_id` and a later push updates it.
    public var remoteIDs: [String: String] = [:]
    /// The stored OAuth 2.0 clients an `oauthClient` field may name.
    public var oauthClients: [SavedOAuthClient] = []
    /// Looks at files answers name (a private key); injected, so the engine does no I/O.
    public var files: FileInspector

    public init(mode: Mode = .create, savedConnections: [SavedConnection] = [], files: FileInspector = .none) {
        self.mode = mode
        self.savedConnections = savedConnections
        self.files = files
    }

    /// The connection being edited, if any.
    public var editedID: String? {
        if case .edit(let id) = mode { return id }
        return nil
    }

    /// Whether `name` belongs to another saved connection, ignoring case and outer spaces.
    public func isTaken(_ name: String) -> Bool {
        let wanted = name.trimmingCharacters(in: .whitespaces).lowercased()
        return savedConnections.contains { $0.id != editedID && $0.name.lowercased() == wanted }
    }

    /// The connections `field` may point to: of the listed connectors, sharing the answers of
    /// `matching` (the same org), never the one edited nor one whose own chain of picks in
    /// this field leads back to it (a cycle).
    public func choices(for field: FieldSpec, answers: (String) -> FieldValue? = { _ in nil }) -> [SavedConnection] {
        savedConnections.filter { saved in
            saved.id != editedID && (field.connectors.isEmpty || field.connectors.contains(saved.connectorID))
                && field.matching.allSatisfy { id in answers(id).map { saved.values[id] == $0 } ?? true }
                && !leadsBack(from: saved, through: field.id)
        }
    }

    /// Whether following `field`'s picks from `saved` reaches the connection being edited.
    func leadsBack(from saved: SavedConnection, through field: String) -> Bool {
        guard let edited = editedID else { return false }
        var seen: Set<String> = [saved.id]
        var next = saved.values[field]?.text
        while let id = next, !id.isEmpty {
            if id == edited { return true }
            guard seen.insert(id).inserted, let hop = savedConnections.first(where: { $0.id == id }) else { return false }
            next = hop.values[field]?.text
        }
        return false
    }
}
