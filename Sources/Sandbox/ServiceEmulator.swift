/// A service the sandbox stands in for: the hosts it answers for, and its answers.
///
/// `SandboxService.emulators` lists them; routing, the index page, the "not emulated" message
/// and the browser's host parameter all read that list, so a new stand-in is its own file
/// and one entry there.
protocol ServiceEmulator: Sendable {
    /// The hosts it answers for, as the index and messages name them.
    static var hosts: [String] { get }
    /// The stand-in for `host`, nil when the host is not one of its.
    static func emulator(for host: String, service: SandboxService) -> Self?
    func handle(_ request: SandboxRequest) -> SandboxResponse
}

/// A stand-in the program adds when it starts the sandbox: one declared in a connector file
/// (`standIn:`), answered without Swift of its own. The Swift emulators above come first.
public protocol SandboxResponder: Sendable {
    /// The hosts it answers for, as the index and messages name them (`*.myshopify.com`).
    var hostNames: [String] { get }
    /// Whether it answers for `host` (lowercased, without port).
    func answers(host: String) -> Bool
    func handle(_ request: SandboxRequest) -> SandboxResponse
}
