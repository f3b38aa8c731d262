/// The SHA-256 of a plan: of its JSON (`topoc plan --format json`), which holds every fact a
/// backend reads. A saved migration names the hashes of both plans and is refused against others.
public enum PlanFingerprint {
    /// The lowercase hex SHA-256 of the plan's JSON.
    public static func sha256(_ plan: Plan) -> String {
        OutputSHA256.hex(PlanJSON.bytes(plan))
    }
}
