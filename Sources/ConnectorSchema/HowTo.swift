import Foundation

/// Numbered steps that tell the operator where to find a value in the target application.
public struct HowTo: Hashable, Sendable, Codable {
    public var title: String
    public var steps: [String]

    public init(title: String, steps: [String]) {
        self.title = title
        self.steps = steps
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case title, steps }

    public init(from decoder: Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        title = try c.decode(String.self, forKey: .title)
        steps = try c.decode([String].self, forKey: .steps)
        if steps.isEmpty { throw decoder.failure("howTo needs at least one step") }
    }
}
