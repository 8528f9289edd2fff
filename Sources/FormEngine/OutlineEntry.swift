/// One line of the outline beside the panel: a visible field and how far along it is.
public struct OutlineEntry: Hashable, Sendable {
    public enum State: Hashable, Sendable {
        case done
        case current
        case todo
        case error(String)
    }

    public var field: String
    public var label: String
    public var required: Bool
    public var advanced: Bool
    public var state: State
    /// The answer as it may be shown: secrets as dots, choices by label; nil when unanswered.
    public var display: String?
}
