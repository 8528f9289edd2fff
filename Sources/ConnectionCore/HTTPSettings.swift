import ConnectorSchema

/// A connection resolved through its connector file: the concrete base URI, authentication and
/// test requests that the HTTP core sends and the Celigo export describes.
public struct HTTPSettings: Hashable, Sendable {
    public var baseURI: String
    public var mediaType: String
    public var auth: ResolvedAuth?
    public var tests: [ResolvedTest]
    public var concurrencyLevel: Int?
    /// The id of the saved connection whose concurrency budget this one shares.
    public var borrowFrom: String?
    /// A client certificate for mutual TLS, with any auth type.
    public var clientCertificate: ClientCertificate? = nil
}

/// One test request with every template filled.
public struct ResolvedTest: Hashable, Sendable {
    public var name: String
    public var method: String
    /// The path as the connector gives it, relative to the base URI (or absolute).
    public var path: String
    /// The absolute URL.
    public var url: String
    public var headers: [String: String]
    public var body: String?
    public var success: SuccessRule
    /// Where the service's message is in a failing JSON body (`error.message`), if the
    /// connector says.
    public var errorPath: String? = nil
    /// A response header that carries the service's message when the body does not.
    public var errorHeader: String? = nil
    public var explain: FailureExplanation
}
