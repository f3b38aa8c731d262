extension RuleCatalog {
    /// The Pooling rules.
    static let poolingRules: [Rule] = []
}
