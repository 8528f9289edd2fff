import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// How a failed exchange is told: a specific cause that names the host (or the proxy), and
/// the phase timings of what was seen.
extension ExchangeClient {
    /// A failure of a request sent through `proxy`, told as the proxy's when it was the proxy
    /// that could not be reached or would not pass the request on.
    /// `requestSent` says whether the request itself went out: for https it goes only once the
    /// proxy has opened the tunnel, so a failure before it is the proxy's.
    static func throughProxy(_ failure: TransportFailure, error: Error, proxy: ProxyPolicy.Server, url: URL,
                             options: TransportOptions, requestSent: Bool) async -> TransportFailure {
        let place = "\(url.host ?? "?"):\(url.port ?? (url.scheme == "https" ? 443 : 80))"
        let tunnelled = url.scheme?.lowercased() == "https" && proxy.kind == .http
        if let error = error as? HTTPClientError {
            if error == .proxyAuthenticationRequired {
                return TransportFailure(.proxy, "the proxy \(proxy) demands authentication (407 Proxy Authentication Required)"
                                        + (proxy.user == nil ? "; give its user and password in the proxy URL, http://USER:PASSWORD@host:port"
                                                             : "; it did not accept the user and password in the proxy URL"))
            }
            if error == .invalidProxyResponse {
                return TransportFailure(.proxy, "the proxy \(proxy) refused to open a tunnel to \(place) (its CONNECT answer was not 200)")
            }
            if error == .httpProxyHandshakeTimeout {
                return TransportFailure(.proxy, "the proxy \(proxy) did not open a tunnel to \(place) in time")
            }
        }
        if tunnelled, !requestSent, error as? HTTPClientError == .remoteConnectionClosed {
            return TransportFailure(.proxy, "the proxy \(proxy) closed the connection instead of opening a tunnel to \(place) (it dropped the CONNECT)")
        }
        if failure.kind == .connectTimeout, await ProxyProbe.accepts(host: proxy.host, port: proxy.port) {
            // The proxy took the connection but never answered: async-http-client counts its
            // handshake in the connect timeout, which read as "could not be reached".
            let what = tunnelled ? "the CONNECT for \(place)" : "the request for \(place)"
            return TransportFailure(.proxy, "the proxy \(proxy) accepted the connection but did not answer \(what) within \(seconds(options.connectTimeout))")
        }
        switch failure.kind {
        case .refused, .connectTimeout, .dns:
            // It was the proxy that could not be reached: name it, not the service behind it.
            let proxyURL = URL(string: "http://\(proxy.address)") ?? url
            let told = classify(error, url: proxyURL, options: options, cancelled: false)
            return TransportFailure(failure.kind, "the proxy \(proxy) could not be reached: \(told.message)")
        case .succeeded, .rejected, .notFound, .rateLimited, .clientError, .serverError, .ruleFailed, .unreadableResponse,
             .timeout, .tls, .redirectLoop, .network, .proxy, .notSent, .cancelled:
            return TransportFailure(failure.kind, failure.message + " (through the proxy \(proxy))")
        }
    }

    /// Milliseconds between two uptime readings, 0 when `end` was read first: a quick server's
    /// first byte can reach the client before the client hears that its request went out.
    static func milliseconds(from start: UInt64, to end: UInt64) -> Double {
        end > start ? Double(end - start) / 1e6 : 0
    }

    /// Turns a client error into a specific cause that names the host.
    static func classify(_ error: Error, url: URL, options: TransportOptions, cancelled: Bool) -> TransportFailure {
        let host = url.host ?? "?"
        let port = url.port ?? (url.scheme == "https" ? 443 : 80)
        let place = "\(host):\(port)"
        if cancelled { return TransportFailure(.cancelled, "cancelled") }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout:
                return TransportFailure(.connectTimeout, "could not connect to \(place) within \(seconds(options.connectTimeout))")
            case .readTimeout, .deadlineExceeded:
                return TransportFailure(.timeout, "no complete answer from \(host) within \(seconds(options.totalTimeout))")
            case .cancelled:
                return TransportFailure(.cancelled, "cancelled")
            case .tlsHandshakeTimeout:
                return TransportFailure(.tls, "the TLS handshake with \(host) did not finish in time")
            case .remoteConnectionClosed:
                return TransportFailure(.network, "\(host) closed the connection before it answered")
            default:
                return TransportFailure(.network, "request to \(host) failed: \(error)")
            }
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return TransportFailure(.dns, "the host name \(host) could not be resolved (DNS lookup failed)")
            }
            if let inner = error.connectionErrors.first?.error { return classify(inner, url: url, options: options, cancelled: false) }
            return TransportFailure(.network, "could not connect to \(place)")
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return TransportFailure(.refused, "connection refused by \(place): nothing is listening there")
            case ENETUNREACH, EHOSTUNREACH: return TransportFailure(.network, "\(host) is unreachable from this machine (no route)")
            case ECONNRESET: return TransportFailure(.network, "\(host) reset the connection")
            default: return TransportFailure(.network, "could not talk to \(place): \(error.description)")
            }
        }
        if error is SocketAddressError {
            return TransportFailure(.dns, "the host name \(host) could not be resolved (DNS lookup failed)")
        }
        if let error = error as? NIOSSLError {
            return TransportFailure(.tls, "TLS with \(host) failed: \(describeTLS(error))")
        }
        if let error = error as? BoringSSLError {
            return TransportFailure(.tls, "TLS with \(host) failed: \(error)")
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return TransportFailure(.connectTimeout, "could not connect to \(place) within \(seconds(options.connectTimeout))")
        }
        let text = String(describing: error)
        if text.contains("refused") { return TransportFailure(.refused, "connection refused by \(place): nothing is listening there") }
        return TransportFailure(.network, "request to \(host) failed: \(text)")
    }

    private static func describeTLS(_ error: NIOSSLError) -> String {
        switch error {
        case .handshakeFailed(let inner):
            let text = String(describing: inner)
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return "the server's certificate is not trusted (CERTIFICATE_VERIFY_FAILED); if it is signed by your own CA, pass that CA with --ca-file"
            }
            if text.contains("WRONG_VERSION_NUMBER") { return "the server does not speak TLS on this port (is the URL http rather than https?)" }
            return "handshake failed: \(text)"
        case .unableToValidateCertificate, .noCertificateToValidate:
            return "the server's certificate could not be validated"
        default:
            return String(describing: error)
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}
