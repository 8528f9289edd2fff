import Foundation
import Sandbox
import Testing
import TestSupport

/// Every auth type of the generic `http` connector, and the built-in `netsuite` one, proved
/// against a checker the project did not write (issue 21): the binary creates the connection
/// from flags, tests it through `--sandbox-url` (so each signature covers the real service's
/// URL and the peer rebuilds it from the Host header), tests it again (a fresh nonce), and a
/// wrong secret is refused by the same peer. Every output and every file under the home is
/// then searched for each secret: raw, base64, hex and its first 12 characters.
@Suite("Auth types against independent peers", .serialized, .oneAtATime)
struct AuthPeerTests {
    /// Drives one connection through every command that shows or writes it.
    final class Trial {
        let home = TemporaryFolder()
        let connwiz: BinaryRunner
        var outputs: [String] = []

        init(environment: [String: String]) {
            connwiz = BinaryRunner(home: home.path, extra: environment)
        }

        @discardableResult
        func run(_ arguments: [String]) throws -> BinaryRunner.Run {
            let result = try connwiz.run(arguments)
            outputs.append(result.output)
            return result
        }

        /// Creates and tests `name`, tests it again, then shows it every way; returns the
        /// second test's run.
        func prove(_ name: String, connector: String = "http", answers: [String], secrets: [String: String], peer: ServerProcess,
                   sourceLocation: SourceLocation = #_sourceLocation) throws -> BinaryRunner.Run {
            var arguments = ["new", connector, "--name", name] + answers.flatMap { ["--set", $0] }
            for field in secrets.keys.sorted() { arguments += ["--secret", "\(field)=env:\(secrets[field]!)"] }
            let created = try run(arguments + ["--yes", "--test", "--sandbox-url", peer.url])
            #expect(created.status == 0, "\(created)", sourceLocation: sourceLocation)
            #expect(created.stdout.contains("Test succeeded: 200"), "\(created)", sourceLocation: sourceLocation)
            let again = try run(["test", name, "--sandbox-url", peer.url])
            #expect(again.status == 0 && again.stdout.contains("Test succeeded: 200"), "\(again)", sourceLocation: sourceLocation)
            try run(["test", name, "--sandbox-url", peer.url, "--json"])
            let log = try run(["log", name])
            #expect(log.stdout.contains("sha256:"), "credentials read as fingerprints in the View log:\n\(log.stdout)", sourceLocation: sourceLocation)
            try run(["log", name, "--json"])
            let har = try run(["log", name, "--har", "-"])
            #expect(har.status == 0 && har.stdout.contains("\"entries\""), sourceLocation: sourceLocation)
            try run(["log", name, "--har", home.file("\(name).har")])
            let exported = try run(["export", name])
            #expect(exported.status == 0 && exported.stdout.contains("\"auth\""), "\(exported)", sourceLocation: sourceLocation)
            let shown = try run(["show", name, "--http"])
            #expect(shown.status == 0 && shown.stdout.contains("Authentication"), "\(shown)", sourceLocation: sourceLocation)
            try run(["show", name])
            try run(["list"])
            return again
        }

        func expectNoLeaks(_ secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) {
            let leaks = SecretForms.leaks(of: secrets, in: outputs, home: home)
            #expect(leaks.isEmpty, "\(leaks.prefix(5).joined(separator: "\n"))", sourceLocation: sourceLocation)
        }
    }

    /// Letters and digits only, 20 to 100 of them: what oauthlib accepts as keys and tokens.
    static func key(_ seed: String) -> String {
        (seed + String(repeating: "0", count: 40)).filter { $0.isLetter || $0.isNumber }.prefix(40).description
    }

