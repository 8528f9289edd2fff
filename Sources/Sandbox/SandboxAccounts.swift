/// The accounts the sandbox knows, printed by `connwiz sandbox`. Anything else gets the real
/// service's failure.
public enum SandboxAccounts {
    /// The secrets `/_faults/account` answers with (an account resource that holds secrets
    /// of its own), for tests that look for them in every output.
    public static let faultAccountSecrets = ["acct-auth-token-5f1e2d3c4b5a", "acct-session-token-0a9b8c7d6e",
                                             "acct-private-key-77aa88bb99", "acct-api-secret-1234abcd5678"]

    /// The key `/_faults/keyed-account` answers under `account.keys.primary`, a name no
    /// default rule takes for a secret.
    public static let faultKeyedSecret = "keyed-primary-9c1d5e7a3b"

    public static let integratorNorthAmericaToken = "sbx-io-na-token"
    public static let integratorEuropeToken = "sbx-io-eu-token"

    /// The NetSuite sandbox account (as the realm spells it) and its token-based credentials.
    public static let netsuiteAccount = "1234567_SB1"
    public static let netsuiteConsumerKey = "sbxns-consumer-key-6f2a9c41d7e0b3a85c1f"
    public static let netsuiteConsumerSecret = "sbxns-consumer-secret-0d4e7b19a2c65f83e7"
    public static let netsuiteTokenID = "sbxns-token-id-93b0c7e2f15a48d6b2e"
    public static let netsuiteTokenSecret = "sbxns-token-secret-5a8e1f07c3d92b64a"

    public static let celonisTeam = "acme.eu-1"
    public static let celonisAppKey = "sbx-celonis-appkey"
    public static let celonisAPIKey = "sbx-celonis-apikey"
    public static let celonisPool = "pool-abc123"
    public static let celonisClientID = "sbx-celonis-client"
    public static let celonisClientSecret = "sbx-celonis-secret"
    public static let celonisScopes = ["studio", "integration.data-pools"]

    public static let salesforceClientID = "sbx-sf-client"
    public static let salesforceClientSecret = "sbx-sf-secret"
    public static let salesforceProductionUser = "operator@example.com"
    public static let salesforceProductionPassword = "sbx-prod-pass"
    public static let salesforceSandboxUser = "operator@example.com.sbx"
    public static let salesforceSandboxPassword = "sbx-test-pass"
    /// Name of the PEM key, in the sandbox's state folder, whose certificate the sandbox's
    /// connected app trusts for the JWT bearer flow.
    public static let salesforceJWTKeyFile = "salesforce-jwt-key.pem"

    /// The seeded accounts as lines for people.
    public static func summary(keyFile: String) -> [String] {
        [
            "integrator.io   North America token  \(integratorNorthAmericaToken)",
            "                Europe token         \(integratorEuropeToken)",
            "Celonis         domain               \(celonisTeam)",
            "                host                 \(celonisTeam).celonis.cloud",
            "                application key      \(celonisAppKey)",
            "                API key              \(celonisAPIKey)",
            "                data pool            \(celonisPool)",
            "                OAuth client         \(celonisClientID) / \(celonisClientSecret)",
            "                allowed scopes       \(celonisScopes.joined(separator: ", "))",
            "Salesforce      consumer key/secret  \(salesforceClientID) / \(salesforceClientSecret)",
            "                production user      \(salesforceProductionUser) / \(salesforceProductionPassword)",
            "                sandbox user         \(salesforceSandboxUser) / \(salesforceSandboxPassword)",
            "                JWT private key      \(keyFile)",
            "NetSuite        account ID           \(netsuiteAccount)",
            "                consumer key/secret  \(netsuiteConsumerKey) / \(netsuiteConsumerSecret)",
            "                token ID/secret      \(netsuiteTokenID) / \(netsuiteTokenSecret)",
        ]
    }
}
