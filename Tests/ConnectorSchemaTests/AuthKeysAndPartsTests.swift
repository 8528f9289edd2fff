import ConnectorSchema
import Testing

/// The connector-file keys of the new auth types and a field's named parts (issue 21): what
/// each type takes and needs, and the parts of a secret that may leave it.
@Suite("Auth keys and field parts")
struct AuthKeysAndPartsTests {
    static func file(fields: String = "", auth: String, base: String = "https://api.example.com") -> String {
        """
        version: 1
        id: probe
        title: Probe
        fields:
          - {id: name, label: Name, kind: text, required: true}
          - {id: key, label: Key, kind: secret, required: true}
        \(fields)
        http:
          baseURI: "\(base)"
          auth: \(auth)
          tests:
            - path: /me
        """
    }

    func errors(_ text: String) -> [String] {
        SchemaLoader.load(text: text, file: "probe.yaml").diagnostics.filter { $0.severity == .error }.map(\.message)
    }

    @Test(arguments: [
        "{type: oauth1, consumerKey: a, consumerSecret: b, token: c, tokenSecret: '{{key}}', realm: R}",
        "{type: oauth1, consumerKey: a, token: c, signatureMethod: RSA-SHA256, privateKeyFile: /k.pem}",
        "{type: digest, username: u, password: '{{key}}'}",
        "{type: awsSigV4, accessKeyId: AKID, secretAccessKey: '{{key}}', sessionToken: t, region: eu-west-2, service: es}",
        "{type: wsse, username: u, password: '{{key}}', headerName: X-WSSE}",
        "{type: jwt, algorithm: HS256, signingKey: '{{key}}', claims: {iss: me, aud: you}, lifetime: 120}",
        "{type: jwt, algorithm: ES256, privateKeyFile: /k.pem, tokenURL: https://a/token}",
        "{type: cookie, loginURL: /login, loginBody: '{\"p\": \"{{key}}\"}'}",
        "{type: cookie, loginURL: /login, tokenPath: ., headerName: X-Session, scheme: none}",
        "{type: oauth2, grant: password, tokenURL: https://a/t, clientId: c, username: u, password: '{{key}}', explain: {invalid_grant: Wrong password.}}",
        "{type: oauth2, grant: clientCredentials, clientAuth: privateKeyJWT, tokenURL: https://a/t, clientId: c, privateKeyFile: /k.pem}",
        "{type: oauth2, grant: authorizationCode, authorizeURL: https://a/a, tokenURL: https://a/t, clientId: c, callbackValues: [realmId]}",
        "{type: clientCertificate, clientCertificate: {certificateFile: /c.pem, keyFile: /k.pem, caFile: /ca.pem}}",
        "{type: bearer, token: '{{key}}', clientCertificate: {pkcs12File: /id.p12, passphrase: '{{key}}'}}",
    ])
    func eachTypeLoadsWithItsKeys(auth: String) {
        #expect(errors(Self.file(auth: auth)).isEmpty, "\(errors(Self.file(auth: auth)))")
    }

    @Test(arguments: [
        ("{type: digest, username: u, password: p, realm: x}", "“realm” does not apply to auth type digest"),
        ("{type: oauth1, consumerKey: a, token: c, tokenSecret: d}", "auth type oauth1 needs “consumerSecret”"),
        ("{type: oauth1, consumerKey: a, consumerSecret: b, token: c, tokenSecret: d, signatureMethod: PLAINTEXT}", "signatureMethod is HMAC-SHA1, HMAC-SHA256 or RSA-SHA256"),
        ("{type: awsSigV4, accessKeyId: a, secretAccessKey: b, region: r}", "auth type awsSigV4 needs “service”"),
        ("{type: jwt, algorithm: none}", "algorithm is HS256, RS256 or ES256"),
        ("{type: jwt, algorithm: RS256}", "needs “privateKeyFile”"),
        ("{type: oauth2, grant: password, tokenURL: https://a/t, clientId: c, username: u}", "with grant password needs “password”"),
        ("{type: oauth2, grant: clientCredentials, tokenURL: https://a/t, clientId: c, callbackValues: [realmId]}", "callbackValues come back from a browser sign-in"),
        ("{type: cookie, loginURL: /l, headerName: X-S}", "give tokenPath too"),
        ("{type: clientCertificate}", "needs “clientCertificate”"),
        ("{type: bearer, token: t, clientCertificate: {certificateFile: /c.pem}}", "certificateFile and keyFile go together"),
        ("{type: basic, username: u, password: p, consumerKey: k}", "“consumerKey” does not apply to auth type basic"),
    ])
    func aWrongKeyIsNamed(auth: String, message: String) {
        let found = errors(Self.file(auth: auth))
        #expect(found.contains { $0.contains(message) }, "\(found)")
    }