    @Test(arguments: ["HMAC-SHA256", "HMAC-SHA1"])
    func oauth1SignaturesPassOauthlib(method: String) throws {
        let secrets = ["CK": Self.key("ck7f3a9e1b\(method.count)consumer"), "CS": "cs-\(method)-secret-4e8a1f",
                       "AT": Self.key("at2c8d0e6f\(method.count)token"), "TS": "ts-\(method)-secret-9b7c3d"]
        let peer = try AuthPeer.start("oauth1", config: ["consumerKey": secrets["CK"]!, "consumerSecret": secrets["CS"]!,
                                                         "token": secrets["AT"]!, "tokenSecret": secrets["TS"]!, "realm": "Photos"])
        defer { peer.stop() }
        let trial = Trial(environment: secrets.merging(["WRONG": "ts-wrong-secret-000000"]) { $1 })
        let answers = ["baseUri=https://photos.example.net/api", "authType=oauth1", "signatureMethod=\(method)", "realm=Photos",
                       "pingPath=/photos?file=vacation.jpg&size=original"]
        let fields = ["consumerKey": "CK", "consumerSecret": "CS", "accessToken": "AT", "tokenSecret": "TS"]
        let second = try trial.prove("OAuth1 \(method)", answers: answers, secrets: fields, peer: peer)
        #expect(second.stdout.contains("GET https://photos.example.net/api/photos?file=vacation.jpg&size=original"))
        let refused = try trial.run(["new", "http", "--name", "Wrong", "--set", answers[0], "--set", answers[1], "--set", answers[2],
                                     "--set", answers[3], "--set", answers[4], "--secret", "consumerKey=env:CK", "--secret", "consumerSecret=env:CS",
                                     "--secret", "accessToken=env:AT", "--secret", "tokenSecret=env:WRONG", "--yes", "--test", "--sandbox-url", peer.url])
        #expect(refused.status == 1 && refused.stdout.contains("401"), "\(refused)")
        trial.expectNoLeaks(Array(secrets.values) + ["ts-wrong-secret-000000"])
    }

    @Test func oauth1RSASHA256PassesOauthlib() throws {
        let trial = Trial(environment: [:])
        let keyFile = trial.home.file("oauth1-rsa.pem")
        let publicFile = trial.home.file("oauth1-rsa.pub")
        #expect(try Subprocess.run(["/usr/bin/openssl", "genrsa", "-out", keyFile, "2048"]).status == 0)
        #expect(try Subprocess.run(["/usr/bin/openssl", "rsa", "-in", keyFile, "-pubout", "-out", publicFile]).status == 0)
        let consumer = Self.key("rsaconsumer5d1e9f"), token = Self.key("rsatoken8a2b4c")
        let peer = try AuthPeer.start("oauth1", config: ["consumerKey": consumer, "consumerSecret": "", "token": token, "tokenSecret": "",
                                                         "rsaPublicKey": try String(contentsOfFile: publicFile, encoding: .utf8)])
        defer { peer.stop() }
        let rsaTrial = Trial(environment: ["CK": consumer, "AT": token])
        try rsaTrial.prove("OAuth1 RSA", answers: ["baseUri=https://api.example.net", "authType=oauth1", "signatureMethod=RSA-SHA256",
                                                   "oauth1KeyFile=\(keyFile)", "pingPath=/me"],
                           secrets: ["consumerKey": "CK", "accessToken": "AT"], peer: peer)
        let key = try String(contentsOfFile: keyFile, encoding: .utf8)
        let body = key.split(separator: "\n").dropFirst().dropLast().joined()
        rsaTrial.expectNoLeaks([consumer, token, String(body.prefix(40))])
    }

