@testable import ConnectionCore
import Foundation
@testable import Sandbox
import Testing
import TestSupport

/// The request-signing schemes against published vectors and against oauthlib itself
/// (issue 21): what a standard prints is what connwiz computes.
@Suite("Auth scheme vectors")
struct AuthSchemeVectorTests {
    /// RFC 7616 §3.9.1: Mufasa's request, answered with MD5 and with SHA-256.
    @Test(arguments: [(DigestAuth.Challenge.Algorithm.md5, "8ca523f5e9506fed4657c9700eebdbec"),
                      (.sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")])
    func digestMatchesRFC7616(algorithm: DigestAuth.Challenge.Algorithm, response: String) {
        let challenge = DigestAuth.Challenge(realm: "http-auth@example.org", nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                                             opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", algorithm: algorithm, qop: true, stale: false)
        let header = DigestAuth.Responder.authorization(challenge: challenge, username: "Mufasa", password: "Circle of Life", method: "GET",
                                                        uri: "/dir/index.html", count: 1,
                                                        clientNonce: algorithm == .md5 ? "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
                                                                                       : "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
        #expect(header.contains("response=\"\(response)\""), "\(header)")
        #expect(header.contains("nc=00000001") && header.contains("qop=auth") && header.contains("opaque=\"FQhe/"))
    }

    /// A challenge is answered once; the same challenge again means the password was wrong,
    /// and a `stale=true` one is answered again, with the count started afresh.
    @Test func digestAnswersAFirstAndAStaleChallengeOnly() {
        let responder = DigestAuth.Responder(username: "u", password: "p")
        func response(_ challenges: [String]) -> ExchangeResult {
            var result = ExchangeResult(exchange: Exchange(index: 1, purpose: "t", startedAt: Date(), method: "GET", url: "https://h/", sandboxURL: nil, requestHeaders: [], requestBody: nil),
                                        failure: nil, body: nil, bodySize: 0)
            result.challenges = challenges
            return result
        }
        #expect(!responder.learn(from: response(["Basic realm=\"x\""])))
        #expect(!responder.learn(from: response(["Digest realm=\"r\r\nX-Injected: 1\", nonce=\"n0\""])), "a challenge with a line break is not answered")
        #expect(!responder.learn(from: response(["Digest realm=\"r\", nonce=\"n0\", qop=\"auth-int\""])), "only qop=auth is answered")
        #expect(!responder.learn(from: response(["Digest realm=\"r\", nonce=\"n0\", algorithm=SHA-512-256"])), "an unknown algorithm is not answered")
        let first = #"Digest realm="r", nonce="n1", qop="auth", algorithm=MD5, Digest realm="r", nonce="n1", qop="auth", algorithm=SHA-256"#
        #expect(responder.learn(from: response([first])))
        var request = OutgoingRequest(purpose: "t", method: "GET", url: "https://h/a?b=1")
        responder.sign(&request)
        let signed = request.headers.first { $0.name == "Authorization" }?.value ?? ""
        #expect(signed.contains("algorithm=SHA-256") && signed.contains("uri=\"/a?b=1\"") && signed.contains("nc=00000001"), "\(signed)")
        responder.sign(&request)
        #expect(request.headers.first { $0.name == "Authorization" }?.value.contains("nc=00000002") == true)
        #expect(!responder.learn(from: response([#"Digest realm="r", nonce="n2", qop="auth""#])), "a repeat without stale is a refusal")
        #expect(responder.learn(from: response([#"Digest realm="r", nonce="n3", qop="auth", stale=true"#])))
        responder.sign(&request)
        let renewed = request.headers.first { $0.name == "Authorization" }?.value ?? ""
        #expect(renewed.contains("nonce=\"n3\"") && renewed.contains("nc=00000001") && renewed.contains("algorithm=MD5"), "\(renewed)")
    }

    /// The Atom/WSSE article's published example (bob, 2003-12-15T14:43:07Z).
    @Test func wsseMatchesThePublishedExample() {
        let header = WSSEAuth.Signer.header(username: "bob", password: "taadtaadpstcsm", nonce: Data("d36e316282959a9ed4c89851497a717f".utf8),
                                            created: "2003-12-15T14:43:07Z")
        #expect(header.contains("PasswordDigest=\"quR/EWLAV4xLf9Zqyw4pDmfV9OY=\""), "\(header)")
        #expect(header.contains("Nonce=\"ZDM2ZTMxNjI4Mjk1OWE5ZWQ0Yzg5ODUxNDk3YTcxN2Y=\""))
    }

    /// RFC 5849 §3.4.1.1: the example request's signature base string, query, form body and
    /// all, to the byte.
    @Test func oauth1BaseStringMatchesRFC5849() {
        var request = OutgoingRequest(purpose: "t", method: "POST", url: "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
                                      body: Data("c2&a3=2+q".utf8), contentType: "application/x-www-form-urlencoded")
        request.headers = []
        let oauth = [("oauth_consumer_key", "9djdj82h48djs9d2"), ("oauth_token", "kkk9d7dh3k39sjv7"), ("oauth_signature_method", "HMAC-SHA1"),
                     ("oauth_timestamp", "137131201"), ("oauth_nonce", "7d8f3e4a")]
        let base = OAuth1Auth.Signer.baseString(method: request.method, url: request.url, oauth: oauth,
                                                formBody: OAuth1Auth.Signer.formBody(of: request))
        #expect(base == "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7")
    }

    /// The client's signer, the NetSuite sandbox's own check and oauthlib's Client sign the
    /// same NetSuite request to the same signature, for both HMAC methods.
    @Test(arguments: ["HMAC-SHA256", "HMAC-SHA1"])
    func theClientTheSandboxAndOauthlibAgree(method: String) throws {
        let url = "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/employee?limit=1&q=a%20b"
        let script = """
        import sys
        from oauthlib.oauth1 import Client
        c = Client(sys.argv[1], client_secret=sys.argv[2], resource_owner_key=sys.argv[3], resource_owner_secret=sys.argv[4],
                   signature_method=sys.argv[5], realm="1234567_SB1", timestamp="1700000000", nonce="n0nce4agreement")
        print(c.sign(sys.argv[6])[1]["Authorization"].split('oauth_signature="')[1].split('"')[0])
        """
        let folder = TemporaryFolder()
        let path = folder.write("sign.py", script)
        let run = try Subprocess.run(["/usr/bin/env", "python3", path, SandboxAccounts.netsuiteConsumerKey, SandboxAccounts.netsuiteConsumerSecret,
                                      SandboxAccounts.netsuiteTokenID, SandboxAccounts.netsuiteTokenSecret, method, url])
        #expect(run.status == 0, "\(run.output)")
        let oauthlib = (run.output.trimmingCharacters(in: .whitespacesAndNewlines).removingPercentEncoding ?? "")

        let signer = OAuth1Auth.Signer(consumerKey: SandboxAccounts.netsuiteConsumerKey, token: SandboxAccounts.netsuiteTokenID,
                                       method: try #require(OAuth1Auth.SignatureMethod(rawValue: method)),
                                       key: .shared(consumerSecret: SandboxAccounts.netsuiteConsumerSecret, tokenSecret: SandboxAccounts.netsuiteTokenSecret),
                                       realm: "1234567_SB1", clock: { Date(timeIntervalSince1970: 1_700_000_000) }, nonce: { "n0nce4agreement" })
        var request = OutgoingRequest(purpose: "t", method: "GET", url: url)
        signer.sign(&request)
        let header = try #require(request.headers.first { $0.name == "Authorization" }?.value)
        let client = header.components(separatedBy: "oauth_signature=\"")[1].components(separatedBy: "\"")[0].removingPercentEncoding

        let sandbox = NetSuiteSandbox.signature(method: method, httpMethod: "GET", uri: "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/employee",
                                                parameters: [("oauth_consumer_key", SandboxAccounts.netsuiteConsumerKey), ("oauth_nonce", "n0nce4agreement"),
                                                             ("oauth_signature_method", method), ("oauth_timestamp", "1700000000"),
                                                             ("oauth_token", SandboxAccounts.netsuiteTokenID), ("oauth_version", "1.0"),
                                                             ("limit", "1"), ("q", "a b")],
                                                consumerSecret: SandboxAccounts.netsuiteConsumerSecret, tokenSecret: SandboxAccounts.netsuiteTokenSecret)
        #expect(!oauthlib.isEmpty)
        #expect(client == oauthlib, "client \(client ?? "nil") vs oauthlib \(oauthlib)")
        #expect(sandbox == oauthlib, "sandbox \(sandbox) vs oauthlib \(oauthlib)")
        #expect(header.hasPrefix("OAuth realm=\"1234567_SB1\""))
    }
}
