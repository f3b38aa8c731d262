extension RuleCatalog {
    /// The Sharding rules.
    static let shardingRules: [Rule] = []
}
