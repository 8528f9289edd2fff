import ConnectorSchema
import Foundation
import NIOSSL

/// A client certificate for mutual TLS, with any auth type: a PEM certificate and key, or a
/// PKCS#12 file and its passphrase, and a CA bundle that vouches for a self-signed server.
public struct ClientCertificate: Hashable, Sendable {
    public var certificateFile: String?
    public var keyFile: String?
    public var pkcs12File: String?
    public var passphrase: String?
    public var caFile: String?

    init(certificateFile: String? = nil, keyFile: String? = nil, pkcs12File: String? = nil, passphrase: String? = nil, caFile: String? = nil) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.pkcs12File = pkcs12File
        self.passphrase = passphrase
        self.caFile = caFile
    }

    /// A variant's `clientCertificate`, its templates filled; nil when every one renders empty
    /// (the generic connector's fields left unanswered).
    init?(_ spec: ClientCertificateSpec, fill: (Template?) -> String?) {
        self.init(certificateFile: fill(spec.certificateFile), keyFile: fill(spec.keyFile), pkcs12File: fill(spec.pkcs12File),
                  passphrase: fill(spec.passphrase), caFile: fill(spec.caFile))
        if certificateFile == nil && keyFile == nil && pkcs12File == nil && caFile == nil { return nil }
    }

    /// The HTTP view's lines: file names only, the passphrase as a fingerprint.
    func describe() -> [String] {
        var lines: [String] = []
        if let pkcs12File {
            lines.append("client certificate from the PKCS#12 file \(pkcs12File)" + (passphrase.map { ", passphrase \(Redactor.fingerprint($0))" } ?? ""))
        } else if let certificateFile {
            lines.append("client certificate \(certificateFile), key \(keyFile ?? "(not given yet)")" + (passphrase.map { ", passphrase \(Redactor.fingerprint($0))" } ?? ""))
        }
        if let caFile { lines.append("servers trusted through the CA file \(caFile)") }
        return lines
    }

    /// What integrator.io's HTTP settings say of it; the files themselves are pasted there.
    func export(mask: String?, notes: inout [String]) -> [String: Any] {
        notes.append("The client certificate and key are not exported: paste them into the connection's HTTP client certificate settings in integrator.io.")
        var fields: [String: Any] = [:]
        if let passphrase { fields["passphrase"] = mask ?? passphrase }
        return fields
    }

    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// `base` with this identity and trust added.
    func configuration(base: TLSConfiguration) throws -> TLSConfiguration {
        var tls = base
        func readable(_ path: String, _ what: String) throws -> String {
            let expanded = (path as NSString).expandingTildeInPath
            guard FileManager.default.isReadableFile(atPath: expanded) else {
                throw Problem(description: "the \(what) \(path) " + (FileManager.default.fileExists(atPath: expanded) ? "cannot be read" : "does not exist"))
            }
            return expanded
        }
        if let pkcs12File {
            let path = try readable(pkcs12File, "PKCS#12 file")
            do {
                let bundle = try NIOSSLPKCS12Bundle(file: path, passphrase: Array((passphrase ?? "").utf8))
                tls.certificateChain = bundle.certificateChain.map { .certificate($0) }
                tls.privateKey = .privateKey(bundle.privateKey)
            } catch {
                throw Problem(description: "the PKCS#12 file \(pkcs12File) cannot be opened: the passphrase is wrong or the file is not PKCS#12")
            }
        } else if (certificateFile == nil) != (keyFile == nil) {
            throw Problem(description: certificateFile == nil ? "a client key needs its certificate file too (certificateFile)"
                                                              : "a client certificate needs its key file too (keyFile)")
        } else if let certificateFile, let keyFile {
            let certificatePath = try readable(certificateFile, "certificate file")
            let keyPath = try readable(keyFile, "key file")
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
                guard !chain.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
                tls.certificateChain = chain.map { .certificate($0) }
            } catch {
                throw Problem(description: "the certificate file \(certificateFile) holds no PEM certificate")
            }
            do {
                let key: NIOSSLPrivateKey
                if let passphrase {
                    key = try NIOSSLPrivateKey(file: keyPath, format: .pem) { complete in complete(Array(passphrase.utf8)) }
                } else {
                    key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
                }
                tls.privateKey = .privateKey(key)
            } catch {
                throw Problem(description: "the key file \(keyFile) holds no PEM private key" + (passphrase == nil ? " (or it is encrypted and needs a passphrase)" : " the passphrase opens"))
            }
        }
        if let caFile {
            let path = try readable(caFile, "CA file")
            do {
                let roots = try NIOSSLCertificate.fromPEMFile(path)
                guard !roots.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
                tls.additionalTrustRoots.append(.certificates(roots))
            } catch {
                throw Problem(description: "the CA file \(caFile) holds no PEM certificate")
            }
        }
        return tls
    }
}

/// Auth type `clientCertificate`: the requests carry no credential; the client certificate
/// alone proves who calls.
public struct ClientCertificateAuth: AuthScheme {
    func describe(baseURI: String, redactor: Redactor) -> [String] {
        ["mutual TLS: the client certificate alone proves who calls; no credential header"]
    }

    func export(mask: String?, notes: inout [String]) -> [String: Any] {
        ["type": "custom"]
    }

    func prepare(for settings: HTTPSettings, in run: inout AttemptRun) async -> AuthPreparation {
        .ready(RequestSigning())
    }
}
