/// What a save demands of a test: `--test` tests first (or reuses a test of the very same
/// answers) and refuses to save on failure; `--save-anyway` saves all the same.
public struct SavePolicy: Hashable, Sendable {
    public var testFirst: Bool
    public var saveAnyway: Bool

    public init(testFirst: Bool = false, saveAnyway: Bool = false) {
        self.testFirst = testFirst
        self.saveAnyway = saveAnyway
    }
}
