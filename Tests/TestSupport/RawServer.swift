import Foundation

/// A server on loopback that answers every connection with the same raw bytes and closes:
/// for answers no well-behaved server library would send.
public final class RawServer: @unchecked Sendable {
    public let port: Int
    /// The head of every request that arrived, as sent (header lines in order, duplicates kept).
    public let heads: Locked<[String]>
    private let socket: Int32
    private let thread: Thread

    public init(answer: [UInt8], host: String = "127.0.0.1") throws {
        let fd = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        socket = fd
        let heads = Locked<[String]>([])
        self.heads = heads
        thread = Thread {
            while true {
                let client = accept(fd, nil, nil)
                // The thread closes the listening socket itself, once accept fails after
                // `stop()` shut it down: closed by `stop()`, its number could be reused by
                // another test's socket before this loop came back to accept on it.
                guard client >= 0 else { close(fd); return }
                var buffer = [UInt8](repeating: 0, count: 65536)
                let count = recv(client, &buffer, buffer.count, 0)
                let head = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self).components(separatedBy: "\r\n\r\n").first ?? ""
                heads.mutate { $0.append(head) }
                var sent = 0
                while sent < answer.count {
                    let n = answer[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if n <= 0 { break }
                    sent += n
                }
                close(client)
            }
        }
        thread.start()
    }

    public func stop() {
        shutdown(socket, Int32(SHUT_RDWR))
    }
}

