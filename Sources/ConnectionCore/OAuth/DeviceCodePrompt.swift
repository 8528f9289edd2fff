/// What the operator needs to sign a device in (RFC 8628 §3.3): the code to type and the page
/// to type it on, from any browser on any machine.
public struct DeviceCodePrompt: Sendable, Hashable {
    public var userCode: String
    public var verificationURI: String
    /// The page with the code already filled in, when the service offers one.
    public var completeURI: String?
    public var expiresIn: Int
    /// The page as a browser here opens it: under `--sandbox`, the sandbox's (the real one is
    /// `verificationURI`); nil when it is the real one.
    public var sandboxURI: String?

    public init(userCode: String, verificationURI: String, completeURI: String?, expiresIn: Int) {
        // Service text, shown on a terminal: no control character gets through.
        self.userCode = ServiceText.printable(userCode)
        self.verificationURI = ServiceText.printable(verificationURI)
        self.completeURI = completeURI.map(ServiceText.printable)
        self.expiresIn = expiresIn
    }
}

/// What a device sign-in reports while it runs.
public enum DeviceSignInEvent: Sendable, Hashable {
    /// Show the code and the page.
    case code(DeviceCodePrompt)
    /// The service says nobody has signed in yet (`authorization_pending`); said once.
    case pending
    /// The service asked to poll less often (`slow_down`): now every `interval` seconds.
    case slowDown(interval: Int)
}