    /// The built-in NetSuite connector: account ID pasted as a URL, the realm sent as
    /// 1234567_SB1, the host as 1234567-sb1; oauthlib checks the signature over that host.
    @Test func netsuiteTokenBasedAuthPassesOauthlib() throws {
        let secrets = ["CK": Self.key("nsck0a1b2c3d4e5f6a7b8c9d"), "CS": "ns-consumer-secret-7c2e5a", "TI": Self.key("nsti9f8e7d6c5b4a3f2e1d"),
                       "TS": "ns-token-secret-3b8d1f"]
        let peer = try AuthPeer.start("oauth1", config: ["consumerKey": secrets["CK"]!, "consumerSecret": secrets["CS"]!,
                                                         "token": secrets["TI"]!, "tokenSecret": secrets["TS"]!, "realm": "1234567_SB1"])
        defer { peer.stop() }
        let trial = Trial(environment: secrets)
        let second = try trial.prove("NS", connector: "netsuite", answers: ["accountId=https://1234567-sb1.app.netsuite.com/app/center/card.nl?sc=-29"],
                                     secrets: ["consumerKey": "CK", "consumerSecret": "CS", "tokenId": "TI", "tokenSecret": "TS"], peer: peer)
        #expect(second.stdout.contains("https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/employee?limit=1"))
        let shown = try trial.run(["show", "NS", "--http"])
        #expect(shown.stdout.contains("realm 1234567_SB1"), "\(shown)")
        let wrong = try trial.run(["new", "netsuite", "--name", "NS wrong", "--set", "accountId=1234567-sb1", "--secret", "consumerKey=env:CK",
                                   "--secret", "consumerSecret=env:CS", "--secret", "tokenId=env:TI", "--secret", "tokenSecret=env:CK",
                                   "--yes", "--test", "--sandbox-url", peer.url])
        #expect(wrong.status == 1 && wrong.stdout.contains("Invalid login attempt"), "\(wrong)")
        trial.expectNoLeaks(Array(secrets.values))
    }

    @Test func awsSigV4MatchesBotocore() throws {
        let secrets = ["SK": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "ST": "FwoGZXIvYXdzEXAMPLEsessiontoken0123456789"]
        let peer = try AuthPeer.start("sigv4", config: ["accessKeyId": "AKIDEXAMPLE", "secretAccessKey": secrets["SK"]!,
                                                        "sessionToken": secrets["ST"]!, "region": "eu-west-2", "service": "execute-api"])
        defer { peer.stop() }
        let trial = Trial(environment: secrets)
        try trial.prove("Gateway", answers: ["baseUri=https://abc123.execute-api.eu-west-2.amazonaws.com/prod", "authType=awsSigV4",
                                             "accessKeyId=AKIDEXAMPLE", "awsRegion=eu-west-2", "awsService=execute-api",
                                             "pingPath=/pets?limit=2&type=dog%20house"],
                        secrets: ["secretAccessKey": "SK", "sessionToken": "ST"], peer: peer)
        trial.expectNoLeaks(Array(secrets.values))
    }

    @Test func wssePasswordDigestPassesTheOASISFormula() throws {
        let password = "wsse-pass-6d2f8a1c"
        let peer = try AuthPeer.start("wsse", config: ["username": "operator", "password": password])
        defer { peer.stop() }
        let trial = Trial(environment: ["PW": password])
        try trial.prove("WSSE", answers: ["baseUri=https://feeds.example.org", "authType=wsse", "username=operator", "pingPath=/atom"],
                        secrets: ["password": "PW"], peer: peer)
        trial.expectNoLeaks([password])
    }

