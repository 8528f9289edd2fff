import ConnectorSchema
import Crypto
import Foundation

/// AWS Signature Version 4: each request is signed over its method, canonical path, sorted
/// query, signed headers and payload hash, with a key derived from the secret for the day,
/// region and service. AWS API Gateway, OpenSearch and older Amazon APIs need it.
public struct AWSSigV4Auth: AuthScheme {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    public var region: String
    public var service: String

    init(_ spec: AuthSpec, fill: (Template?) -> String?) {
        accessKeyId = fill(spec.accessKeyId) ?? ""
        secretAccessKey = fill(spec.secretAccessKey) ?? ""
        sessionToken = fill(spec.sessionToken)
        region = fill(spec.region) ?? ""
        service = fill(spec.service) ?? ""
    }

    func describe(baseURI: String, redactor: Redactor) -> [String] {
        var lines = ["AWS Signature Version 4 for service \(service) in region \(region)",
                     "access key \(Self.fingerprint(accessKeyId)), secret \(Self.fingerprint(secretAccessKey))"]
        if let sessionToken { lines.append("header X-Amz-Security-Token: \(Self.fingerprint(sessionToken))") }
        lines.append("header Authorization: AWS4-HMAC-SHA256 <credential scope, signed headers and signature for each request>")
        return lines
    }

    func export(mask: String?, notes: inout [String]) -> [String: Any] {
        notes.append("integrator.io's HTTP connector has no AWS Signature Version 4 authentication; the keys are listed under http.auth.awsSigV4 for reference and must be set up there by other means.")
        var fields: [String: Any] = ["accessKeyId": mask ?? accessKeyId, "secretAccessKey": mask ?? secretAccessKey,
                                     "region": region, "service": service]
        if let sessionToken { fields["sessionToken"] = mask ?? sessionToken }
        return ["type": "custom", "awsSigV4": fields]
    }

    func prepare(for settings: HTTPSettings, in run: inout AttemptRun) async -> AuthPreparation {
        for (name, value) in [("access key ID", accessKeyId), ("secret access key", secretAccessKey), ("region", region), ("service", service)] where value.isEmpty {
            return .stop(TestOutcome(kind: .notSent, line: "Not tested: the AWS \(name) is empty"))
        }
        run.redactor.addCredentialHeader("Authorization")
        run.redactor.addCredentialHeader("X-Amz-Security-Token")
        return .ready(RequestSigning(signer: Signer(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken,
                                                    region: region, service: service, clock: run.clock)))
    }

    struct Signer: RequestSigner {
        var accessKeyId: String
        var secretAccessKey: String
        var sessionToken: String?
        var region: String
        var service: String
        var clock: @Sendable () -> Date

        static func stamp(_ date: Date) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
            return formatter.string(from: date)
        }

        func sign(_ request: inout OutgoingRequest) {
            let amzDate = Self.stamp(clock())
            request.setHeader("X-Amz-Date", amzDate)
            if let sessionToken { request.setHeader("X-Amz-Security-Token", sessionToken) }
            request.setHeader("Authorization", authorization(for: request, amzDate: amzDate))
        }

        /// The `Authorization` value for `request`, whose `X-Amz-Date` is `amzDate`.
        func authorization(for request: OutgoingRequest, amzDate: String) -> String {
            let parsed = URLComponents(string: request.url)
            let scheme = parsed?.scheme?.lowercased() ?? "https"
            var host = parsed?.host?.lowercased() ?? ""
            if let port = parsed?.port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) { host += ":\(port)" }
            var signed: [(String, String)] = [("host", host), ("x-amz-date", amzDate)]
            if let sessionToken { signed.append(("x-amz-security-token", sessionToken)) }
            signed.sort { $0.0 < $1.0 }
            let payloadHash = Self.hex(SHA256.hash(data: request.body ?? Data()))
            let canonical = [request.method.uppercased(), Self.canonicalPath(parsed?.percentEncodedPath ?? "/"),
                             Self.canonicalQuery(parsed?.percentEncodedQuery), signed.map { "\($0.0):\($0.1)\n" }.joined(),
                             signed.map(\.0).joined(separator: ";"), payloadHash].joined(separator: "\n")
            let day = String(amzDate.prefix(8))
            let scope = "\(day)/\(region)/\(service)/aws4_request"
            let toSign = ["AWS4-HMAC-SHA256", amzDate, scope, Self.hex(SHA256.hash(data: Data(canonical.utf8)))].joined(separator: "\n")
            var key = SymmetricKey(data: Data("AWS4\(secretAccessKey)".utf8))
            for part in [day, region, service, "aws4_request"] {
                key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
            }
            let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: key))
            return "AWS4-HMAC-SHA256 Credential=\(accessKeyId)/\(scope), SignedHeaders=\(signed.map(\.0).joined(separator: ";")), Signature=\(signature)"
        }

        /// Every path byte but the unreserved ones and `/` encoded, the URL's own escapes
        /// included, as AWS wants for every service but S3.
        static func canonicalPath(_ path: String) -> String {
            let allowed = StrictPercentEncoding.unreserved.union(CharacterSet(charactersIn: "/"))
            let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
            return encoded.isEmpty ? "/" : encoded
        }

        static func canonicalQuery(_ query: String?) -> String {
            guard let query, !query.isEmpty else { return "" }
            let pairs = StrictPercentEncoding.pairs(query, plusIsSpace: false)
                .map { (StrictPercentEncoding.encode($0.0), StrictPercentEncoding.encode($0.1)) }
            return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        }

        static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
            bytes.map { String(format: "%02x", $0) }.joined()
        }
    }
}
