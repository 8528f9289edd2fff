import Foundation

/// An attempt as an HTTP Archive (HAR 1.2), for browsers' dev tools, Postman and HAR viewers.
/// Built from the stored, already redacted exchanges, so no secret can reach the file.
public enum HARDocument {
    /// Response text beyond this is left out, with a comment saying how much.
    public static let textLimit = 1 << 20

    /// The attempt as HAR 1.2 JSON; exchanges not loaded yet are read from the log first.
    /// Writes the attempt as a HAR file readable by its owner only (mode 0600).
    public static func write(_ entry: ExchangeLog.Entry, toFile path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: try make(entry), attributes: [.posixPermissions: 0o600]) else {
            throw StoreError.cannotWrite(path, reason: "the file could not be created")
        }
    }

    public static func make(_ entry: ExchangeLog.Entry) throws -> Data {
        let entry = try entry.withExchanges()
        let entries: [[String: Any]] = entry.attempt.exchanges.map { exchange in
            var request: [String: Any] = [
                "method": exchange.method, "url": exchange.url, "httpVersion": exchange.httpVersion,
                "headers": exchange.requestHeaders.map { ["name": $0.name, "value": $0.value] },
                "queryString": queryString(exchange.url), "cookies": [Any](),
                "headersSize": -1, "bodySize": exchange.requestBody?.size ?? 0,
            ]
            if let body = exchange.requestBody, let text = body.text {
                request["postData"] = ["mimeType": body.mimeType ?? "application/octet-stream", "text": text]
            }
            var response: [String: Any] = [
                "status": 0, "statusText": "", "httpVersion": exchange.httpVersion, "headers": [Any](), "cookies": [Any](),
                "content": ["size": 0, "mimeType": "x-unknown"], "redirectURL": "", "headersSize": -1, "bodySize": -1,
            ]
            if let record = exchange.response {
                var content: [String: Any] = ["size": record.body.size, "mimeType": record.body.mimeType ?? "x-unknown"]
                if let (text, clipped) = entry.bodyText(record.body, limit: textLimit) {
                    content["text"] = text
                    if clipped > 0 { content["comment"] = "Only the first \(ByteSize.text(textLimit)) of \(ByteSize.text(record.body.size)) is included." }
                }
                response = [
                    "status": record.status, "statusText": record.statusText, "httpVersion": record.httpVersion,
                    "headers": record.headers.map { ["name": $0.name, "value": $0.value] }, "cookies": [Any](),
                    "content": content, "redirectURL": record.header("Location") ?? "", "headersSize": -1, "bodySize": record.body.size,
                ]
            }
            let timings = exchange.timings
            var item: [String: Any] = [
                "startedDateTime": UTCTimestamp.string(from: exchange.startedAt),
                "time": timings.total,
                "request": request, "response": response, "cache": [String: Any](),
                "timings": ["send": timings.send ?? 0, "wait": timings.wait ?? -1, "receive": timings.receive ?? -1,
                            "blocked": -1, "dns": -1, "connect": -1, "ssl": -1],
                "_purpose": exchange.purpose,
            ]
            var comments: [String] = [exchange.purpose]
            if let sandboxURL = exchange.sandboxURL { comments.append("answered by the connwiz sandbox at \(sandboxURL)") }
            if let proxy = exchange.proxy { comments.append("sent through the proxy \(proxy)") }
            if let error = exchange.error { comments.append("error: \(error)"); item["_error"] = error }
            item["comment"] = comments.joined(separator: "; ")
            return item
        }
        let document: [String: Any] = ["log": [
            "version": "1.2",
            "creator": ["name": "connwiz", "version": ConnwizVersion.current],
            "pages": [Any](),
            "entries": entries,
            "comment": "\(entry.attempt.connectionName): \(entry.attempt.outcome.line)",
        ]]
        return try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    static func queryString(_ url: String) -> [[String: String]] {
        (URLComponents(string: url)?.queryItems ?? []).map { ["name": $0.name, "value": $0.value ?? ""] }
    }
}
