import ConnectorSchema
import Testing

@Suite("Lint checks")
struct SchemaLinterTests {
    func firstError(_ text: String) -> SchemaDiagnostic? {
        load(text).diagnostics.first { $0.severity == .error }
    }

    @Test func conditionOnALaterFieldIsAnError() throws {
        let text = minimal.replacingOccurrences(of: "    options: [a, b]", with: "    options: [a, b]\n    when: {field: key, equals: x}")
        let error = try #require(firstError(text))
        #expect(error.message.contains("not asked before this field"))
        #expect(error.line == 13)
    }

    @Test func conditionOnAnUnknownValueIsAnError() throws {
        let error = try #require(firstError(minimal.replacingOccurrences(of: "equals: a}", with: "equals: c}")))
        #expect(error.message.contains("“c” is not an option of mode"))
    }

    @Test func conditionOnAnUnknownFieldIsAnError() throws {
        let error = try #require(firstError(minimal.replacingOccurrences(of: "{field: mode, equals: a}", with: "{field: modus, equals: a}")))
        #expect(error.message.contains("unknown field “modus”"))
    }

    @Test func templateNamingNoFieldIsAnError() throws {
        let error = try #require(firstError(minimal.replacingOccurrences(of: "path: /me", with: "path: /me/{{tenant}}")))
        #expect(error.message.contains("{{tenant}}"))
        #expect(error.line == 21)
    }

    @Test func secretInAPathIsAnError() throws {
        let error = try #require(firstError(minimal.replacingOccurrences(of: "path: /me", with: "path: /me?k={{key}}")))
        #expect(error.message.contains("may not hold a secret"))
    }

    /// Issue 21: `validate` on an oauthClient field was accepted and never applied
    /// (`--set client.clientId=not-a-guid` saved with exit 0); lint now refuses it.
    @Test func validateOnAnOAuthClientFieldIsRefused() throws {
        let text = minimal.replacingOccurrences(of: "  - id: key\n    label: Key\n    kind: secret",
                                                with: "  - id: key\n    label: Key\n    kind: oauthClient\n    validate: {minLength: 36}")
            .replacingOccurrences(of: "{type: bearer, token: \"{{key}}\"}", with: "{type: bearer, token: \"{{key.clientSecret}}\"}")
        let error = try #require(firstError(text))
        #expect(error.message.contains("validate does not apply to an oauthClient field"), "\(error)")
        #expect(firstError(text.replacingOccurrences(of: "\n    validate: {minLength: 36}", with: "")) == nil)
    }

    /// Issue 21: `equals: "{{region}}"` in a success rule was compared literally, in silence.
    @Test func aTemplateInASuccessRulesEqualsIsRefused() throws {
        let text = minimal.replacingOccurrences(of: "path: /me", with: "path: /me\n      success:\n        json:\n          - {path: region, equals: \"{{mode}}\"}")
        let error = try #require(firstError(text))
        #expect(error.message.contains("equals is compared as written"), "\(error)")
        #expect(firstError(text.replacingOccurrences(of: "\"{{mode}}\"", with: "eu")) == nil)
    }

    /// A headers check needs equals, contains or exists, and holds no template.
    @Test func aHeadersCheckIsReadAndLinted() throws {
        let rule = "path: /me\n      success:\n        headers:\n          - {name: X-OAuth-Scopes, contains: repo}"
        let schema = try #require(load(minimal.replacingOccurrences(of: "path: /me", with: rule)).schema)
        #expect(schema.http?.tests.first?.success.headers == [HeaderCheck(name: "X-OAuth-Scopes", contains: "repo")])
        let empty = try #require(firstError(minimal.replacingOccurrences(of: "path: /me", with: rule.replacingOccurrences(of: ", contains: repo", with: ""))))
        #expect(empty.message.contains("a headers check needs equals, contains or exists"), "\(empty)")
        let templated = try #require(firstError(minimal.replacingOccurrences(of: "path: /me", with: rule.replacingOccurrences(of: "repo", with: "\"{{mode}}\""))))
        #expect(templated.message.contains("a headers check is compared as written"), "\(templated)")
        let other = HeaderCheck(name: "X-RateLimit-Remaining", equals: "0")
        #expect(other.failure(in: [("x-ratelimit-remaining", "0")]) == nil)
        #expect(other.failure(in: [("X-RateLimit-Remaining", "12")]) == "the “X-RateLimit-Remaining” header is “12”, not “0”")
        #expect(HeaderCheck(name: "ETag", exists: false).failure(in: [("etag", "x")]) == "the response has a “ETag” header, which it should not")
    }

