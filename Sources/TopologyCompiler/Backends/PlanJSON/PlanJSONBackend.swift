/// Writes the resolved plan as `plan.json`.
public struct PlanJSONBackend: Backend {
    /// The file name of the plan.
    public static let fileName = "plan.json"

    public init() {}

    public var name: String { "plan" }
    public var summary: String { "plan.json: the resolved deployment every backend reads" }

    public func artifacts(for plan: Plan) -> [Artifact] {
        jsonArtifacts(for: plan)
    }
}

extension PlanJSONBackend: JSONFileBackend {
    var path: String { Self.fileName }

    func document(for plan: Plan) -> Plan { plan }
}
