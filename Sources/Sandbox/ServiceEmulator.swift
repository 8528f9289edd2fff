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
