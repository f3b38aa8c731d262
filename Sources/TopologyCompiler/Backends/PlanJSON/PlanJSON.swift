/// The JSON form of a plan, as `plan.json` and `topoc plan --format json` show it.
public enum PlanJSON {
    /// The plan as deterministic JSON.
    public static func encode(_ plan: Plan) -> String { DeterministicJSON.text(plan) }

    /// The UTF-8 bytes of ``encode(_:)``.
    public static func bytes(_ plan: Plan) -> [UInt8] { DeterministicJSON.bytes(plan) }
}
