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

        public init(id: String, name: String, connectorID: String) {
            self.id = id
            self.name = name
            self.connectorID = connectorID
        }
    }

    public var mode: Mode
    public var savedConnections: [SavedConnection]

    public init(mode: Mode = .create, savedConnections: [SavedConnection] = []) {
        self.mode = mode
        self.savedConnections = savedConnections
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

    /// The connections `field` may point to: of the listed connectors, never the one edited.
    public func choices(for field: FieldSpec) -> [SavedConnection] {
        savedConnections.filter { saved in
            saved.id != editedID && (field.connectors.isEmpty || field.connectors.contains(saved.connectorID))
        }
    }
}

import Foundation
