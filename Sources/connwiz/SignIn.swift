import ArgumentParser
import ConnectionCore
import Connections
import ConnectorSchema
import Foundation

/// How a connection signs in: `--device`, `--no-browser`, `--auth-timeout`, for `authorize`
/// and `new … --authorize`.
struct SignInOptions: ParsableArguments {
    @Flag(name: .long, help: "Sign in with a code on another device (RFC 8628) instead of a browser on this machine.")
    var device = false

    @Flag(name: .customLong("no-browser"), help: "Show the sign-in address instead of opening a browser (over SSH this is the default).")
    var noBrowser = false

    @Option(name: .customLong("auth-timeout"), help: ArgumentHelp("Seconds to wait for the browser or the device (default 300).", valueName: "seconds"))
    var authTimeout = 300

    func validate() throws {
        guard (5...3600).contains(authTimeout) else { throw ValidationError("--auth-timeout takes 5 to 3600 (seconds)") }
        if device && noBrowser { throw ValidationError("--device opens no browser anyway; use one of --device and --no-browser") }
    }
}

/// What the sign-in flags chose, as a plain value (an unparsed `SignInOptions` cannot be read).
struct SignInChoice: Sendable {
    var device = false
    var openBrowser = true
    var timeout = 300

    var method: AuthorizeOptions.Method { device ? .device : .browser(openBrowser: openBrowser) }
}

extension SignInOptions {
    var choice: SignInChoice { SignInChoice(device: device, openBrowser: !noBrowser, timeout: authTimeout) }
}

/// Signs a saved connection in from the line front ends and reports it: the address to open
/// (whole, on a line of its own, so it can be selected), the paste prompt, the device code, then
/// the logged attempt as `test` prints it.
struct SignIn {
    let options: SignInChoice
    let cases: ConnectionUseCases
    /// Print the outcome as JSON on standard output; what to open goes to standard error.
    var json = false

    struct Summary: Encodable {
        let version = 1
        let connection: String
        let authorized: Bool
        let line: String
        let test: AttemptSummary?
    }

    /// Returns true when tokens were obtained and stored.
    @discardableResult
    func run(_ connection: StoredConnection) async throws -> Bool {
        let pasting = options.device ? nil : PastedLines.start()
        defer { pasting?.stop() }
        let authorizeOptions = AuthorizeOptions(method: options.method, timeout: options.timeout, pasted: pasting?.lines)
        let cases = self.cases, name = connection.name, timeout = options.timeout, json = self.json
        let outcome = try await Interruptible.run {
            try await cases.authorize(connection, options: authorizeOptions) { progress in
                Self.show(progress, name: name, timeout: timeout, say: json ? Output.note : Output.print)
            }
        }
        if json {
            try Output.json(Summary(connection: connection.name, authorized: outcome.signedIn, line: outcome.line,
                                    test: outcome.run.map { AttemptSummary($0.attempt, number: $0.number) }))
            if outcome.signedIn && outcome.run?.passed == true { return true }
            throw CLIFailure.quiet(outcome.failure == .cancelled ? 130 : 1)
        }
        if let failure = outcome.failure {
            Output.error(failure.description)
            throw CLIFailure.quiet(failure == .cancelled ? 130 : 1)
        }
        guard let run = outcome.run else { throw CLIFailure.failed("not authorized") }
        try TestPrinter.print(run, json: false, logName: connection.name)
        if outcome.signedIn {
            Output.print("Authorized: the tokens for “\(connection.name)” are stored, encrypted." + (run.passed ? "" : " The test after signing in failed; see above."))
            if !run.passed { throw CLIFailure.quiet(1) }
            return true
        }
        Output.error("not authorized: " + run.attempt.outcome.line)
        throw CLIFailure.quiet(run.attempt.outcome.kind == .cancelled ? 130 : 1)
    }

    static func show(_ progress: AuthorizationProgress, name: String, timeout: Int, say: (String) -> Void = Output.print) {
        switch progress {
        case .waitingForBrowser(let signIn):
            say(signIn.opened ? "A browser was opened to sign in for “\(name)”. If it did not appear, open this address:"
                                       : "To authorize “\(name)”, open this address in a browser and sign in:")
            say("")
            say("  " + signIn.url)
            say("")
            if let real = signIn.realURL {
                say("(The sandbox stands in for the real sign-in page, which is:")
                say("  " + real + " )")
                say("")
            }
            say("Waiting up to \(timeout >= 60 && timeout % 60 == 0 ? "\(timeout / 60) min" : "\(timeout) s") for the browser to come back (Ctrl-C cancels).")
            say("If the browser runs on another machine, its last page will fail to load: copy that page's address")
            say("(it starts with \(signIn.redirectURI.components(separatedBy: "/connwiz/").first ?? "http://127.0.0.1")), paste it here and press Enter.")
        case .pasteRejected(let why):
            say(why + ". Paste the address again, or wait for the browser.")
        case .device(let prompt):
            say("To authorize “\(name)”, open this page on any device with a browser:")
            say("")
            say("  " + (prompt.sandboxURI ?? prompt.completeURI ?? prompt.verificationURI))
            say("")
            if prompt.sandboxURI != nil {
                say("(The sandbox stands in for \(prompt.completeURI ?? prompt.verificationURI).)")
                say("")
            }
            say("and enter the code:  \(prompt.userCode)")
            say("")
            say("Waiting for the sign-in (the code is valid for \(prompt.expiresIn >= 60 ? "\(prompt.expiresIn / 60) min" : "\(prompt.expiresIn) s"); Ctrl-C cancels)…")
        case .devicePoll(.pending):
            say("Nobody has signed in with the code yet (authorization_pending); still waiting…")
        case .devicePoll(.slowDown(let interval)):
            say("The service asked connwiz to poll less often (slow_down); now every \(interval) s.")
        case .devicePoll(.code):
            break
        case .exchanging:
            say("Signed in; exchanging the code for tokens and testing the connection…")
        }
    }
}

/// Lines typed on standard input while a sign-in waits, read with poll(2) so that reading
/// stops when the sign-in ends and no line meant for a later prompt is taken.
final class PastedLines: @unchecked Sendable {
    let lines: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation
    private let lock = NSLock()
    private var stopped = false

    private init() {
        (lines, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(8))
    }

    static func start() -> PastedLines {
        let reader = PastedLines()
        Thread.detachNewThread { reader.read() }
        return reader
    }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        continuation.finish()
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func read() {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !isStopped {
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 200)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            let count = Foundation.read(STDIN_FILENO, &buffer, buffer.count)
            if count <= 0 { break }
            pending += buffer[0..<count]
            // An address is a few kilobytes at most; anything longer is not one.
            if pending.count > 64 << 10 { pending.removeAll() }
            while let newline = pending.firstIndex(where: { $0 == 10 || $0 == 13 }) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                continuation.yield(line)
            }
        }
        continuation.finish()
    }
}
