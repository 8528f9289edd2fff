import ConnectorSchema
import FormEngine
import Testing

/// `validate` rules with `when`: a key that must match the mode chosen before it, and a
/// number whose range depends on the plan.
@Suite("Conditional validation")
struct ConditionalValidationTests {
    static let text = """
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
        required: true
        options: [test, live]
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
      - id: plan
        label: Plan
        kind: choice
        default: standard
        options: [standard, enterprise]
      - id: concurrency
        label: Concurrency
        kind: number
        validate:
          - {min: 1, max: 100}
          - when: {field: plan, equals: standard}
            max: 25
    """

    static let schema: ConnectorSchema = {
        let result = SchemaLoader.load(text: text, file: "payments.yaml")
        precondition(result.diagnostics.isEmpty, "\(result.diagnostics)")
        return result.schema!
    }()

    @Test func theKeyIsCheckedByTheModeChosenBeforeIt() {
        var form = FormState(schema: Self.schema)
        form.type("Pay", "test", "sk_live_abcdef123")
        #expect(form.currentID == "apiKey")
        #expect(form.problems["apiKey"] == "In test mode the key starts with sk_test_.")
        form.type("sk_test_abcdef123")
        #expect(form.problems["apiKey"] == nil)
        #expect(form.currentID == "plan")

        var live = FormState(schema: Self.schema)
        live.type("Pay", "live", "sk_test_abcdef123")
        #expect(live.problems["apiKey"] == "In live mode the key starts with sk_live_.")
        live.type("sk_live_abcdef123")
        #expect(live.problems["apiKey"] == nil)
    }

    @Test func aRuleWithoutWhenAppliesInEveryMode() {
        for mode in ["test", "live"] {
            var form = FormState(schema: Self.schema)
            form.type("Pay", mode, "sk_\(mode)_ab")
            #expect(form.problems["apiKey"] == "API key needs at least 12 characters (has 10)")
        }
    }

    @Test func changingTheModeLaterMakesTheHeldKeyAProblem() {
        var form = FormState(schema: Self.schema)
        form.type("Pay", "test", "sk_test_abcdef123", "", "")
        form.handle(.goTo(field: "mode"))
        form.type("live")
        let effects = form.handle(.confirm(.save))
        #expect(effects.isEmpty)
        #expect(form.problems["apiKey"] == "In live mode the key starts with sk_live_.")
        #expect(form.currentID == "apiKey")
    }

    @Test func aNumberTakesTheTightestRangeThatApplies() {
        var standard = FormState(schema: Self.schema)
        standard.type("Pay", "test", "sk_test_abcdef123", "", "40")
        #expect(standard.problems["concurrency"] == "Concurrency must be at most 25 (1–25); got 40")

        var enterprise = FormState(schema: Self.schema)
        enterprise.type("Pay", "test", "sk_test_abcdef123", "enterprise", "40")
        #expect(enterprise.problems["concurrency"] == nil)
        #expect(enterprise.value(of: "concurrency") == .number(40))
    }

    @Test func scriptedAnswersAreCheckedByTheModeToo() {
        var form = FormState(schema: Self.schema)
        let outcome = ScriptedAnswers(["name": "Pay", "mode": "live", "apiKey": "sk_test_abcdef123"]).apply(to: &form)
        #expect(outcome.problems.map(\.message) == ["In live mode the key starts with sk_live_."])
    }
}
