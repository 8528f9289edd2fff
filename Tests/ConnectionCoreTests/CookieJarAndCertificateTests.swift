@testable import ConnectionCore
import ConnectorSchema
import Foundation
import NIOSSL
import Testing
import TestSupport

/// The cookie jar's scoping (RFC 6265 §5.3, §5.4) and a client certificate's files, each
/// refusal in words that name the file (issue 21).
@Suite("Cookie jar and client certificates")
struct CookieJarAndCertificateTests {
    @Test func cookiesGoOnlyToTheirDomainPathAndScheme() {
        var jar = CookieJar()
        jar.take(["session=s1; Path=/; HttpOnly", "admin=a1; Path=/admin", "wide=w1; Domain=.example.com; Path=/",
                  "secure=x1; Secure; Path=/", "foreign=f1; Domain=other.org", "gone=g1; Max-Age=0"],
                 from: "https://api.example.com/login")
        #expect(jar.header(for: "https://api.example.com/v1/me") == "session=s1; wide=w1; secure=x1")
        #expect(jar.header(for: "https://api.example.com/admin/users") == "admin=a1; session=s1; wide=w1; secure=x1")
        #expect(jar.header(for: "https://api.example.com/administrator") == "session=s1; wide=w1; secure=x1", "a path matches at a / only")
        #expect(jar.header(for: "https://eu.example.com/") == "wide=w1", "a host-only cookie stays on its host; a Domain one reaches siblings")
        #expect(jar.header(for: "http://api.example.com/") == "session=s1; wide=w1", "a Secure cookie goes over https only")
        #expect(jar.header(for: "https://other.org/") == nil, "a cookie for a domain the host is not in is ignored")
        #expect(jar.header(for: "https://notexample.com/") == nil)
        jar.take(["session=s2; Path=/"], from: "https://api.example.com/login")
        #expect(jar.header(for: "https://api.example.com/") == "session=s2; wide=w1; secure=x1", "a new value replaces the old")
        #expect(CookieJar.defaultPath("/rest/login") == "/rest" && CookieJar.defaultPath("/login") == "/" && CookieJar.defaultPath("") == "/")
    }

    @Test func aCertificatesFilesAreCheckedBeforeAnythingIsSent() throws {
        let folder = TemporaryFolder()
        func openssl(_ arguments: [String]) throws {
            let run = try Subprocess.run(["/usr/bin/openssl"] + arguments)
            #expect(run.status == 0, "\(run.output)")
        }
        let key = folder.file("client.key"), certificate = folder.file("client.pem"), bundle = folder.file("client.p12")
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=operator"])
        try openssl(["pkcs12", "-export", "-in", certificate, "-inkey", key, "-out", bundle, "-passout", "pass:p12-pass-7e1d"])
        func configure(_ fields: [String: String]) -> String? {
            let spec = ClientCertificate(certificateFile: fields["certificateFile"], keyFile: fields["keyFile"], pkcs12File: fields["pkcs12File"],
                                         passphrase: fields["passphrase"], caFile: fields["caFile"])
            do { _ = try spec.configuration(base: .makeClientConfiguration()); return nil } catch { return "\(error)" }
        }
        #expect(configure(["certificateFile": certificate, "keyFile": key]) == nil)
        #expect(configure(["pkcs12File": bundle, "passphrase": "p12-pass-7e1d"]) == nil)
        #expect(configure(["pkcs12File": bundle, "passphrase": "wrong"])
                == "the PKCS#12 file \(bundle) cannot be opened: the passphrase is wrong or the file is not PKCS#12")
        #expect(configure(["certificateFile": folder.file("none.pem"), "keyFile": key]) == "the certificate file \(folder.file("none.pem")) does not exist")
        #expect(configure(["certificateFile": key, "keyFile": key]) == "the certificate file \(key) holds no PEM certificate")
        #expect(configure(["certificateFile": certificate, "keyFile": certificate])?.hasPrefix("the key file \(certificate) holds no PEM private key") == true)
        #expect(configure(["certificateFile": certificate]) == "a client certificate needs its key file too (keyFile)")
        #expect(configure(["caFile": key]) == "the CA file \(key) holds no PEM certificate")
    }
}
