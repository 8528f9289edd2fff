import ConnectorSchema
import Testing

/// A connector written from the reference alone: a key checked by mode, a test request that
/// names where the service's message is, and explanations of its failures.
let payments = """
version: 1
id: payments
title: Payments
fields:
  - id: name
    label: Name
    kind: text
    required: true
  - id: mode
    label: Mode
    kind: choice
    options: [test, live]
  - id: accountId
    label: Account ID
    kind: text
  - id: apiKey
    label: API key
    kind: secret
    required: true
    validate:
      - when: {field: mode, equals: test}
        pattern: '^sk_test_[A-Za-z0-9]+$'
        message: In test mode the key starts with sk_test_.
      - when: {field: mode, equals: live}
        pattern: '^sk_live_[A-Za-z0-9]+$'
        message: In live mode the key starts with sk_live_.
      - {minLength: 12}
http:
  baseURI: https://api.payments.example/v1
  auth: {type: bearer, token: "{{apiKey}}"}
  tests:
    - path: "/accounts/{{accountId}}"
      headers: {Accept: application/vnd.payments+json}
      errorPath: error.message
      success:
        json:
          - {path: id, exists: true}
      explain:
        200: The key works, but the account is closed.
        rule: The service answered without an account.
        404: No account has this ID.
"""

@Suite("Test requests, conditional validation and lint hints")
struct TestRequestAndRuleLintTests {
    func errors(_ result: SchemaLoader.Result) -> [SchemaDiagnostic] { result.diagnostics.filter { $0.severity == .error } }
    func warnings(_ result: SchemaLoader.Result) -> [SchemaDiagnostic] { result.diagnostics.filter { $0.severity == .warning } }

    @Test func aListOfRulesWithWhenLoads() throws {
        let result = load(payments)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let key = try #require(result.schema?.field("apiKey"))
        #expect(key.validations.count == 3)
        #expect(key.validations[0].when == ConditionSet([Condition(field: "mode", .equals("test"))]))
        #expect(key.validations[1].pattern == "^sk_live_[A-Za-z0-9]+$")
        #expect(key.validate?.minLength == 12, "the rule without when is the one that always applies")
        let test = try #require(result.schema?.http?.tests.first)
        #expect(test.errorPath == "error.message")
        #expect(test.explain.byStatus == [200: "The key works, but the account is closed.", 404: "No account has this ID."])
        #expect(test.explain.rule == "The service answered without an account.")
        #expect(test.explain.text(status: 200, ruleFailed: true) == "The key works, but the account is closed.")
        #expect(test.explain.text(status: 201, ruleFailed: true) == "The service answered without an account.")
        #expect(test.explain.text(status: 201, ruleFailed: false) == nil)
    }

    @Test func theSingleRuleFormStillLoads() throws {
        let text = minimal.replacingOccurrences(of: "    kind: secret", with: "    kind: secret\n    validate: {minLength: 8, maxLength: 40}")
        let result = load(text)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let key = try #require(result.schema?.field("key"))
        #expect(key.validations == [Validation(minLength: 8, maxLength: 40)])
        #expect(key.validate?.maxLength == 40)
    }

    @Test func aRuleConditionOnALaterFieldIsAnErrorAtItsLine() throws {
        // The rule's condition names apiKey itself: not asked before the field.
        let text = payments.replacingOccurrences(of: "- when: {field: mode, equals: live}", with: "- when: {field: apiKey, equals: live}")
        let error = try #require(onlyError(load(text)))
        #expect(error.message.contains("condition on “apiKey”, which is not asked before this field"))
        #expect(error.line == 24)
        #expect(error.column == 16)
    }

    @Test func aRuleConditionOnAnUnknownFieldSuggestsTheNearest() throws {
        let text = payments.replacingOccurrences(of: "- when: {field: mode, equals: test}", with: "- when: {field: mdoe, equals: test}")
        let error = try #require(onlyError(load(text)))
        #expect(error.message == "condition names unknown field “mdoe” (did you mean “mode”?)")
        #expect(error.line == 21)
        #expect(error.column == 16)
    }

    @Test func aRuleOfTheWrongKindIsAnErrorAtItsItem() throws {
        let text = payments.replacingOccurrences(of: "      - {minLength: 12}", with: "      - {min: 12}")
        let error = try #require(onlyError(load(text)))
        #expect(error.message.contains("min and max apply only to number fields"))
        #expect(error.line == 27)
    }

