extension RuleCatalog {
    /// The Availability rules.
    static let availabilityRules: [Rule] = []
}
