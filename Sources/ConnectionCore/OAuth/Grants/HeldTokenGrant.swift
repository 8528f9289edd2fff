import ConnectorSchema
import Foundation

/// A browser grant's tokens as the store holds them: the access token while it is good
/// (no token request at all), else a refresh.
struct HeldTokenGrant: GrantRunner {
    /// How long before its expiry a held access token counts as spent.
    static let margin: TimeInterval = 30

    func token(_ oauth: OAuth2Settings, in run: inout AttemptRun) async -> TokenResult {
        if let held = run.subject.credentials, let access = held.accessToken, !access.isEmpty,
           (held.expiresAt ?? .distantFuture) > run.clock().addingTimeInterval(Self.margin) {
            run.mayRefresh = held.refreshToken?.isEmpty == false
            return .success(AccessToken(accessToken: access, type: "Bearer", baseURI: held.instanceURL))
        }
        return await RefreshGrant().token(oauth, in: &run)
    }
}