    @Test func jwtsPassPyJWT() throws {
        let secret = "jwt-hs256-shared-secret-5e9a7c3b"
        let hs = try AuthPeer.start("jwt", config: ["algorithm": "HS256", "secret": secret, "audience": "https://api.example.com",
                                                    "issuer": "client-42", "claims": ["sub": "operator"]])
        defer { hs.stop() }
        let trial = Trial(environment: ["JS": secret])
        try trial.prove("JWT HS", answers: ["baseUri=https://api.example.com", "authType=jwt", "jwtAlgorithm=HS256", "jwtIssuer=client-42",
                                            "jwtSubject=operator", "jwtAudience=https://api.example.com", "pingPath=/v1/me"],
                        secrets: ["jwtSecret": "JS"], peer: hs)

        // ES256 sent as a bearer, and RS256 exchanged at a token URL.
        let ecKey = trial.home.file("es256.pem"), ecPublic = trial.home.file("es256.pub")
        #expect(try Subprocess.run(["/usr/bin/openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ecKey]).status == 0)
        #expect(try Subprocess.run(["/usr/bin/openssl", "pkey", "-in", ecKey, "-pubout", "-out", ecPublic]).status == 0)
        let es = try AuthPeer.start("jwt", config: ["algorithm": "ES256", "publicKey": try String(contentsOfFile: ecPublic, encoding: .utf8),
                                                    "issuer": "svc-es"])
        defer { es.stop() }
        try trial.prove("JWT ES", answers: ["baseUri=https://api.example.com", "authType=jwt", "jwtAlgorithm=ES256", "jwtKeyFile=\(ecKey)",
                                            "jwtIssuer=svc-es", "pingPath=/v1/me"], secrets: [:], peer: es)

        let rsKey = trial.home.file("rs256.pem"), rsPublic = trial.home.file("rs256.pub")
        #expect(try Subprocess.run(["/usr/bin/openssl", "genrsa", "-out", rsKey, "2048"]).status == 0)
        #expect(try Subprocess.run(["/usr/bin/openssl", "rsa", "-in", rsKey, "-pubout", "-out", rsPublic]).status == 0)
        let access = "jwt-exchanged-access-token-81c4e2"
        let rs = try AuthPeer.start("jwt", config: ["algorithm": "RS256", "publicKey": try String(contentsOfFile: rsPublic, encoding: .utf8),
                                                    "issuer": "svc-rs", "audience": "https://auth.example.com/token",
                                                    "accessToken": access, "exchange": true])
        defer { rs.stop() }
        let exchanged = try trial.prove("JWT RS", answers: ["baseUri=https://api.example.com", "authType=jwt", "jwtAlgorithm=RS256",
                                                            "jwtKeyFile=\(rsKey)", "jwtIssuer=svc-rs", "jwtAudience=https://auth.example.com/token",
                                                            "jwtTokenURL=https://auth.example.com/token", "pingPath=/v1/me"],
                                        secrets: [:], peer: rs)
        #expect(exchanged.stdout.contains("POST https://auth.example.com/token"), "\(exchanged)")
        trial.expectNoLeaks([secret, access])
    }

    @Test func cookieSessionsAndLoginTokensPassFlask() throws {
        let password = "cookie-pass-8e1d4b7a"
        let magento = "magento-admin-token-4f7e2a9c1b"
        let peer = try AuthPeer.start("cookie", config: ["username": "operator", "password": password, "magentoToken": magento])
        defer { peer.stop() }
        let trial = Trial(environment: ["PW": password])
        let session = try trial.prove("Session", answers: ["baseUri=https://shop.example.com", "authType=cookie", "username=operator",
                                                           "loginPath=/login", "pingPath=/api/me"],
                                      secrets: ["password": "PW"], peer: peer)
        #expect(session.stdout.contains("POST https://shop.example.com/login"), "\(session)")
        let log = try trial.run(["log", "Session"])
        #expect(log.stdout.contains("Cookie: session=sha256:"), "the session cookie reads as a fingerprint:\n\(log.stdout)")
        #expect(!log.stdout.contains("admin_only=sha256") || !log.stdout.contains("> Cookie: admin_only"), "the /admin cookie went to /api")
        try trial.prove("Magento", answers: ["baseUri=https://shop.example.com", "authType=cookie", "username=operator",
                                             "loginPath=/rest/V1/integration/admin/token", "sessionTokenPath=.",
                                             "pingPath=/rest/V1/store/storeConfigs"],
                        secrets: ["password": "PW"], peer: peer)
        let wrong = try trial.run(["new", "http", "--name", "Bad login", "--set", "baseUri=https://shop.example.com", "--set", "authType=cookie",
                                   "--set", "username=operator", "--set", "pingPath=/api/me", "--secret", "password=env:HOME",
                                   "--yes", "--test", "--sandbox-url", peer.url])
        #expect(wrong.status == 1 && wrong.stdout.contains("Login request rejected: 401"), "\(wrong)")
        trial.expectNoLeaks([password, magento])
    }
}

/// Digest against lighttpd, OAuth 2.0's additions against Authlib, and mutual TLS against
/// `openssl s_server -Verify`.
@Suite("Auth types against real servers", .serialized, .oneAtATime)
struct AuthServerTests {
    typealias Trial = AuthPeerTests.Trial