    @Test func aClientIDInAPathIsNotASecret() throws {
        let text = minimal.replacingOccurrences(of: "  - id: key\n    label: Key\n    kind: secret",
                                                with: "  - id: key\n    label: Key\n    kind: oauthClient")
            .replacingOccurrences(of: "{type: bearer, token: \"{{key}}\"}", with: "{type: bearer, token: \"{{key.clientSecret}}\"}")
        #expect(firstError(text.replacingOccurrences(of: "path: /me", with: "path: /apps/{{key.clientId}}")) == nil)
        #expect(firstError(text.replacingOccurrences(of: "path: /me", with: "path: /apps/{{key.clientSecret}}"))?.message.contains("may not hold a secret") == true)
    }

    @Test func badPatternIsAnError() throws {
        let text = minimal.replacingOccurrences(of: "    required: true", with: "    required: true\n    validate: {pattern: '([a-z', message: Letters.}")
        let error = try #require(firstError(text))
        #expect(error.message.contains("not a valid regular expression"))
    }

    @Test func patternWithoutMessageIsAnError() throws {
        let text = minimal.replacingOccurrences(of: "    required: true", with: "    required: true\n    validate: {pattern: '[a-z]+'}")
        #expect(firstError(text)?.message.contains("needs a message") == true)
    }

    @Test func extractNeedsACaptureGroup() throws {
        let text = minimal.replacingOccurrences(of: "    required: true", with: "    required: true\n    normalize: [{extract: 'abc'}]")
        #expect(firstError(text)?.message.contains("capture group") == true)
    }

    @Test func duplicateFieldIdsAreAnError() throws {
        let text = minimal.replacingOccurrences(of: "  - id: key", with: "  - id: mode")
        #expect(firstError(text)?.message.contains("used twice") == true)
    }

    @Test func everyConnectorNeedsANameField() throws {
        let text = minimal.replacingOccurrences(of: "  - id: name\n", with: "  - id: title\n")
        #expect(firstError(text)?.message.contains("field with id “name”") == true)
    }

    @Test func choiceWithoutOptionsIsAnError() throws {
        let text = minimal.replacingOccurrences(of: "    options: [a, b]\n", with: "")
        #expect(firstError(text)?.message.contains("needs options") == true)
    }

    @Test func secretWithDefaultIsAnError() throws {
        let text = minimal.replacingOccurrences(of: "    kind: secret", with: "    kind: secret\n    default: hunter2")
        #expect(firstError(text)?.message.contains("may not have a default") == true)
    }

    @Test func defaultOutsideOptionsIsAnError() throws {
        let text = minimal.replacingOccurrences(of: "    options: [a, b]", with: "    options: [a, b]\n    default: c")
        #expect(firstError(text)?.message.contains("not one of the options") == true)
    }

    @Test func badConnectorIDIsAnError() throws {
        #expect(firstError(minimal.replacingOccurrences(of: "id: demo", with: "id: Demo App"))?.message.contains("connector id") == true)
    }

    @Test func warningsKeepTheFileUsable() throws {
        let text = minimal.replacingOccurrences(of: "  baseURI: https://api.example.com", with: "  baseURI:\n    - {when: {field: mode, equals: a}, value: https://a.example.com}")
        let result = load(text)
        #expect(result.schema != nil)
        #expect(result.diagnostics.contains { $0.severity == .warning && $0.message.contains("no baseURI variant without when") })
    }
}
