import Foundation

/// The HTML of the sandbox's sign-in pages: small forms with every field named, so a test can
/// play the browser with a plain HTTP client. Shared by the Salesforce emulator and the
/// stand-ins connector files declare.
public enum SignInPage {
    public static func page(_ status: Int, _ title: String, _ body: String) -> SandboxResponse {
        .text(status, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>\(escape(title))</title></head>\n<body>\n\(body)\n</body></html>\n",
              type: "text/html; charset=utf-8")
    }

    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// `base` with query parameters added.
    public static func url(_ base: String, adding parameters: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let query = parameters.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
        return base + (base.contains("?") ? "&" : "?") + query
    }

    /// Where a page's form posts: the same path, keeping the host the browser's address named.
    public static func action(_ request: SandboxRequest) -> String {
        guard let host = request.query[SandboxService.browserHostParameter] else { return request.path }
        return request.path + "?" + SandboxService.browserHostParameter + "=" + host
    }

    /// The authorization request's parameters, carried from page to page.
    public static func passedOn(_ fields: [String: String]) -> [(String, String)] {
        ["response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"]
            .compactMap { name in fields[name].map { (name, $0) } }
    }

    /// The user-and-password step; `hint` says who may sign in.
    public static func login(_ request: SandboxRequest, title: String, heading: String, hint: String,
                             fields: [(String, String)], message: String?) -> SandboxResponse {
        let hidden = fields.map { "<input type=\"hidden\" name=\"\(escape($0.0))\" value=\"\(escape($0.1))\">" }.joined(separator: "\n")
        let warning = message.map { "<p class=\"error\" id=\"error\">\(escape($0))</p>\n" } ?? ""
        return page(200, title, """
            <h1>\(escape(heading))</h1>
            <p>\(escape(hint))</p>
            \(warning)<form method="post" action="\(escape(action(request)))">
            <input type="hidden" name="step" value="login">
            \(hidden)
            <label>Username <input type="text" name="username"></label>
            <label>Password <input type="password" name="password"></label>
            <button type="submit">Log In</button>
            </form>
            """)
    }

    /// The Allow-or-Deny step, carrying the ticket the password step issued.
    public static func consent(_ request: SandboxRequest, title: String, question: String, ticket: String) -> SandboxResponse {
        page(200, title, """
            <h1>Allow access?</h1>
            <p>\(escape(question))</p>
            <form method="post" action="\(escape(action(request)))">
            <input type="hidden" name="step" value="consent">
            <input type="hidden" name="ticket" value="\(escape(ticket))">
            <button type="submit" name="decision" value="allow">Allow</button>
            <button type="submit" name="decision" value="deny">Deny</button>
            </form>
            """)
    }

    /// Sends the browser back to `redirectURI` with `parameters`.
    public static func redirect(_ redirectURI: String, _ parameters: [(String, String)]) -> SandboxResponse {
        SandboxResponse(status: 302, headers: [("Location", url(redirectURI, adding: parameters)), ("Cache-Control", "no-store")])
    }
}
