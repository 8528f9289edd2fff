import ConnectorSchema
import Foundation
import NIOSSL

/// One test attempt while it runs: the connection's auth scheme readies its credential (a
/// token request, when it needs one), then every test request is sent, signed, and judged.
/// It keeps every exchange and what the attempt learned about the connection's tokens.
struct AttemptRun {
    let subject: ConnectionTester.Subject
    let client: ExchangeClient
    let folder: URL
    let clock: @Sendable () -> Date
    var redactor: Redactor
    var exchanges: [Exchange] = []
    /// Tokens this attempt obtained, to be stored.
    var obtained: ObtainedCredentials?
    var authorizationLost = false
    /// The refresh token the service refused, to forget only if it is still the one held.
    var refusedRefreshToken: String?
    /// The access token came from the store, so a 401 may mean it expired: refresh once.
    var mayRefresh = false
    /// The connection's own TLS settings (a client certificate), for every request of the attempt.
    var tls: TLSConfiguration?

    init(subject: ConnectionTester.Subject, client: ExchangeClient, folder: URL, clock: @escaping @Sendable () -> Date) {
        self.clock = clock
        self.subject = subject
        self.client = client
        self.folder = folder
        var secrets = subject.schema.secretTexts(in: subject.values)
        if let credentials = subject.credentials { secrets += credentials.tokens.values }
        redactor = Redactor(secrets: secrets)
        redactor.secretPaths = subject.schema.http?.secretPaths ?? []
    }

    mutating func execute() async -> TestOutcome {
        var settings: HTTPSettings
        do {
            settings = try ConnectionResolver.resolve(schema: subject.schema, values: ConnectionResolver.values(subject.values, with: subject.credentials))
        } catch {
            return TestOutcome(kind: .notSent, line: "Not tested: \(error)")
        }
        var base = settings.baseURI
        if let certificate = settings.clientCertificate {
            do { tls = try certificate.configuration(base: client.tls) } catch {
                return TestOutcome(kind: .notSent, line: "Not tested: \(error)")
            }
        }
        var signing = RequestSigning()
        if let auth = settings.auth {
            switch await auth.scheme.prepare(for: settings, in: &self) {
            case .stop(let outcome): return outcome
            case .ready(let ready): signing = ready
            }
        }
        if let fresh = obtained, fresh.callbackValues != (subject.credentials?.callbackValues ?? [:]),
           let again = try? ConnectionResolver.resolve(schema: subject.schema, values: ConnectionResolver.values(subject.values, with: fresh)) {
            // The sign-in's callback brought values the test requests are built from (`realmId`).
            settings.tests = again.tests
            base = again.baseURI
        }
        if let instance = signing.baseURI {
            base = instance
            while base.hasSuffix("/") { base.removeLast() }
        }
        let allowed = signing.allowedHosts.map { Self.allowedHosts($0, base: base) }

        var last: ExchangeResult?
        for test in settings.tests {
            var url = ConnectionResolver.join(base, test.path)
            if let (name, value) = signing.query {
                url += (url.contains("?") ? "&" : "?") + OutgoingRequest.formEncode(name) + "=" + OutgoingRequest.formEncode(value)
            }
            if let allowed, let refusal = Self.refusal(url, allowed: allowed) { return refusal }
            var headers = Self.defaultHeaders.filter { header in
                !test.headers.keys.contains { $0.lowercased() == header.name.lowercased() }
            } + signing.headers
            for (name, value) in test.headers.sorted(by: { $0.key < $1.key }) { headers.append(HeaderField(name, value)) }
            var request = OutgoingRequest(purpose: test.name, method: test.method, url: url, headers: headers,
                                          body: test.body.map { Data($0.utf8) },
                                          contentType: test.body == nil ? nil : "application/json")
            request.signer = signing.signer
            var result = await send(request)
            if result.status == 401, mayRefresh, let oauth = signing.renewal {
                // A stored access token that expired, or was revoked: refresh once, retry once.
                mayRefresh = false
                switch await RefreshGrant().token(oauth, in: &self) {
                case .failure(let outcome): return outcome
                case .success(let token):
                    let header = oauth.header(for: token)
                    signing.headers = signing.headers.filter { $0.name.lowercased() != header.name.lowercased() } + [header]
                    request.headers = request.headers.filter { $0.name.lowercased() != header.name.lowercased() } + [header]
                    request.purpose = test.name + " (again, with the renewed token)"
                    result = await send(request)
                }
            }
            if let outcome = judge(result, rule: test.success, errorPath: test.errorPath, errorHeader: test.errorHeader,
                                   explain: test.explain, step: nil) { return outcome }
            last = result
        }
        guard let last, let response = last.exchange.response else {
            return TestOutcome(kind: .notSent, line: "Not tested: the connector declares no test request")
        }
        let total = exchanges.reduce(0) { $0 + $1.timings.total }
        return TestOutcome(kind: .succeeded,
                           line: "Test succeeded: \(response.status) \(response.statusText) in \(ElapsedTime.text(milliseconds: total))",
                           status: response.status, exchangeIndex: last.exchange.index)
    }