    @Test(arguments: ["SHA-256", "MD5"])
    func digestPassesLighttpd(algorithm: String) throws {
        let password = "digest-pass-\(algorithm.count)-4a7e91"
        let server = try LighttpdDigest.start(user: "operator", password: password, realm: "connwiz devices", algorithm: algorithm)
        defer { server.stop() }
        let trial = Trial(environment: ["PW": password, "WRONG": "digest-wrong-password"])
        let second = try trial.prove("Device \(algorithm)", answers: ["baseUri=https://device.example.net", "authType=digest", "username=operator",
                                                                      "pingPath=/ping.json"], secrets: ["password": "PW"], peer: server)
        #expect(second.stdout.contains("401 Unauthorized") && second.stdout.contains("200 OK"), "the challenge, then the answer: \(second)")
        let log = try trial.run(["log", "Device \(algorithm)"])
        #expect(log.stdout.contains("Authorization: Digest sha256:"), "\(log.stdout)")
        let wrong = try trial.run(["new", "http", "--name", "Wrong", "--set", "baseUri=https://device.example.net", "--set", "authType=digest",
                                   "--set", "username=operator", "--set", "pingPath=/ping.json", "--secret", "password=env:WRONG",
                                   "--yes", "--test", "--sandbox-url", server.url])
        #expect(wrong.status == 1 && wrong.stdout.contains("401"), "\(wrong)")
        trial.expectNoLeaks([password, "digest-wrong-password"])
    }

    @Test func oauth2PasswordGrantAndPrivateKeyJWTPassAuthlib() throws {
        let trial = Trial(environment: ["CS": "authlib-client-secret-7d3e", "UP": "authlib-user-pass-2b9f"])
        let keyFile = trial.home.file("client-rsa.pem"), publicFile = trial.home.file("client-rsa.pub")
        #expect(try Subprocess.run(["/usr/bin/openssl", "genrsa", "-out", keyFile, "2048"]).status == 0)
        #expect(try Subprocess.run(["/usr/bin/openssl", "rsa", "-in", keyFile, "-pubout", "-out", publicFile]).status == 0)
        let tokenURL = "https://auth.example.com/oauth/token"
        let server = try AuthPeer.start("oauth2", config: [
            "tokenURL": tokenURL, "user": ["username": "operator", "password": "authlib-user-pass-2b9f"],
            "clients": [["clientId": "pw-client", "clientSecret": "authlib-client-secret-7d3e", "authMethod": "client_secret_basic", "grants": ["password"]],
                        ["clientId": "jwt-client", "authMethod": "private_key_jwt", "grants": ["client_credentials"],
                         "publicKey": try String(contentsOfFile: publicFile, encoding: .utf8)]],
        ])
        defer { server.stop() }
        let password = try trial.prove("Password grant", answers: ["baseUri=https://api.example.com", "authType=oauth2", "oauthGrant=password",
                                                                   "tokenURL=\(tokenURL)", "clientId=pw-client", "oauthUsername=operator",
                                                                   "pingPath=/api/me"],
                                       secrets: ["clientSecret": "CS", "oauthPassword": "UP"], peer: server)
        #expect(password.stdout.contains("POST \(tokenURL)"), "\(password)")
        let signed = try trial.prove("Private key JWT", answers: ["baseUri=https://api.example.com", "authType=oauth2", "oauthGrant=privateKeyJWT",
                                                                  "tokenURL=\(tokenURL)", "clientId=jwt-client", "clientKeyFile=\(keyFile)",
                                                                  "pingPath=/api/me"], secrets: [:], peer: server)
        #expect(signed.stdout.contains("POST \(tokenURL)"), "\(signed)")
        let shown = try trial.run(["show", "Private key JWT", "--http"])
        #expect(shown.stdout.contains("private_key_jwt"), "\(shown)")
        let wrong = try trial.run(["new", "http", "--name", "Wrong", "--set", "baseUri=https://api.example.com", "--set", "authType=oauth2",
                                   "--set", "oauthGrant=password", "--set", "tokenURL=\(tokenURL)", "--set", "clientId=pw-client",
                                   "--set", "oauthUsername=operator", "--set", "pingPath=/api/me", "--secret", "clientSecret=env:CS",
                                   "--secret", "oauthPassword=env:CS", "--yes", "--test", "--sandbox-url", server.url])
        #expect(wrong.status == 1 && wrong.stdout.contains("Token request"), "\(wrong)")
        trial.expectNoLeaks(["authlib-client-secret-7d3e", "authlib-user-pass-2b9f"])
    }

