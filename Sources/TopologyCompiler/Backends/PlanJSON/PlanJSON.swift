/// The JSON form of a plan, as `plan.json` and `topoc plan --format json` show it.
public enum PlanJSON {
    /// The plan as deterministic JSON.
    public static func encode(_ plan: Plan) -> String { DeterministicJSON.text(plan) }
}
