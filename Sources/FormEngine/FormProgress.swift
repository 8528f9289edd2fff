/// Where the current field stands among the fields the form asks: its place, how many are
/// known now, and whether a later answer may add more (a choice that opens fields, the
/// advanced settings not yet chosen). The place counts fields only, so it moves by one per
/// field, and the total is never promised when it can still grow.
public struct FormProgress: Hashable, Sendable {
    /// 1-based place of the current field; the count plus one at the review.
    public var index: Int
    /// The fields asked with the answers as they stand.
    public var count: Int
    /// A later answer may show fields that are hidden now.
    public var mayGrow: Bool

    public init(index: Int, count: Int, mayGrow: Bool) {
        self.index = index
        self.count = count
        self.mayGrow = mayGrow
    }

    /// "3 of 5", or "3 of at least 5" while more fields may appear.
    public var text: String {
        "\(index) of " + (mayGrow ? "at least " : "") + "\(count)"
    }
}
