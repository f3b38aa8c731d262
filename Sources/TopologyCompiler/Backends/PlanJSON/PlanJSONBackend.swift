/// Writes the resolved plan as `plan.json`.
public struct PlanJSONBackend: Backend {
    /// The file name of the plan.
    public static let fileName = "plan.json"

    public init() {}

    public var name: String { "plan" }
    public var summary: String { "plan.json: the resolved deployment every backend reads" }

    public func artifacts(for plan: Plan) -> [Artifact] {
        [Artifact(path: Self.fileName, contents: PlanJSON.bytes(plan), producer: name)]
    }
}
