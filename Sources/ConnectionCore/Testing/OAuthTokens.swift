/// Where OAuth tokens obtained by authorizing are kept among a connection's secrets.
public enum OAuthTokens {
    /// The refresh token, sealed like any secret (filled by Save & authorize).
    public static let refreshTokenKey = "_oauth.refreshToken"
}
