import Crypto
import Foundation

/// Hides secrets before anything reaches a log line, a file or the screen.
///
/// It knows the connection's secret values (and tokens learned during the attempt) and the
/// names that always carry secrets (`Authorization`, `access_token`, `client_secret` …).
/// A hidden value becomes a short fingerprint, `sha256:1a2b3c4d…`, so two keys can be told
/// apart (and checked with `printf %s "$KEY" | sha256sum`) without being shown; a credential
/// header keeps its scheme word (`AppKey sha256:…`) so a wrong scheme stays visible.
public struct Redactor: Sendable {
    /// Header names whose whole value is a credential.
    public static let credentialHeaders: Set<String> = [
        "authorization", "proxy-authorization", "x-api-key", "api-key", "apikey", "x-auth-token",
        "cookie", "set-cookie", "x-amz-security-token",
    ]
    /// Query, form and JSON field names whose value is a secret.
    public static let secretNames: Set<String> = [
        "access_token", "refresh_token", "id_token", "client_secret", "assertion", "client_assertion",
        "password", "code", "code_verifier", "device_code", "token", "api_key", "apikey", "secret", "signature",
    ]
    /// The names hidden in JSON: `code` is an authorization code only in forms and queries; in
    /// a JSON body it is almost always an error code, which the operator needs to read.
    public static let jsonSecretNames: Set<String> = secretNames.subtracting(["code"])
    /// How the other names of secrets in JSON end, once case, `_` and `-` are set aside:
    /// `auth_token` (Twilio's account resource), `sessionToken`, `private_key`, `X-Api-Secret`,
    /// `SecretAccessKey`, `passphrase`, OAuth 1.0a's `consumerKey` (NetSuite keeps it secret).
    public static let jsonSecretEndings = [
        "token", "secret", "password", "passwd", "passphrase", "apikey", "privatekey", "secretkey", "accesskey",
        "signature", "assertion", "verifier", "consumerkey",
    ]
    /// Names that end like a secret's and are not one: cursors for the next page.
    public static let jsonNotSecretNames: Set<String> = ["nexttoken", "pagetoken", "nextpagetoken", "continuationtoken", "synctoken", "resumptiontoken"]

    /// Whether a JSON key names a secret, so its string value is hidden wherever it appears.
    public static func namesSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        if jsonSecretNames.contains(lowered) { return true }
        let squeezed = String(lowered.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
        return !jsonNotSecretNames.contains(squeezed) && jsonSecretEndings.contains { squeezed.hasSuffix($0) }
    }
    /// Values shorter than this are not hunted in free text: replacing every "abc" would
    /// mangle the log and hide nothing worth hiding.
    public static let minimumLength = 4

    /// Secrets in every form they may take on the wire, longest first.
    private(set) var needles: [(text: String, fingerprint: String)] = []
    /// Extra header names that carry a credential for this connection (a custom auth header).
    private(set) var extraCredentialHeaders: Set<String> = []
    /// Dotted paths into JSON responses whose values the connector declares secret
    /// (`account.keys.primary`, `items.*.token`); `*` stands for any key or array item.
    public var secretPaths: [String] = []

    public init(secrets: [String] = [], credentialHeaders: [String] = []) {
        for secret in secrets { add(secret) }
        for name in credentialHeaders { extraCredentialHeaders.insert(name.lowercased()) }
    }

    /// The fingerprint that stands for `value`.
    public static func fingerprint(_ value: String) -> String {
        let digest = SHA256.hash(data: Data(value.utf8))
        return "sha256:" + digest.prefix(4).map { String(format: "%02x", $0) }.joined() + "…"
    }