    /// A certificate authority, a server certificate for localhost and a client certificate
    /// whose key is encrypted; `openssl s_server -Verify 1` refuses a client without one.
    @Test func aClientCertificatePassesOpensslSServer() throws {
        let trial = Trial(environment: ["KP": "client-key-passphrase-51c"])
        let home = trial.home
        func openssl(_ arguments: [String]) throws {
            let run = try Subprocess.run(["/usr/bin/openssl"] + arguments)
            #expect(run.status == 0, "openssl \(arguments.joined(separator: " ")): \(run.output)")
        }
        let ca = home.file("tls/ca.pem"), caKey = home.file("tls/ca.key")
        _ = home.write("tls/ext.cnf", "subjectAltName=DNS:localhost\n")
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", ca, "-days", "2", "-subj", "/CN=connwiz test CA"])
        try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", home.file("tls/server.key"), "-out", home.file("tls/server.csr"), "-subj", "/CN=localhost"])
        try openssl(["x509", "-req", "-in", home.file("tls/server.csr"), "-CA", ca, "-CAkey", caKey, "-CAcreateserial", "-out", home.file("tls/server.pem"),
                     "-days", "2", "-extfile", home.file("tls/ext.cnf")])
        try openssl(["genrsa", "-aes256", "-passout", "pass:client-key-passphrase-51c", "-out", home.file("tls/client.key"), "2048"])
        try openssl(["req", "-new", "-key", home.file("tls/client.key"), "-passin", "pass:client-key-passphrase-51c", "-out", home.file("tls/client.csr"),
                     "-subj", "/CN=operator"])
        try openssl(["x509", "-req", "-in", home.file("tls/client.csr"), "-CA", ca, "-CAkey", caKey, "-CAcreateserial", "-out", home.file("tls/client.pem"), "-days", "2"])
        _ = home.write("tls/www/ping.json", "{\"ok\": true}\n")
        let port = Subprocess.freePort()
        let server = try Subprocess.start(["/bin/sh", "-c", "cd '\(home.file("tls/www"))' && exec /usr/bin/openssl s_server -accept \(port) -cert ../server.pem -key ../server.key -CAfile ../ca.pem -Verify 1 -WWW -quiet"])
        defer { server.stop() }
        #expect(Subprocess.waitForListener(port: port, timeout: 10))
        let base = "https://localhost:\(port)"
        var arguments = ["new", "http", "--name", "Mutual", "--set", "baseUri=\(base)", "--set", "authType=certificate",
                         "--set", "certificateFile=\(home.file("tls/client.pem"))", "--set", "certificateKeyFile=\(home.file("tls/client.key"))",
                         "--secret", "certificatePassphrase=env:KP", "--set", "caFile=\(ca)", "--set", "pingPath=/ping.json", "--yes", "--test"]
        let created = try trial.run(arguments)
        #expect(created.status == 0 && created.stdout.contains("Test succeeded: 200"), "\(created)")
        let again = try trial.run(["test", "Mutual"])
        #expect(again.status == 0, "\(again)")
        let shown = try trial.run(["show", "Mutual", "--http"])
        #expect(shown.stdout.contains("client certificate \(home.file("tls/client.pem"))"), "\(shown)")
        try trial.run(["export", "Mutual"])
        try trial.run(["log", "Mutual", "--har", "-"])
        // The same server, trusted, without a certificate: refused in the handshake.
        arguments = ["new", "http", "--name", "No certificate", "--set", "baseUri=\(base)", "--set", "authType=token", "--secret", "token=env:KP",
                     "--set", "caFile=\(ca)", "--set", "pingPath=/ping.json", "--yes", "--test"]
        let refused = try trial.run(arguments)
        #expect(refused.status == 1, "\(refused)")
        trial.expectNoLeaks(["client-key-passphrase-51c"])
    }
}

