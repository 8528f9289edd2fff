import NIOConcurrencyHelpers

/// The environment a program connwiz starts (the browser) is given: connwiz's own, less what
/// holds a secret. `CONNWIZ_KEY` opens every sealed secret in the store, and a variable named
/// by `--secret NAME=env:VAR` holds a credential; a browser, and whatever it starts, has no
/// business with either.
public enum ChildEnvironment {
    private static let withheld = NIOLockedValueBox<Set<String>>([])

    /// Keeps the variable `name` from every child from now on.
    public static func withhold(_ name: String) {
        withheld.withLockedValue { _ = $0.insert(name) }
    }

    /// `environment` without connwiz's own variables (`CONNWIZ_*`) and without the withheld ones.
    public static func cleaned(_ environment: [String: String]) -> [String: String] {
        let names = withheld.withLockedValue { $0 }
        return environment.filter { name, _ in !name.hasPrefix("CONNWIZ_") && !names.contains(name) }
    }
}
