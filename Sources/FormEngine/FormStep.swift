/// Where the operator is in the form.
public enum FormStep: Hashable, Sendable {
    /// Answering the field with this id.
    case field(String)
    /// Asked whether to edit the advanced settings (Celigo's Simple view ends here).
    case advancedGate
    /// Looking over every answer before testing or saving.
    case review
    /// Left the form without saving.
    case cancelled
}
