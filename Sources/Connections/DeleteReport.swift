import ConnectionCore

/// What a delete removed, and who still pointed at it.
public struct DeleteReport: Sendable {
    public var deleted: StoredConnection
    /// Connections whose answers refer to the deleted one ("Borrow concurrency from").
    public var borrowers: [StoredConnection]
    /// How many logged test attempts went with it.
    public var removedAttempts: Int

    /// "Deleted “IO EU” and its secrets." with who referred to it.
    public var line: String {
        "Deleted “\(deleted.name)” and its secrets" + (removedAttempts > 0 ? " and \(removedAttempts) logged test(s)." : ".")
    }

    public var borrowerNote: String? {
        borrowers.isEmpty ? nil : borrowers.map { "“\($0.name)”" }.joined(separator: ", ") + " referred to it; edit to choose another."
    }
}