    /// Learns a secret: from now on it is hidden wherever it appears, raw, percent-encoded,
    /// JSON-escaped, base64 (standard or URL-safe, with or without padding) or hex.
    public mutating func add(_ secret: String) {
        guard secret.count >= Self.minimumLength else { return }
        let fingerprint = Self.fingerprint(secret)
        var forms: Set<String> = [secret]
        let base64 = Data(secret.utf8).base64EncodedString()
        let urlSafe = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        for encoded in [base64, urlSafe] {
            forms.insert(encoded)
            var unpadded = encoded
            while unpadded.hasSuffix("=") { unpadded.removeLast() }
            forms.insert(unpadded)
        }
        let hex = secret.utf8.map { String(format: "%02x", $0) }.joined()
        forms.insert(hex)
        forms.insert(hex.uppercased())
        // Spelled out in \u escapes, as a JSON writer may: caught even in a body too large to
        // be decoded whole, which is redacted as a stream.
        let escaped = secret.utf16.map { String(format: "\\u%04x", $0) }.joined()
        forms.insert(escaped)
        forms.insert(escaped.uppercased().replacingOccurrences(of: "\\U", with: "\\u"))
        if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) { forms.insert(encoded) }
        forms.insert(secret.replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: " ", with: "+"))
        if let json = try? JSONSerialization.data(withJSONObject: [secret], options: [.fragmentsAllowed]),
           let text = String(data: json, encoding: .utf8) {
            forms.insert(String(text.dropFirst(2).dropLast(2)))
        }
        if secret.unicodeScalars.contains(where: ServiceText.isUnsafe) {
            // The forms that escape only their control characters: Swift's own
            // (`\u{7F}`, as an error or a debug print writes it) and JSON's (`\u007f`).
            forms.insert(String(secret.debugDescription.dropFirst().dropLast()))
            for uppercase in [false, true] {
                forms.insert(secret.unicodeScalars.map { scalar in
                    guard ServiceText.isUnsafe(scalar) else { return String(scalar) }
                    let hex = String(format: "%04x", scalar.value)
                    return "\\u" + (uppercase ? hex.uppercased() : hex)
                }.joined())
            }
        }
        for form in forms where !needles.contains(where: { $0.text == form }) {
            needles.append((form, fingerprint))
        }
        needles.sort { $0.text.utf8.count > $1.text.utf8.count }
    }

    public mutating func addCredentialHeader(_ name: String) {
        extraCredentialHeaders.insert(name.lowercased())
    }

    /// Whether `name` is a header whose whole value is a credential: one of the fixed names,
    /// or one the connection's auth scheme declared.
    public func isCredentialHeader(_ name: String) -> Bool {
        let lower = name.lowercased()
        return Self.credentialHeaders.contains(lower) || extraCredentialHeaders.contains(lower)
    }

    /// Whether `text` holds a known secret in any of the forms `add` learned.
    public func holdsSecret(_ text: String) -> Bool {
        needles.contains { text.contains($0.text) }
    }

    /// The longest needle in bytes, for the streaming redactor's overlap.
    var longestNeedle: Int { needles.first?.text.utf8.count ?? 0 }

    // MARK: Redacting

    /// Free text with every known secret replaced by its fingerprint.
    public func text(_ text: String) -> String {
        guard !needles.isEmpty else { return text }
        var result = text
        for needle in needles where result.contains(needle.text) {
            result = result.replacingOccurrences(of: needle.text, with: needle.fingerprint)
        }
        return result
    }

    /// A header as the log keeps it: its name with any secret in it hidden (a service may
    /// echo a key as a header name), its value as `header(name:value:)` says.
    public func headerField(name: String, value: String) -> HeaderField {
        HeaderField(text(name), header(name: name, value: value))
    }

    /// A header value: a credential header keeps only its scheme word.
    public func header(name: String, value: String) -> String {
        let lower = name.lowercased()
        guard Self.credentialHeaders.contains(lower) || extraCredentialHeaders.contains(lower) else { return text(value) }
        if lower == "cookie" || lower == "set-cookie" { return cookie(value) }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        if parts.count == 2, parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            return parts[0] + " " + Self.fingerprint(String(parts[1]))
        }
        return value.isEmpty ? value : Self.fingerprint(value)
    }

    /// A URL whose secret query parameters read as fingerprints.
    public func url(_ url: String) -> String {
        guard let queryStart = url.firstIndex(of: "?") else { return text(url) }
        let query = url[url.index(after: queryStart)...]
        return text(String(url[..<queryStart])) + "?" + form(String(query))
    }

    /// An `a=1&b=2` body or query whose secret fields read as fingerprints.
    public func form(_ body: String) -> String {
        body.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return text(String(pair)) }
            let name = String(pair[..<equals])
            let value = String(pair[pair.index(after: equals)...])
            let decodedName = name.removingPercentEncoding ?? name
            if Self.secretNames.contains(decodedName.lowercased()) && !value.isEmpty {
                let raw = (value.replacingOccurrences(of: "+", with: " ")).removingPercentEncoding ?? value
                return name + "=" + Self.fingerprint(raw)
            }
            return name + "=" + text(value)
        }.joined(separator: "&")
    }

    /// A body of any type: JSON fields and form fields with secret names are hidden along
    /// with every known secret, and the text otherwise stays exactly as it was.
    public func body(_ data: Data, mimeType: String?) -> String {
        guard let text = String(data: data, encoding: .utf8) else {
            return "(\(data.count) bytes of binary data, not shown)"
        }
        var local = self
        let mime = mimeType?.lowercased() ?? ""
        if mime.contains("x-www-form-urlencoded") { return local.form(text) }
        if mime.contains("json") || text.first == "{" || text.first == "[" {
            if let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) {
                for value in Self.secretValues(in: object) { local.add(value) }
                for path in secretPaths {
                    for value in Self.values(at: path.split(separator: ".").map(String.init), in: object) { local.add(value) }
                }
                return local.text(local.escapedLiterals(in: text))
            }
        }
        return local.text(text)
    }

    /// JSON text whose string literals with escapes (`"\u0065\u0063…"`) are redacted as they
    /// read once decoded: a literal that hides a secret behind escapes is written anew, as
    /// plain JSON, with the secret as its fingerprint. Other bytes stay as they were.
    func escapedLiterals(in json: String) -> String {
        let bytes = Array(json.utf8)
        guard bytes.contains(UInt8(ascii: "\\")) else { return json }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\"") else {
                output.append(bytes[index])
                index += 1
                continue
            }
            var end = index + 1
            var escaped = false
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                if bytes[end] == UInt8(ascii: "\\") {
                    escaped = true
                    end += 1
                }
                end += 1
            }
            end = min(end, bytes.count - 1)
            let literal = Array(bytes[index...end])
            index = end + 1
            guard escaped, let decoded = try? JSONSerialization.jsonObject(with: Data(literal), options: [.fragmentsAllowed]) as? String else {
                output += literal
                continue
            }
            let redacted = text(decoded)
            guard redacted != decoded, let encoded = try? JSONSerialization.data(withJSONObject: redacted, options: [.fragmentsAllowed]) else {
                output += literal
                continue
            }
            output += Array(encoded)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The values at a dotted path, `*` matching every key or item; numbers and booleans as text.
    static func values(at path: [String], in object: Any) -> [String] {
        guard let first = path.first else {
            switch object {
            case let string as String: return [string]
            case let number as NSNumber: return [number.stringValue]
            default: return []
            }
        }
        let rest = Array(path.dropFirst())
        switch object {
        case let dictionary as [String: Any]:
            if first == "*" { return dictionary.values.flatMap { values(at: rest, in: $0) } }
            return dictionary[first].map { values(at: rest, in: $0) } ?? []
        case let array as [Any]:
            if first == "*" { return array.flatMap { values(at: rest, in: $0) } }
            guard let index = Int(first), array.indices.contains(index) else { return [] }
            return values(at: rest, in: array[index])
        default:
            return []
        }
    }

    /// The string values of secret-named keys anywhere in a JSON value.
    static func secretValues(in object: Any) -> [String] {
        switch object {
        case let dictionary as [String: Any]:
            return dictionary.flatMap { key, value -> [String] in
                if Self.namesSecret(key), let string = value as? String { return [string] }
                return secretValues(in: value)
            }
        case let array as [Any]:
            return array.flatMap { secretValues(in: $0) }
        default:
            return []
        }
    }

    private func cookie(_ value: String) -> String {
        value.split(separator: ";", omittingEmptySubsequences: false).map { part -> String in
            guard let equals = part.firstIndex(of: "=") else { return String(part) }
            let name = part[..<equals]
            let attribute = name.trimmingCharacters(in: .whitespaces).lowercased()
            if ["path", "domain", "expires", "max-age", "samesite"].contains(attribute) { return String(part) }
            return name + "=" + Self.fingerprint(String(part[part.index(after: equals)...]))
        }.joined(separator: ";")
    }

    // MARK: Streaming

    /// Redacts a byte stream chunk by chunk, holding back just enough to catch a secret split
    /// across two chunks.
    public struct Stream {
        private let needles: [(bytes: [UInt8], fingerprint: [UInt8])]
        private let overlap: Int
        private var carry: [UInt8] = []

        init(_ redactor: Redactor) {
            needles = redactor.needles.map { (Array($0.text.utf8), Array($0.fingerprint.utf8)) }
            overlap = max(0, redactor.longestNeedle - 1)
        }

        /// The redacted bytes that are safe to write now.
        public mutating func feed(_ chunk: some Collection<UInt8>) -> [UInt8] {
            carry.append(contentsOf: chunk)
            guard !needles.isEmpty else { defer { carry.removeAll(keepingCapacity: true) }; return carry }
            let limit = carry.count - overlap
            guard limit > 0 else { return [] }
            let (output, consumed) = redact(upTo: limit)
            carry.removeFirst(consumed)
            return output
        }

        /// Everything still held back, redacted.
        public mutating func finish() -> [UInt8] {
            let (output, _) = redact(upTo: carry.count)
            carry.removeAll()
            return output
        }

        private func redact(upTo limit: Int) -> ([UInt8], Int) {
            var output: [UInt8] = []
            output.reserveCapacity(limit + 64)
            var position = 0
            carry.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                while position < limit {
                    var best: (at: Int, needle: Int)?
                    for (index, needle) in needles.enumerated() {
                        let found = needle.bytes.withUnsafeBytes { bytes in
                            Self.find(bytes, in: base, from: position, count: buffer.count)
                        }
                        if let found, found < (best?.at ?? Int.max) { best = (found, index) }
                    }
                    guard let best, best.at < limit else {
                        output.append(contentsOf: buffer[position..<limit])
                        position = limit
                        break
                    }
                    output.append(contentsOf: buffer[position..<best.at])
                    output.append(contentsOf: needles[best.needle].fingerprint)
                    position = best.at + needles[best.needle].bytes.count
                }
            }
            return (output, position)
        }

        /// The offset of the first `needle` in `base[from..<count]` (memchr for the first byte,
        /// memcmp for the rest; Glibc's memmem is not visible to Swift).
        static func find(_ needle: UnsafeRawBufferPointer, in base: UnsafeRawPointer, from: Int, count: Int) -> Int? {
            guard let first = needle.first, let needleBase = needle.baseAddress, needle.count > 0 else { return nil }
            var start = from
            while count - start >= needle.count {
                guard let hit = memchr(base + start, Int32(first), count - start - needle.count + 1) else { return nil }
                let offset = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(hit, needleBase, needle.count) == 0 { return offset }
                start = offset + 1
            }
            return nil
        }
    }

    /// A streaming redactor for a body.
    public func stream() -> Stream { Stream(self) }
}

extension CharacterSet {
    /// Characters left alone in a query value (`&`, `=`, `+` are encoded).
    static let urlQueryValueAllowed: CharacterSet = {
        var set = CharacterSet.urlQueryAllowed
        set.remove(charactersIn: "&=+?/")
        return set
    }()
}
