import ConnectionCore
import ConnectorSchema
import Foundation
import Sandbox
import Testing
import TestSupport

/// The proxy variables as curl reads them, and requests through a real proxy (tinyproxy) on
/// loopback to a sandbox reached by this machine's own name (loopback names never go through
/// a proxy, so the sandbox listens on every interface here).
@Suite("Proxies")
struct ProxyTests {
    // MARK: Reading the variables

    @Test func lowerCaseWinsAndAllProxyFillsIn() throws {
        let policy = try ProxyPolicy.from(environment: ["https_proxy": "http://low:1", "HTTPS_PROXY": "http://up:2",
                                                        "ALL_PROXY": "proxy.example:3128"])
        #expect(policy.https == ProxyPolicy.Server(host: "low", port: 1))
        #expect(policy.http == ProxyPolicy.Server(host: "proxy.example", port: 3128), "all_proxy covers http, a bare host:port is http")
        #expect(try ProxyPolicy.from(environment: [:]) == .direct)
        #expect(try ProxyPolicy.from(environment: ["http_proxy": "http://p"]).http?.port == 1080, "curl's default port")
        #expect(try ProxyPolicy.from(environment: ["HTTP_PROXY": "http://p"]).http == nil, "curl ignores HTTP_PROXY")
        #expect(try ProxyPolicy.from(environment: ["https_proxy": "", "HTTPS_PROXY": "http://up:2"]).https?.host == "up", "empty is unset")
    }

    @Test func noProxyMatchesSuffixesBlocksAndStar() throws {
        let policy = try ProxyPolicy.from(environment: ["HTTPS_PROXY": "http://p:3128", "http_proxy": "http://p:3128",
                                                        "NO_PROXY": "internal.example, .corp.example,api.other.example:8443,10.0.0.0/8 192.168.1.7 fd00::/8 *.star.example trailing.example."])
        func via(_ url: String) -> Bool { policy.server(for: URL(string: url)!) != nil }
        #expect(!via("https://internal.example/x"))
        #expect(!via("https://a.b.internal.example/x"))
        #expect(via("https://notinternal.example/x"), "a suffix matches at a dot, not inside a label")
        #expect(!via("https://corp.example/"))
        #expect(via("https://api.other.example:8443/"), "as in curl, an entry with a port matches nothing")
        #expect(via("https://api.star.example/"), "as in curl, a *. entry matches nothing")
        #expect(!via("https://a.trailing.example/") && !via("https://internal.example./"), "one trailing dot is ignored")
        #expect(!via("https://[fd12::1]/") && via("https://[fe80::1]/"))
        #expect(!via("http://10.20.30.40/"))
        #expect(!via("http://192.168.1.7/"))
        #expect(via("http://192.168.1.8/"))
        #expect(via("https://api.integrator.io/v1/ping"))
        let star = try ProxyPolicy.from(environment: ["HTTPS_PROXY": "http://p:3128", "no_proxy": "*"])
        #expect(star.server(for: URL(string: "https://api.integrator.io/")!) == nil)
    }

    @Test func loopbackIsAlwaysDirect() throws {
        let policy = try ProxyPolicy.single("http://p:3128", environment: [:])
        for url in ["http://127.0.0.1:7411/", "http://localhost/", "http://app.localhost/", "http://[::1]:80/", "http://127.8.9.10/"] {
            #expect(policy.server(for: URL(string: url)!) == nil, "\(url)")
        }
        #expect(policy.server(for: URL(string: "http://128.0.0.1/")!) != nil)
    }

    @Test func badProxySettingsSayWhichAndNeverEchoThePassword() {
        let password = "pr0xy-Pa55word-do-not-show"
        let cases: [([String: String], String)] = [
            (["HTTPS_PROXY": "https://user:\(password)@proxy.example:3128"], "$HTTPS_PROXY names an https:// proxy"),
            (["https_proxy": "ftp://user:\(password)@proxy.example"], "$https_proxy uses the scheme “ftp”"),
            (["http_proxy": "http://user:\(password)@:3128"], "$http_proxy is not a proxy URL"),
            (["ALL_PROXY": "socks5://user:\(password)@proxy.example"], "SOCKS5 client has no user and password support"),
        ]
        for (environment, expected) in cases {
            do {
                _ = try ProxyPolicy.from(environment: environment)
                Issue.record("\(environment.keys) was accepted")
            } catch {
                let text = String(describing: error)
                #expect(text.contains(expected), "\(text)")
                #expect(!text.contains(String(password.prefix(12))))
            }
        }
        #expect(ProxyPolicy.Server(host: "p", port: 1, user: "u", password: password).description == "http://p:1 (with credentials)")
    }

    // MARK: Through a real proxy

