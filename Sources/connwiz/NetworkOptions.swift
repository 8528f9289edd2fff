import ArgumentParser
import ConnectionCore
import Foundation

/// How tests reach the services: timeouts, extra CAs, and the sandbox.
struct NetworkOptions: ParsableArguments {
    @Flag(name: .long, help: "Answer every request from the built-in offline sandbox (started in this process).")
    var sandbox = false

    @Option(name: .customLong("sandbox-url"), help: ArgumentHelp("Send every request to a sandbox already running (`connwiz sandbox`).", valueName: "url"))
    var sandboxURL: String?

    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("Seconds allowed to connect (DNS, TCP, TLS).", valueName: "seconds"))
    var connectTimeout: Double = 10

    @Option(name: .long, help: ArgumentHelp("Seconds allowed for each request, first byte to last.", valueName: "seconds"))
    var timeout: Double = 30

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("A PEM file of CA certificates to trust besides the system's (certificates are always verified).", valueName: "file"))
    var caFile: String?

    @Option(name: .customLong("max-body"), help: ArgumentHelp("Megabytes of each response body the log keeps (default 8, or $CONNWIZ_MAX_BODY); the rest is counted, not kept.", valueName: "MB"))
    var maxBody: Int?

    @Flag(name: .customLong("allow-private-redirects"), help: "Follow redirects from a public host into loopback or a private network (link-local and cloud metadata addresses are never followed).")
    var allowPrivateRedirects = false

    @Option(name: .customLong("sandbox-token-lifetime"), help: ArgumentHelp("With --sandbox: seconds the sandbox's access tokens live (default 7200), to see a refresh.", valueName: "seconds"))
    var sandboxTokenLifetime: Int?

    @Option(name: .customLong("proxy"), help: ArgumentHelp("Send requests through this proxy (http://[user:password@]host:port or socks5://host:port) instead of $HTTPS_PROXY/$HTTP_PROXY; $NO_PROXY and loopback still go direct.", valueName: "url"))
    var proxy: String?

    @Flag(name: .customLong("no-proxy"), help: "Go direct, ignoring $HTTPS_PROXY, $HTTP_PROXY and $ALL_PROXY.")
    var noProxy = false

    /// The proxies requests go through: none with --no-proxy, --proxy for every scheme, else
    /// the variables curl reads.
    func proxyPolicy(environment: [String: String]) throws -> ProxyPolicy {
        do {
            if noProxy { return .direct }
            if let proxy { return try .single(proxy, environment: environment) }
            return try .from(environment: environment)
        } catch let problem as ProxyPolicy.Problem {
            throw ValidationError(problem.description)
        }
    }

    func validate() throws {
        if noProxy && proxy != nil { throw ValidationError("use either --proxy or --no-proxy, not both") }
        _ = try proxyPolicy(environment: ProcessInfo.processInfo.environment)
        if let sandboxTokenLifetime {
            guard sandbox else { throw ValidationError("--sandbox-token-lifetime goes with --sandbox (a running sandbox takes connwiz sandbox --token-lifetime)") }
            guard (1...86_400).contains(sandboxTokenLifetime) else { throw ValidationError("--sandbox-token-lifetime takes 1 to 86400 (seconds)") }
        }
        if sandbox && sandboxURL != nil { throw ValidationError("use either --sandbox or --sandbox-url, not both") }
        if let sandboxURL, URL(string: sandboxURL)?.scheme?.hasPrefix("http") != true {
            throw ValidationError("--sandbox-url needs an http URL such as http://127.0.0.1:7411")
        }
        guard connectTimeout > 0, timeout > 0 else { throw ValidationError("timeouts must be more than 0 seconds") }
        if let maxBody, !(1...1024).contains(maxBody) { throw ValidationError("--max-body takes 1 to 1024 (megabytes)") }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("--ca-file \(caFile) cannot be read")
        }
    }
}
