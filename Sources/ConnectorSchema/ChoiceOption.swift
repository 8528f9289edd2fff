import Foundation

/// One choice of a `choice` or `multiChoice` field: the stored value, the label shown, and
/// optionally when the option is offered (Celonis offers OAuth 2.0 only for the Intelligence API).
public struct ChoiceOption: Hashable, Sendable, Codable {
    public var value: String
    public var label: String
    public var help: String?
    public var when: ConditionSet

    public init(value: String, label: String, help: String? = nil, when: ConditionSet = ConditionSet()) {
        self.value = value
        self.label = label
        self.help = help
        self.when = when
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case value, label, help, when }

    /// Decodes `{value, label, help, when}` or a bare value that is its own label.
    public init(from decoder: Decoder) throws {
        if let bare = try? ScalarString(from: decoder) {
            self.init(value: bare.value, label: bare.value)
            return
        }
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        let value = try c.decode(ScalarString.self, forKey: .value).value
        self.init(value: value,
                  label: try c.decodeIfPresent(String.self, forKey: .label) ?? value,
                  help: try c.decodeIfPresent(String.self, forKey: .help),
                  when: try c.decodeIfPresent(ConditionSet.self, forKey: .when) ?? ConditionSet())
    }
}
