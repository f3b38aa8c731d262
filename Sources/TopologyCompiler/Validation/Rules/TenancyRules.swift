extension RuleCatalog {
    /// The Tenancy rules.
    static let tenancyRules: [Rule] = []
}