    static func machineName() throws -> String {
        let name = TinyProxy.machineName()
        try #require(name != nil, "this machine's name must resolve to one of its addresses")
        return name!
    }

    struct Rig {
        let home: TemporaryFolder
        let service: SandboxService
        let server: SandboxServer
        let client: ExchangeClient
        let tester: ConnectionTester
        let name: String

        static func start(_ proxy: ProxyPolicy) async throws -> Rig {
            let home = TemporaryFolder()
            let service = try SandboxService(stateFolder: nil, salesforceKeyPEM: sharedSalesforceKey)
            let server = try await SandboxServer.start(service: service, address: "0.0.0.0")
            var options = TransportOptions(connectTimeout: 5, totalTimeout: 10)
            options.proxy = proxy
            let client = try ExchangeClient(options: options)
            return Rig(home: home, service: service, server: server, client: client,
                       tester: ConnectionTester(client: client, log: ExchangeLog(home: HomeFolder(path: home.path))), name: try machineName())
        }

        func stop() async {
            await client.shutdown()
            await server.stop()
        }

        func send(_ url: String) async -> ExchangeResult {
            await client.send(OutgoingRequest(purpose: "Test request", method: "GET", url: url), index: 1, redactor: Redactor(),
                              folder: URL(fileURLWithPath: home.path))
        }

        /// A token connection to `base` tested through the tester, as `connwiz test` does.
        func test(_ base: String, token: String) async throws -> (TestAttempt, ExchangeLog.Entry) {
            let schema = try #require(ConnectorCatalog.builtin().connector("http-token"))
            let values = try LoopbackRig.values("http-token", ["name": "Through", "baseUri": base, "token": token, "pingPath": "/"])
            let attempt = try await tester.run(.init(name: "Through", logKey: "through", schema: schema, values: values)).attempt
            return (attempt, try #require(tester.log.entries("through").last).withExchanges())
        }
    }

    @Test func httpGoesThroughTheProxyAndTheLogSaysWhich() async throws {
        let proxy = try TinyProxy.start()
        defer { proxy.stop() }
        let rig = try await Rig.start(try .from(environment: ["http_proxy": proxy.url]))

        let proxied = await rig.send("http://\(rig.name):\(rig.server.port)/")
        #expect(proxied.failure == nil, "\(proxied.failure?.message ?? "")")
        #expect(proxied.exchange.proxy == "http://127.0.0.1:\(proxy.port)")
        #expect(rig.service.journal.all.last?.host == rig.name, "the sandbox got the request")
        // async-http-client tunnels http through the proxy with CONNECT too.
        #expect(proxy.log.contains("CONNECT \(rig.name):\(rig.server.port)"), "\(proxy.log)")

        let direct = await rig.send("http://127.0.0.1:\(rig.server.port)/")
        #expect(direct.exchange.proxy == nil)
        #expect(direct.status == 200)
        #expect(!proxy.log.contains("127.0.0.1:\(rig.server.port)"), "loopback went direct")
        await rig.stop()
    }

    @Test func noProxyHostGoesDirect() async throws {
        let proxy = try TinyProxy.start()
        defer { proxy.stop() }
        let name = try Self.machineName()
        let rig = try await Rig.start(try .from(environment: ["http_proxy": proxy.url, "NO_PROXY": name]))
        let result = await rig.send("http://\(name):\(rig.server.port)/")
        await rig.stop()
        #expect(result.exchange.proxy == nil)
        #expect(result.exchange.response != nil)
        #expect(!proxy.log.contains("CONNECT \(name)"), "\(proxy.log)")
    }

    @Test func aProxyThatDemandsCredentialsSays407AndTheirsAreNeverLogged() async throws {
        let password = "tinyproxy-pass-7f3a9c21e4"
        let proxy = try TinyProxy.start(user: "operator", password: password)
        defer { proxy.stop() }
        let token = "through-token-5be1d0c9a2f4"

        let without = try await Rig.start(try .single(proxy.url, environment: [:]))
        let (refused, _) = try await without.test("http://\(without.name):\(without.server.port)", token: token)
        await without.stop()
        #expect(refused.outcome.kind == .proxy)
        #expect(refused.outcome.line.hasPrefix("Proxy failure: the proxy http://127.0.0.1:\(proxy.port) demands authentication (407"), "\(refused.outcome.line)")
        #expect(refused.outcome.line.contains("http://USER:PASSWORD@host:port"))

        let credentialed = "http://operator:\(password)@127.0.0.1:\(proxy.port)"
        let with = try await Rig.start(try .single(credentialed, environment: [:]))
        let (passed, entry) = try await with.test("http://\(with.name):\(with.server.port)", token: token)
        await with.stop()
        #expect(passed.outcome.kind != .proxy, "\(passed.outcome.line)")
        #expect(passed.outcome.status == 421, "the sandbox answered for a host it does not emulate: \(passed.outcome.line)")
        let exchange = try #require(entry.attempt.exchanges.first)
        #expect(exchange.proxy == "http://127.0.0.1:\(proxy.port) (with credentials)")

        let har = String(decoding: try HARDocument.make(entry), as: UTF8.self)
        let transcript = ExchangeTranscript.lines(for: exchange, in: entry).joined(separator: "\n")
        #expect(transcript.contains("(sent through the proxy http://127.0.0.1:\(proxy.port) (with credentials))"))
        #expect(har.contains("sent through the proxy"))
        for secret in [password, token, "operator:\(password)"] {
            for form in [secret, String(secret.prefix(12)), Data(secret.utf8).base64EncodedString()] {
                #expect(!har.contains(form) && !transcript.contains(form), "a form of a secret is in the log")
            }
            #expect(with.home.filesContaining(secret).isEmpty, "a secret is in a log file")
        }
    }

