extension RuleCatalog {
    /// The Postgres rules.
    static let postgresRules: [Rule] = []
}
