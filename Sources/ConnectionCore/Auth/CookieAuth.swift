import ConnectorSchema
import Foundation
import NIOConcurrencyHelpers

/// A login request first (method, URL, body template), then the tests carry what it gave: the
/// session cookies it set, each only to its own domain and path, or, with `tokenPath`, a token
/// taken from its JSON body and sent in a header (Magento's admin token, many "session" APIs).
public struct CookieAuth: AuthScheme {
    public var loginURL: String
    public var loginMethod: String
    public var loginBody: String?
    public var loginContentType: String
    public var tokenPath: String?
    public var headerName: String
    public var scheme: String?

    init(_ spec: AuthSpec, fill: (Template?) -> String?) {
        loginURL = fill(spec.loginURL) ?? ""
        loginMethod = (fill(spec.loginMethod) ?? "POST").uppercased()
        loginBody = fill(spec.loginBody)
        loginContentType = fill(spec.loginContentType) ?? "application/json"
        tokenPath = fill(spec.tokenPath)
        headerName = fill(spec.headerName) ?? "Authorization"
        let word = fill(spec.scheme) ?? (spec.headerName == nil ? "Bearer" : "none")
        scheme = word.lowercased() == "none" ? nil : word
    }

    func describe(baseURI: String, redactor: Redactor) -> [String] {
        var lines = ["login first: \(loginMethod) \(redactor.url(ConnectionResolver.join(baseURI, loginURL)))"
                     + (loginBody.map { " with a \(loginContentType) body of \(ByteSize.text($0.utf8.count))" } ?? "")]
        if let tokenPath {
            lines.append("header \(headerName): " + (scheme.map { "\($0) " } ?? "") + "<the token at \(tokenPath) in the login response>")
        } else {
            lines.append("header Cookie: <the session cookies the login set, each to its own domain and path>")
        }
        return lines
    }

    func export(mask: String?, notes: inout [String]) -> [String: Any] {
        var cookie: [String: Any] = ["uri": loginURL, "method": loginMethod, "body": loginBody.map { mask == nil ? $0 : (mask ?? "") } ?? ""]
        if mask != nil, loginBody != nil { notes.append("The login body holds the credentials and is exported masked; write it again in integrator.io.") }
        if let tokenPath {
            cookie["tokenPath"] = tokenPath
            cookie["headerName"] = headerName
            cookie["scheme"] = scheme ?? CeligoDocument.noScheme
        }
        return ["type": "cookie", "cookie": cookie]
    }

    func prepare(for settings: HTTPSettings, in run: inout AttemptRun) async -> AuthPreparation {
        let url = ConnectionResolver.join(settings.baseURI, loginURL)
        let request = OutgoingRequest(purpose: "Login request", method: loginMethod, url: url,
                                      headers: [HeaderField("Accept", "application/json")],
                                      body: loginBody.map { Data($0.utf8) }, contentType: loginBody == nil ? nil : loginContentType,
                                      bodyCarriesCredential: loginBody != nil)
        let first = run.exchanges.count
        let results = await run.sendFollowing(request)
        let last = results[results.count - 1]
        if let outcome = run.judge(last, rule: SuccessRule(), step: "Login request") { return .stop(outcome) }
        if let tokenPath {
            guard let token = Self.token(at: tokenPath, in: last.body), !token.isEmpty, !ServiceText.hasControlCharacters(token) else {
                return .stop(TestOutcome(kind: .unreadableResponse,
                                         line: "Login request failed: \(last.status ?? 0), but its body holds no token at \(tokenPath)",
                                         status: last.status, exchangeIndex: last.exchange.index))
            }
            run.redactor.add(token)
            run.hideLearnedSecrets(from: first)
            run.redactor.addCredentialHeader(headerName)
            return .ready(RequestSigning(headers: [HeaderField(headerName, scheme.map { "\($0) \(token)" } ?? token)]))
        }
        var jar = CookieJar()
        for result in results { jar.take(result.setCookies, from: result.requestURL) }
        guard !jar.cookies.isEmpty else {
            return .stop(TestOutcome(kind: .unreadableResponse, line: "Login request failed: \(last.status ?? 0), but it set no cookie",
                                     status: last.status, exchangeIndex: last.exchange.index,
                                     hint: "Check the login URL and body: a login that starts a session answers with Set-Cookie."))
        }
        for cookie in jar.cookies { run.redactor.add(cookie.value) }
        run.hideLearnedSecrets(from: first)
        return .ready(RequestSigning(signer: Sender(jar: jar)))
    }

    /// The token at a dotted path of a JSON body; `.` is the body itself (a JSON string).
    static func token(at path: String, in body: Data?) -> String? {
        guard let body, let object = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else { return nil }
        let found: Any? = path == "." ? object : SuccessJudge.value(at: path, in: object)
        return found as? String
    }

    /// Puts the cookies that belong to each request's URL on it.
    struct Sender: RequestSigner {
        var jar: CookieJar

        func sign(_ request: inout OutgoingRequest) {
            request.headers.removeAll { $0.name.lowercased() == "cookie" }
            if let header = jar.header(for: request.url) { request.headers.append(HeaderField("Cookie", header)) }
        }
    }
}
