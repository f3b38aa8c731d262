/// Every rule of the validator, in code order. Each family lives in its own file under
/// `Validation/Rules/` and adds its rules here.
public enum RuleCatalog {
    /// All rules.
    public static let all: [Rule] =
        (postgresRules + changeDataCaptureRules + availabilityRules + multiPrimaryRules + shardingRules
        + poolingRules + tenancyRules + tlsRules + backupRules).sorted { $0.code.code < $1.code.code }

    /// The rule with a code, if any.
    public static func rule(_ code: String) -> Rule? { all.first { $0.code.code == code } }
}