    /// Headers every test request carries unless the connector sets one of the same name
    /// (in any case), which then replaces it.
    static let defaultHeaders = [HeaderField("Accept", "application/json")]

    /// Hosts a credential may go to: those declared, else the base URI's alone.
    static func allowedHosts(_ declared: [String], base: String) -> [String] {
        declared.isEmpty ? [URL(string: base)?.host?.lowercased() ?? ""] : declared
    }

    /// The outcome when `url`'s host is not one the token may go to.
    static func refusal(_ url: String, allowed: [String]) -> TestOutcome? {
        guard let host = URL(string: url)?.host?.lowercased(),
              !allowed.contains(where: { host == $0 || host.hasSuffix("." + $0) }) else { return nil }
        return TestOutcome(kind: .notSent,
                           line: "Not sent: \(host) is not among the valid domain names (\(allowed.joined(separator: ", "))), so no OAuth token was sent there",
                           hint: "Add the host to Valid domain names if it belongs to you, or correct the domain.")
    }

    /// Sends a request (and its redirects), keeping every exchange.
    /// Hides, in the exchanges from `first` on, what the redactor learned after they were
    /// recorded: a login answers with the token the tests will carry (Magento's body is the
    /// token itself, under no name that says so).
    mutating func hideLearnedSecrets(from first: Int) {
        for index in exchanges.indices where index >= first {
            guard var response = exchanges[index].response else { continue }
            response.headers = response.headers.map { HeaderField($0.name, redactor.text($0.value)) }
            if let text = response.body.text { response.body.text = redactor.text(text) }
            if let file = response.body.file {
                let path = folder.appendingPathComponent(file).path
                if let data = FileManager.default.contents(atPath: path) {
                    let hidden = redactor.text(String(decoding: data, as: UTF8.self))
                    try? FileManager.default.removeItem(atPath: path)
                    try? LogFile.create(path, contents: Data(hidden.utf8))
                }
            }
            exchanges[index].response = response
        }
    }

    /// Sends a request and its redirects, keeping every exchange, and returns every hop.
    mutating func sendFollowing(_ request: OutgoingRequest) async -> [ExchangeResult] {
        var request = request
        if request.tls == nil { request.tls = tls }
        let results = await client.perform(request, firstIndex: exchanges.count + 1, redactor: redactor, folder: folder)
        exchanges.append(contentsOf: results.map(\.exchange))
        return results
    }

    /// A signer that learns from a challenge (Digest's 401, a stale nonce) gets the request
    /// sent again, at most twice.
    mutating func send(_ first: OutgoingRequest) async -> ExchangeResult {
        var request = first
        var answered = 0
        while true {
            let results = await sendFollowing(request)
            let last = results[results.count - 1]
            guard last.status == 401, answered < 2, let signer = request.signer, signer.learn(from: last) else { return last }
            answered += 1
            request.purpose = first.purpose + " (again, answering the server's challenge)"
        }
    }
}