    /// Mailchimp's data centre is the key's suffix: a declared part that narrows the secret
    /// may go into the base URI; the whole secret may not, nor an undeclared part.
    @Test func aDeclaredPartOfASecretMayBeUsedAndNothingElse() {
        let parts = "    parts: {dc: [{after: \"-\"}], region: [{extract: '^pat-([a-z0-9]+)-'}]}"
        let fields = Self.file(auth: "{type: basic, username: any, password: '{{key}}'}", base: "https://{{key.dc}}.api.mailchimp.com/3.0")
            .replacingOccurrences(of: "  - {id: key, label: Key, kind: secret, required: true}\n",
                                  with: "  - id: key\n    label: Key\n    kind: secret\n    required: true\n\(parts)\n")
        #expect(errors(fields).isEmpty, "\(errors(fields))")
        let undeclared = fields.replacingOccurrences(of: "{{key.dc}}", with: "{{key.datacenter}}")
        #expect(errors(undeclared).contains { $0.contains("“{{key.datacenter}}” is not a part of key; use {{key}} or {{key.dc}} or {{key.region}}") },
                "\(errors(undeclared))")
        let whole = fields.replacingOccurrences(of: "{{key.dc}}", with: "{{key}}")
        #expect(errors(whole).contains { $0.contains("the base URI may not hold a secret") })
        let unnarrowed = fields.replacingOccurrences(of: "dc: [{after: \"-\"}]", with: "dc: [lowercase]")
        #expect(errors(unnarrowed).contains { $0.contains("a part of a secret must keep only a piece of it") }, "\(errors(unnarrowed))")
    }

    /// `{{callback.NAME}}` must name a value an authorizationCode auth keeps.
    @Test func aCallbackValueMustBeKept() {
        let keeping = Self.file(auth: "{type: oauth2, grant: authorizationCode, authorizeURL: https://a/a, tokenURL: https://a/t, clientId: c, callbackValues: [realmId]}")
            .replacingOccurrences(of: "path: /me", with: "path: /v3/company/{{callback.realmId}}/companyinfo/{{callback.realmId}}")
        #expect(errors(keeping).isEmpty, "\(errors(keeping))")
        let unkept = keeping.replacingOccurrences(of: "callbackValues: [realmId]", with: "callbackValues: [companyId]")
        #expect(errors(unkept).contains { $0.contains("“{{callback.realmId}}” is a value of the sign-in's callback that no auth variant keeps") }, "\(errors(unkept))")
    }

    /// A part is taken strictly: a key with no separator gives an empty part, never itself.
    @Test func aPartThatDoesNotMatchIsEmpty() throws {
        let field = FieldSpec(id: "key", label: "Key", kind: .secret)
        var declared = field
        declared.parts = ["dc": [.after("-")], "region": [.extract("^pat-([a-z0-9]+)-")], "host": [.lowercase, .replace(["_": "-"])]]
        #expect(declared.derivedPart("dc", of: .string("0123456789abcdef-us6")) == "us6")
        #expect(declared.derivedPart("dc", of: .string("0123456789abcdef")) == "")
        #expect(declared.derivedPart("region", of: .string("pat-eu1-11112222-3333")) == "eu1")
        #expect(declared.derivedPart("region", of: .string("pat-na1")) == "")
        #expect(declared.derivedPart("host", of: .string("1234567_SB1")) == "1234567-sb1")
        #expect(declared.derivedPart("nope", of: .string("x")) == nil)
    }
}