/// Issue 21: connections of the new auth types pushed to an integrator.io account (the
/// sandbox's): the account receives the document, and the push's own log, like every other
/// output, holds no secret in any form.
@Suite("Pushing the new auth types", .serialized, .oneAtATime)
struct AuthPushTests {
    @Test func netsuiteAndSigV4ConnectionsArePushedWithoutLeaking() throws {
        let trial = AuthPeerTests.Trial(environment: [
            "IO": "sbx-io-eu-token", "CK": SandboxAccounts.netsuiteConsumerKey, "CS": SandboxAccounts.netsuiteConsumerSecret,
            "TI": SandboxAccounts.netsuiteTokenID, "TS": SandboxAccounts.netsuiteTokenSecret, "SK": "push-aws-secret-key-6a1f9e0c",
        ])
        #expect(try trial.run(["new", "celigo-integrator-io", "--name", "IO EU", "--set", "region=europe", "--secret", "token=env:IO", "--yes"]).status == 0)
        let created = try trial.run(["new", "netsuite", "--name", "NS", "--set", "accountId=1234567_SB1", "--secret", "consumerKey=env:CK",
                                     "--secret", "consumerSecret=env:CS", "--secret", "tokenId=env:TI", "--secret", "tokenSecret=env:TS",
                                     "--yes", "--test", "--sandbox"])
        #expect(created.status == 0 && created.stdout.contains("Test succeeded: 200"), "\(created)")
        #expect(try trial.run(["new", "http", "--name", "Gateway", "--set", "baseUri=https://abc.execute-api.eu-west-2.amazonaws.com/prod",
                               "--set", "authType=awsSigV4", "--set", "accessKeyId=AKIDEXAMPLE", "--set", "awsRegion=eu-west-2",
                               "--set", "awsService=execute-api", "--set", "pingPath=/pets", "--secret", "secretAccessKey=env:SK", "--yes"]).status == 0)
        for name in ["NS", "Gateway"] {
            let pushed = try trial.run(["push", name, "--account", "IO EU", "--sandbox"])
            #expect(pushed.status == 0, "\(pushed)")
            try trial.run(["log", name])
            try trial.run(["log", name, "--har", "-"])
        }
        let remote = try trial.run(["remote", "list", "--account", "IO EU", "--sandbox"])
        #expect(remote.output.contains("NS") && remote.output.contains("Gateway"), "\(remote)")
        trial.expectNoLeaks([SandboxAccounts.netsuiteConsumerKey, SandboxAccounts.netsuiteConsumerSecret, SandboxAccounts.netsuiteTokenID,
                             SandboxAccounts.netsuiteTokenSecret, "push-aws-secret-key-6a1f9e0c", "sbx-io-eu-token"])
    }
}

/// Issue 21: the generic connector's auth-type question in the line prompts: choosing OAuth
/// 1.0a brings its fields (and not the others'), the realm among the advanced settings, and
/// the test signs against the sandbox's NetSuite check.
@Suite("The auth-type question in the line prompts", .oneAtATime)
struct AuthTypePromptTests {
    @Test func choosingOAuth1AsksItsFieldsAndTheTestPasses() throws {
        let home = TemporaryFolder()
        let secrets = [SandboxAccounts.netsuiteConsumerKey, SandboxAccounts.netsuiteConsumerSecret,
                       SandboxAccounts.netsuiteTokenID, SandboxAccounts.netsuiteTokenSecret]
        let input = ["Generic NS", "https://1234567-sb1.suitetalk.api.netsuite.com", "9", secrets[0], "", secrets[1], secrets[2], secrets[3],
                     "/services/rest/record/v1/employee?limit=1", "y", "1234567_SB1", "", "t", "s"].joined(separator: "\n") + "\n"
        let run = try BinaryRunner(home: home.path).run(["new", "http", "--sandbox"], input: input)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("Authentication type [Token in a header]:     → OAuth 1.0a"), "\(run.stdout)")
        #expect(run.stdout.contains("Signature method [HMAC-SHA256]"))
        #expect(!run.stdout.contains("] User name") && !run.stdout.contains("Secret access key"), "only the chosen type's fields are asked")
        #expect(run.stdout.contains("Test succeeded: 200 OK"), "\(run.stdout)")
        #expect(run.stdout.contains("Saved connection “Generic NS” (HTTP (any auth))."))
        let leaks = SecretForms.leaks(of: secrets, in: [run.output], home: home)
        #expect(leaks.isEmpty, "\(leaks.prefix(3))")
    }
}