    @Test func aFieldConditionOnAnUnknownFieldSuggestsTheNearest() throws {
        let text = minimal.replacingOccurrences(of: "{field: mode, equals: a}", with: "{field: mods, equals: a}")
        #expect(try #require(onlyError(load(text))).message.hasSuffix("(did you mean “mode”?)"))
        let far = minimal.replacingOccurrences(of: "{field: mode, equals: a}", with: "{field: region, equals: a}")
        #expect(try #require(onlyError(load(far))).message == "condition names unknown field “region”")
    }

    @Test func anUnknownPlaceholderSuggestsTheNearestAndPointsAtItsOwnColumn() throws {
        let text = payments.replacingOccurrences(of: "\"/accounts/{{accountId}}\"", with: "\"/accounts/{{ accountId }}/{{acountId}}\"")
        let error = try #require(onlyError(load(text)))
        #expect(error.message == "“{{acountId}}” names no field of this connector (did you mean “{{accountId}}”?)")
        #expect(error.line == 32)
        #expect(error.column == 40, "the column of {{acountId}}, not of the key path")

        // The second of two equal placeholders is found as the second; a header's too.
        let twice = payments.replacingOccurrences(of: "\"/accounts/{{accountId}}\"", with: "/a/{{tenant}}/b/{{tenant}}")
            .replacingOccurrences(of: "{Accept: application/vnd.payments+json}", with: "{X-Tenant: \"{{tenantt}}\"}")
        let found = errors(load(twice))
        #expect(found.map(\.message).filter { $0.contains("{{tenant}}") }.count == 2)
        #expect(found.filter { $0.message.contains("{{tenant}}") }.map(\.column) == [16, 29])
        let header = try #require(found.first { $0.message.contains("{{tenantt}}") })
        #expect(header.line == 33 && header.column == 28)
    }

    @Test func aPartOfAClientIsSuggestedWhole() throws {
        let text = minimal.replacingOccurrences(of: "  - id: key\n    label: Key\n    kind: secret", with: "  - id: client\n    label: Client\n    kind: oauthClient")
            .replacingOccurrences(of: "when: {field: mode, equals: a}", with: "required: true")
            .replacingOccurrences(of: "\"{{key}}\"", with: "\"{{clent.clientSecret}}\"")
        let error = try #require(onlyError(load(text)))
        #expect(error.message.hasSuffix("(did you mean “{{client.clientSecret}}”?)"))
    }

    @Test func explainKeysThatCanNeverShowAreWarnings() throws {
        // No rule on the body: a 200 always passes, and no rule can fail.
        let text = payments.replacingOccurrences(of: "      success:\n        json:\n          - {path: id, exists: true}\n", with: "")
        let result = load(text)
        #expect(result.schema != nil, "warnings alone leave the file usable")
        let found = warnings(result)
        #expect(found.count == 2, "\(found)")
        #expect(found.contains { $0.message.hasPrefix("explain 200 never shows") && $0.line == 36 && $0.column == 9 })
        #expect(found.contains { $0.message.hasPrefix("explain rule never shows") && $0.line == 37 })
        #expect(!found.contains { $0.message.contains("404") })

        // A 1xx is never a final response.
        let early = payments.replacingOccurrences(of: "        404: No account has this ID.", with: "        101: Switching.")
        #expect(warnings(load(early)).map(\.message) == ["explain 101 never shows: a 101 is not a final response"])

        // noArray is a rule on the body too.
        let noArray = payments.replacingOccurrences(of: "        json:\n          - {path: id, exists: true}", with: "        noArray: errors")
        #expect(warnings(load(noArray)).isEmpty)
    }

    @Test func explainKeysAreStatusesOrRule() throws {
        let text = payments.replacingOccurrences(of: "        rule: The service", with: "        rules: The service")
        let error = try #require(onlyError(load(text)))
        #expect(error.message.contains("keyed by HTTP status (such as 404) or “rule”, not “rules”"))
    }

    @Test func aHeaderSetTwiceInDifferentCaseIsAnError() throws {
        let text = payments.replacingOccurrences(of: "{Accept: application/vnd.payments+json}", with: "{Accept: a/b, accept: c/d}")
        let error = try #require(onlyError(load(text)))
        #expect(error.message == "header “accept” is set twice (also as “Accept”); header names ignore case")
    }

    @Test func aSingleAuthMappingIsLocatedAtItsOwnKey() throws {
        // `auth: {…}` is a list of one: a finding inside it points at the key, not at `auth`.
        let text = minimal.replacingOccurrences(of: "  auth: {type: bearer, token: \"{{key}}\"}",
                                                with: "  auth:\n    type: bearer\n    token: \"{{key}}\"\n    when: {field: mdoe, equals: a}")
        let error = try #require(onlyError(load(text)))
        #expect(error.message.hasPrefix("condition names unknown field “mdoe”"))
        #expect(error.line == 22)
        #expect(error.column == 12)
    }
}
