/// What a cell means, not how it looks: the driver maps tones to colours and attributes, so
/// `NO_COLOR` and monochrome terminals still show every distinction (bold, reverse, dim).
public enum Tone: UInt8, Hashable, Sendable, CaseIterable {
    case normal
    /// Labels, titles.
    case strong
    /// Help text, placeholders, key hints.
    case dim
    /// The selected row or the field being edited.
    case selected
    /// A passing test, a field that is done.
    case success
    /// A failing test, a validation error.
    case failure
    /// Links, key names in the help line.
    case accent
}