    @Test func httpsUsesConnectAndARefusedTunnelIsTheProxys() async throws {
        // CONNECT to any port opens a tunnel: the sandbox speaks plain http, so what fails is
        // TLS with the sandbox, past the proxy.
        let open = try TinyProxy.start()
        defer { open.stop() }
        let rig = try await Rig.start(try .from(environment: ["HTTPS_PROXY": open.url]))
        let tunnelled = await rig.send("https://\(rig.name):\(rig.server.port)/")
        await rig.stop()
        #expect(tunnelled.failure?.kind == .tls, "\(tunnelled.failure?.message ?? "no failure")")
        #expect(tunnelled.exchange.proxy == "http://127.0.0.1:\(open.port)")
        #expect(open.log.contains("CONNECT"), "\(open.log)")

        let strict = try TinyProxy.start(connectPorts: [443])
        defer { strict.stop() }
        let refusing = try await Rig.start(try .from(environment: ["HTTPS_PROXY": strict.url]))
        let refused = await refusing.send("https://\(refusing.name):\(refusing.server.port)/")
        await refusing.stop()
        #expect(refused.failure?.kind == .proxy)
        #expect(refused.failure?.message.contains("refused to open a tunnel to \(refusing.name):\(refusing.server.port)") == true,
                "\(refused.failure?.message ?? "")")

        let locked = try TinyProxy.start(user: "u", password: "connect-pass-0d9e8f7a")
        defer { locked.stop() }
        let unauthorised = try await Rig.start(try .from(environment: ["HTTPS_PROXY": locked.url]))
        let demanded = await unauthorised.send("https://\(unauthorised.name):\(unauthorised.server.port)/")
        await unauthorised.stop()
        #expect(demanded.failure?.kind == .proxy)
        #expect(demanded.failure?.message.contains("demands authentication (407") == true, "\(demanded.failure?.message ?? "")")
    }

    @Test func aProxyThatIsDownIsNamed() async throws {
        let closed = Subprocess.freePort()
        let rig = try await Rig.start(try .from(environment: ["http_proxy": "http://127.0.0.1:\(closed)"]))
        let result = await rig.send("http://\(rig.name):\(rig.server.port)/")
        await rig.stop()
        #expect(result.failure?.kind == .refused)
        #expect(result.failure?.message.hasPrefix("the proxy http://127.0.0.1:\(closed) could not be reached: connection refused by 127.0.0.1:\(closed)") == true,
                "\(result.failure?.message ?? "")")
        #expect(rig.service.journal.all.isEmpty)
    }
}

