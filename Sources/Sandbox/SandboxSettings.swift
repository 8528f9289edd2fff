/// How the sandbox behaves where tests need it to differ from the real services: how long an
/// access token lives (so a refresh can be seen) and how often a device may poll.
public struct SandboxSettings: Sendable, Hashable {
    /// Seconds an issued access token stays valid (Salesforce's sessions last two hours).
    public var tokenLifetime: Int
    /// Seconds a device must wait between polls (`interval`; Salesforce says 5).
    public var deviceInterval: Int
    /// Seconds a device code stays valid before `expired_token`.
    public var deviceCodeLifetime: Int
    /// Seconds an authorization code stays valid before it is refused.
    public var codeLifetime: Int
    /// Milliseconds every answer waits before it is sent, so that tests see requests overlap.
    public var latency: Int
    /// A refresh answer carries a new refresh token and the one used stops working, as
    /// QuickBooks, Xero and OAuth 2.1 servers do (Salesforce keeps it by default).
    public var rotatesRefreshTokens: Bool

    public init(tokenLifetime: Int = 7200, deviceInterval: Int = 5, deviceCodeLifetime: Int = 600, codeLifetime: Int = 120,
                latency: Int = 0, rotatesRefreshTokens: Bool = false) {
        self.rotatesRefreshTokens = rotatesRefreshTokens
        self.latency = latency
        self.tokenLifetime = tokenLifetime
        self.deviceInterval = deviceInterval
        self.deviceCodeLifetime = deviceCodeLifetime
        self.codeLifetime = codeLifetime
    }
}
