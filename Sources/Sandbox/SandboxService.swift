import _CryptoExtras
import Crypto
import Foundation

/// The offline emulator: routes each request by the host it was meant for to the service
/// that answers it, with the real services' success and error shapes (DESIGN.md §3).
///
/// Pure request → response over a state store, so it is tested without sockets; `SandboxServer`
/// puts it on loopback.
public final class SandboxService: Sendable {
    /// The folder of `state.json` and the Salesforce JWT key; nil keeps everything in memory.
    public let stateFolder: String?
    /// Where the private key for the Salesforce JWT bearer flow is, when there is a folder.
    public let salesforceKeyFile: String?
    let store: SandboxStateStore
    let salesforceKey: _RSA.Signing.PrivateKey
    /// What arrived, for tests and the sandbox's console.
    public let journal: SandboxJournal
    public let settings: SandboxSettings
    /// The time every token, code and device grant is issued and checked by. Injected, so a
    /// test moves it to expire a token instead of sleeping.
    public let now: @Sendable () -> Date
    /// The stand-ins declared in connector files, after the Swift emulators.
    public let responders: [any SandboxResponder]

    /// - Parameter salesforceKeyPEM: the connected app's RSA key when there is no folder to
    ///   keep one in (tests share one instead of generating a key each).
    public init(stateFolder: String?, journal: SandboxJournal = SandboxJournal(), salesforceKeyPEM: String? = nil,
                settings: SandboxSettings = SandboxSettings(), clock: @escaping @Sendable () -> Date = { Date() },
                responders: [any SandboxResponder] = []) throws {
        self.stateFolder = stateFolder
        self.responders = responders
        now = clock
        self.journal = journal
        self.settings = settings
        store = try SandboxStateStore(folder: stateFolder, clock: clock)
        if let stateFolder {
            try FileManager.default.createDirectory(atPath: stateFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let file = stateFolder + "/" + SandboxAccounts.salesforceJWTKeyFile
            if let pem = try? String(contentsOfFile: file, encoding: .utf8), let key = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) {
                salesforceKey = key
            } else {
                salesforceKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
                guard FileManager.default.createFile(atPath: file, contents: Data(salesforceKey.pemRepresentation.utf8),
                                                     attributes: [.posixPermissions: 0o600]) else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file])
                }
            }
            salesforceKeyFile = file
        } else {
            salesforceKey = try salesforceKeyPEM.map { try _RSA.Signing.PrivateKey(pemRepresentation: $0) } ?? _RSA.Signing.PrivateKey(keySize: .bits2048)
            salesforceKeyFile = nil
        }
    }

    /// The PEM of the key the sandbox's Salesforce connected app trusts.
    public var salesforcePrivateKeyPEM: String { salesforceKey.pemRepresentation }

    /// The services the sandbox stands in for (see `ServiceEmulator`).
    static let emulators: [any ServiceEmulator.Type] = [IntegratorSandbox.self, CelonisSandbox.self, SalesforceSandbox.self, NetSuiteSandbox.self]

    /// Hosts the Swift emulators answer.
    public static let emulatedHosts = emulators.flatMap { $0.hosts }

    /// Every host answered, declared stand-ins included, for messages and the index page.
    public var hosts: [String] { Self.emulatedHosts + responders.flatMap(\.hostNames) }

    /// Answers `request` and notes it in the journal.
    public func handle(_ request: SandboxRequest) -> SandboxResponse {
        let response = route(request)
        journal.record(request, status: response.status)
        return response
    }

    /// The query parameter that names the host a browser page is meant for: a browser sends
    /// its own `Host`, so an address on the sandbox's port carries the real host here.
    public static let browserHostParameter = "sandbox_host"

    private func route(_ request: SandboxRequest) -> SandboxResponse {
        var request = request
        if Self.isLoopback(request.host), let meant = request.query[Self.browserHostParameter]?.lowercased(),
           Self.emulators.contains(where: { $0.emulator(for: meant, service: self) != nil }) || responders.contains(where: { $0.answers(host: meant) }) {
            request.host = meant
        }
        let host = request.host
        for emulator in Self.emulators {
            if let answering = emulator.emulator(for: host, service: self) { return answering.handle(request) }
        }
        if let responder = responders.first(where: { $0.answers(host: host) }) { return responder.handle(request) }
        if Self.isLoopback(host) { return FaultSandbox().handle(request) ?? index() }
        return .json(421, ["errors": [["code": "not_emulated",
                                       "message": "The connwiz sandbox does not emulate \(host). It answers for: \(hosts.joined(separator: ", "))."]]])
    }

    private func index() -> SandboxResponse {
        .json(200, ["service": "connwiz sandbox", "hosts": hosts,
                    "faults": FaultSandbox.routes, "accounts": SandboxAccounts.summary(keyFile: salesforceKeyFile ?? "(in memory)")])
    }

    // MARK: Shared helpers

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "127.0.0.1" || host == "::1" || host == "sandbox.connwiz"
    }

    static func randomHex(_ bytes: Int) -> String {
        (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
