/// Checks a file an answer names, for `validate: {file: …}`; nil when the file will do, else
/// why not. Injected by the front ends (`ConnectionCore`'s key check); `.none` checks nothing.
/// Every inspector compares equal: it is a capability, not state. It lives beside the
/// `FileRequirement` it checks, because the form engine and the connection core both use it.
public struct FileInspector: Hashable, Sendable {
    let check: @Sendable (String, FileRequirement) -> String?

    public init(_ check: @escaping @Sendable (_ path: String, _ requirement: FileRequirement) -> String?) {
        self.check = check
    }

    public static let none = FileInspector { _, _ in nil }

    public func problem(with path: String, _ requirement: FileRequirement) -> String? { check(path, requirement) }

    public static func == (lhs: FileInspector, rhs: FileInspector) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
}

import Foundation