/// The proxy variables read as curl reads them (issue 19, item 10): each case runs curl itself
/// with the same variables and the same URL, against a recording proxy on loopback, and
/// connwiz must choose as curl did. Loopback, which connwiz always reaches directly, is kept
/// out: the hosts are names curl is told resolve to 127.0.0.1.
@Suite("Proxy variables, side by side with curl", .serialized)
struct ProxyCurlParityTests {
    static let cases: [([String: String], String)] = [
        (["http_proxy": "P", "no_proxy": "", "NO_PROXY": "api.example.com"], "http://api.example.com:PORT/"),
        (["HTTP_PROXY": "P"], "http://api.example.com:PORT/"),
        (["HTTPS_PROXY": "P"], "https://api.example.com:PORT/"),
        (["https_proxy": "", "HTTPS_PROXY": "P"], "https://api.example.com:PORT/"),
        (["http_proxy": "P", "no_proxy": "api.example.com:PORT"], "http://api.example.com:PORT/"),
        (["http_proxy": "P", "no_proxy": "*.example.com"], "http://api.example.com:PORT/"),
        (["http_proxy": "P", "no_proxy": "example.com."], "http://api.example.com:PORT/"),
        (["http_proxy": "P", "no_proxy": "example.com"], "http://api.example.com.:PORT/"),
        (["http_proxy": "P", "no_proxy": ".example.com"], "http://api.example.com:PORT/"),
        (["http_proxy": "P", "no_proxy": "*"], "http://api.example.com:PORT/"),
        (["http_proxy": "P", "no_proxy": "foo.test, *"], "http://api.example.com:PORT/"),
        (["http_proxy": "P", "NO_PROXY": "API.EXAMPLE.COM"], "http://api.example.com:PORT/"),
        (["http_proxy": "P", "no_proxy": "example.com"], "http://nonexample.com:PORT/"),
        (["http_proxy": "P", "no_proxy": "other.test,example.com"], "http://a.b.example.com:PORT/"),
        (["http_proxy": "P", "no_proxy": "192.0.2.0/24"], "http://192.0.2.7:PORT/"),
        (["http_proxy": "P", "no_proxy": "192.0.2.0/24"], "http://198.51.100.7:PORT/"),
        (["all_proxy": "P"], "http://api.example.com:PORT/"),
        (["ALL_PROXY": "P"], "https://api.example.com:PORT/"),
        (["https_proxy": "P", "no_proxy": "example.com"], "http://api.example.com:PORT/"),
    ]

    @Test func connwizChoosesAsCurlDoes() throws {
        let proxy = try RawServer(answer: Array("HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nproxied".utf8))
        defer { proxy.stop() }
        let direct = try RawServer(answer: Array("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\ndirect".utf8))
        defer { direct.stop() }
        let proxyURL = "http://127.0.0.1:\(proxy.port)"
        for (template, urlTemplate) in Self.cases {
            let environment = template.mapValues { $0 == "P" ? proxyURL : $0.replacingOccurrences(of: "PORT", with: String(direct.port)) }
            let url = urlTemplate.replacingOccurrences(of: "PORT", with: String(direct.port))
            let host = try #require(URL(string: url)?.host)
            let before = proxy.heads.get().count
            var arguments = ["curl", "-q", "-s", "-k", "-o", "/dev/null", "--connect-timeout", "1", "--max-time", "3"]
            arguments += ["--resolve", "\(host):\(direct.port):127.0.0.1", url]
            _ = try Subprocess.run(arguments, environment: environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a })
            let curlProxied = proxy.heads.get().count > before
            let connwizProxied = try ProxyPolicy.from(environment: environment).server(for: try #require(URL(string: url))) != nil
            #expect(connwizProxied == curlProxied, "\(template) \(urlTemplate): curl \(curlProxied ? "used" : "did not use") the proxy")
        }
    }
}

/// Proxies that misbehave are named as the proxy's fault (issue 19, item 11).
@Suite("Proxies that drop or ignore a CONNECT")
struct BrokenProxyTests {
    static func send(_ url: String, through port: Int, connectTimeout: Double = 5) async throws -> TransportFailure? {
        var options = TransportOptions(connectTimeout: connectTimeout, totalTimeout: 5)
        options.proxy = ProxyPolicy(http: ProxyPolicy.Server(host: "127.0.0.1", port: port), https: ProxyPolicy.Server(host: "127.0.0.1", port: port))
        let client = try ExchangeClient(options: options)
        let home = TemporaryFolder()
        let result = await client.send(OutgoingRequest(purpose: "Test request", method: "GET", url: url), index: 1, redactor: Redactor(),
                                       folder: URL(fileURLWithPath: home.path))
        await client.shutdown()
        return result.failure
    }

    @Test func aProxyThatDropsTheConnectIsNamed() async throws {
        let proxy = try RawServer(answer: [])
        defer { proxy.stop() }
        let failure = try #require(try await Self.send("https://api.example.com/v1/ping", through: proxy.port))
        #expect(failure.kind == .proxy, "\(failure)")
        #expect(failure.message.hasPrefix("the proxy http://127.0.0.1:\(proxy.port) closed the connection instead of opening a tunnel to api.example.com:443"),
                "\(failure.message)")
    }

    @Test func aProxyThatNeverAnswersIsNotCalledUnreachable() async throws {
        // Listening, never accepting: the kernel completes the handshake, nobody answers.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        #expect(listen(fd, 16) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let failure = try #require(try await Self.send("https://api.example.com/v1/ping", through: port, connectTimeout: 1))
        #expect(failure.kind == .proxy, "\(failure)")
        #expect(failure.message.contains("accepted the connection but did not answer the CONNECT for api.example.com:443"), "\(failure.message)")
        #expect(!failure.message.contains("could not be reached"))
    }
}
