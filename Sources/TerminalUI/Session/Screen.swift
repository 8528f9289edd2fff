/// A screen of the full-screen front end: a value that takes a key and gives an outcome, draws
/// itself into the buffer, and says whether a key would act and which step it is on.
///
/// `AppFlow` routes keys to the screen on top and acts on its outcome; the loop draws it and
/// uses `keyActs` and `stepMark` for the type-ahead guard (a key that would act on a step that
/// has only just appeared was typed for the step before, and is dropped).
public protocol Screen {
    associatedtype Outcome: Equatable
    /// Takes a key; `pageSize` is how many rows a page key moves.
    mutating func handle(_ key: Key, pageSize: Int) -> Outcome
    mutating func render(into buffer: inout CellBuffer)
    /// Whether `key` would do more than edit text here (move, choose, answer, leave).
    func keyActs(_ key: Key) -> Bool
    /// Changes when the screen shows a new step.
    var stepMark: AnyHashable { get }
}

extension ConnectionsScreen: Screen {
    public mutating func handle(_ key: Key, pageSize: Int) -> Outcome { handle(key) }

    public func keyActs(_ key: Key) -> Bool {
        // Typing a path at a question is text; only the keys that answer it act.
        !(question != nil && key.isText)
    }

    public var stepMark: AnyHashable {
        AnyHashable(["connections", AnyHashable(confirmingDelete), AnyHashable(showingHelp), AnyHashable(question?.id)])
    }
}

extension ApplicationListScreen: Screen {
    public func keyActs(_ key: Key) -> Bool {
        // Typing filters the list; only the keys that move or choose act.
        !key.isText && key != .backspace
    }

    public var stepMark: AnyHashable { AnyHashable("applications") }
}

extension ConnectionPanelScreen: Screen {
    public mutating func handle(_ key: Key, pageSize: Int) -> Outcome { handle(key) }
}

extension ViewLogScreen: Screen {
    public func keyActs(_ key: Key) -> Bool {
        !((question != nil || typing != nil) && key.isText)
    }

    public var stepMark: AnyHashable { AnyHashable(["log", AnyHashable(title), AnyHashable(question != nil)]) }
}

extension AttemptListScreen: Screen {
    public mutating func handle(_ key: Key, pageSize: Int) -> Outcome { handle(key) }
    public func keyActs(_ key: Key) -> Bool { true }
    public var stepMark: AnyHashable { AnyHashable(["attempts", AnyHashable(title)]) }
}

extension AuthorizeScreen: Screen {
    public mutating func handle(_ key: Key, pageSize: Int) -> Outcome { handle(key) }
}
