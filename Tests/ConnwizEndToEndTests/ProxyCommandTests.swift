import Foundation
import Sandbox
import Testing
import TestSupport

/// `--proxy`, `--no-proxy` and the proxy variables, through the binary and a real tinyproxy.
@Suite("Proxies from the command line", .serialized, .oneAtATime)
struct ProxyCommandTests {
    @Test func theVariablesAndFlagsChooseTheRouteAndTheLogSaysWhich() async throws {
        let name = try #require(TinyProxy.machineName(), "this machine's name must resolve")
        let proxy = try TinyProxy.start()
        defer { proxy.stop() }
        let server = try await SandboxServer.start(service: try SandboxService(stateFolder: nil), address: "0.0.0.0")
        let home = TemporaryFolder()
        let token = "proxied-token-3c9e1a7b55d2"
        let connwiz = BinaryRunner(home: home.path, extra: ["T": token])
        var outputs: [String] = []
        // The sandbox answers on this process's task threads: the binary is waited for on another
        // thread, so that a wait never holds one of the few threads the sandbox needs.
        func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> BinaryRunner.Run {
            let result = try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(with: Result { try connwiz.run(arguments, environment: environment) })
                }
            }
            outputs.append(result.output)
            return result
        }

        let created = try await run(["new", "http-token", "--name", "Behind", "--set", "baseUri=http://\(name):\(server.port)",
                               "--secret", "token=env:T", "--yes"])
        #expect(created.status == 0, "\(created)")

        let viaVariable = try await run(["test", "Behind"], environment: ["http_proxy": proxy.url])
        #expect(viaVariable.stdout.contains("· via proxy \(proxy.url)"), "\(viaVariable)")
        let logged = try await run(["log", "Behind"])
        #expect(logged.stdout.contains("(sent through the proxy \(proxy.url))"), "\(logged)")

        let direct = try await run(["test", "Behind", "--no-proxy"], environment: ["http_proxy": "http://127.0.0.1:9"])
        #expect(!direct.stdout.contains("via proxy"), "\(direct)")
        #expect(direct.stdout.contains("421"), "the sandbox answered directly: \(direct)")

        let viaFlag = try await run(["test", "Behind", "--proxy", "operator:flag-pass-81c2e9d0a4@127.0.0.1:\(proxy.port)"])
        #expect(viaFlag.stdout.contains("· via proxy \(proxy.url) (with credentials)"), "\(viaFlag)")

        let password = "env-pass-6a0f3b8c19d7"
        let wrong = try await run(["test", "Behind"], environment: ["HTTPS_PROXY": "https://operator:\(password)@proxy.example:3128"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("$HTTPS_PROXY names an https:// proxy"), "\(wrong)")

        let both = try await run(["test", "Behind", "--proxy", proxy.url, "--no-proxy"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("either --proxy or --no-proxy"), "\(both)")

        let down = try await run(["test", "Behind", "--proxy", "http://127.0.0.1:9"])
        #expect(down.status == 1)
        #expect(down.stdout.contains("the proxy http://127.0.0.1:9 could not be reached"), "\(down)")

        await server.stop()
        for secret in [token, password, "flag-pass-81c2e9d0a4"] {
            for form in [secret, String(secret.prefix(12)), Data(secret.utf8).base64EncodedString()] {
                #expect(!outputs.contains { $0.contains(form) }, "a form of \(secret) was printed")
            }
            #expect(home.filesContaining(secret).isEmpty)
        }
    }
}
