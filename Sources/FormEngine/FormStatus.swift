/// The line at the top of the panel, as the engine decides it: what a test said, that it no
/// longer matches the answers, that something is under way, or why an action was refused.
public struct FormStatus: Hashable, Sendable {
    public enum Tone: Hashable, Sendable {
        case passed
        case failed
        /// A test result that no longer matches the answers.
        case stale
        /// Something is under way (a test).
        case busy
        case note
    }

    public var text: String
    public var tone: Tone

    public init(_ text: String, tone: Tone) {
        self.text = text
        self.tone = tone
    }
}

/// Work the shell is doing for the form, as the engine knows it from events.
public enum FormActivity: Hashable, Sendable {
    case testing
    /// The operator asked to stop the test; it is being cancelled.
    case cancellingTest
}
