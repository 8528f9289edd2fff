import NIOCore
import NIOPosix

/// Whether a proxy takes TCP connections at all: asked only after a request through it timed
/// out, to tell a proxy that is not there from one that is there and never answers.
enum ProxyProbe {
    static func accepts(host: String, port: Int, within seconds: Int64 = 1) async -> Bool {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(seconds))
        guard let channel = try? await bootstrap.connect(host: host, port: port).get() else { return false }
        try? await channel.close()
        return true
    }
}
