import Foundation

/// An exchange as lines of text, the way the View log reads: request line and headers, body
/// (JSON pretty-printed), response status and headers, body, then sizes and timings. Used by
/// `connwiz log` and the terminal View log alike; it formats, it does not draw.
public enum ExchangeTranscript {
    /// Bodies larger than this are cut, with a note saying where the rest is.
    public static let bodyLimit = 256 * 1024

    /// - Parameter hex: binary bodies as hex dumps instead of a note that they are binary.
    public static func lines(for exchange: Exchange, in entry: ExchangeLog.Entry, hex: Bool = false) -> [String] {
        var lines: [String] = []
        lines.append("\(exchange.method) \(exchange.url)")
        if let sandboxURL = exchange.sandboxURL { lines.append("(sent to the sandbox at \(sandboxURL))") }
        if let proxy = exchange.proxy { lines.append("(sent through the proxy \(proxy))") }
        lines.append("")
        lines.append("> \(exchange.method) \(exchange.path) \(exchange.httpVersion)")
        for header in exchange.requestHeaders { lines.append("> \(header.name): \(header.value)") }
        if let body = exchange.requestBody, !body.isEmpty {
            lines.append(">")
            lines.append(contentsOf: bodyLines(body, in: entry, hex: hex))
        }
        lines.append("")
        if let response = exchange.response {
            lines.append("< \(response.httpVersion) \(response.status) \(response.statusText)")
            for header in response.headers { lines.append("< \(header.name): \(header.value)") }
            if !response.body.isEmpty {
                lines.append("<")
                lines.append(contentsOf: bodyLines(response.body, in: entry, hex: hex))
            }
            if response.body.incomplete { lines.append("(the body did not arrive whole)") }
            if let kept = response.body.keptBytes {
                lines.append("(the log kept the first \(ByteSize.text(kept)) of this \(ByteSize.text(response.body.size)) body; --max-body sets how much)")
            }
            lines.append("")
        }
        if let error = exchange.error { lines.append("✗ \(error)") }
        lines.append(summary(exchange))
        // Headers and bodies are what a service wrote: shown on a terminal, they must not
        // carry escape sequences.
        return lines.map(ServiceText.printable)
    }

    /// Sizes and timings in one line.
    public static func summary(_ exchange: Exchange) -> String {
        var parts: [String] = []
        if let sent = exchange.requestBody?.size { parts.append("\(ByteSize.text(sent)) sent") }
        if let received = exchange.response?.body.size { parts.append("\(ByteSize.text(received)) received") }
        parts.append("total \(ElapsedTime.text(milliseconds: exchange.timings.total))")
        if let first = exchange.timings.firstByte { parts.append("first byte \(ElapsedTime.text(milliseconds: first))") }
        return parts.joined(separator: " · ")
    }

    /// A body's lines: JSON pretty-printed, other text as it is, large bodies cut.
    public static func bodyLines(_ body: BodyRecord, in entry: ExchangeLog.Entry, hex: Bool = false) -> [String] {
        if hex, let (bytes, clipped) = entry.binaryBody(body) {
            return hexLines(bytes) + (clipped > 0 ? ["… \(ByteSize.text(clipped)) more in \(entry.folder.appendingPathComponent(body.file ?? "").path)"] : [])
        }
        guard let (text, clipped) = entry.bodyText(body, limit: bodyLimit) else {
            return ["(\(ByteSize.text(body.size)) body not kept)"]
        }
        var lines = pretty(text, mimeType: body.mimeType).components(separatedBy: "\n")
        if clipped > 0 {
            lines.append("… \(ByteSize.text(clipped)) more in \(entry.folder.appendingPathComponent(body.file ?? "").path)")
        }
        return lines
    }

    /// Bytes as a hex dump, 16 a line: offset, the bytes in two groups of eight, and the
    /// printable ASCII ones (`.` for the rest).
    public static func hexLines(_ bytes: Data) -> [String] {
        let all = [UInt8](bytes)
        return stride(from: 0, to: all.count, by: 16).map { start in
            let row = all[start..<min(start + 16, all.count)]
            let hex = row.enumerated().map { index, byte in (index == 8 ? " " : "") + hexByte(byte) }.joined(separator: " ")
            let padded = hex.padding(toLength: 16 * 3, withPad: " ", startingAt: 0)
            let text = String(row.map { (0x20..<0x7F).contains($0) ? Character(UnicodeScalar($0)) : "." })
            return hexByte(UInt8(truncatingIfNeeded: start >> 24)) + hexByte(UInt8(truncatingIfNeeded: start >> 16))
                + hexByte(UInt8(truncatingIfNeeded: start >> 8)) + hexByte(UInt8(truncatingIfNeeded: start)) + "  " + padded + " |" + text + "|"
        }
    }

    static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// JSON indented by two spaces; anything else unchanged.
    public static func pretty(_ text: String, mimeType: String?) -> String {
        let looksJSON = (mimeType?.lowercased().contains("json") ?? false) || text.first == "{" || text.first == "["
        guard looksJSON, let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
              let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]) else {
            return text
        }
        return String(decoding: pretty, as: UTF8.self)
    }
}
