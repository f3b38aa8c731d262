/// What the compose target cannot deploy (TPC070, TPC071).
extension Planner {
    /// Reports, for the compose target only, the clusters that require a watchdog and pg_partman
    /// under a PostgreSQL whose compose image would not run the generated pg_partman calls.
    func checkComposeTarget(_ plan: Plan) {
        guard target == .compose else { return }
        for cluster in topology.clusters where cluster.failover.watchdog.value == .required {
            context.report(
                .composeWatchdogUnavailable,
                "cluster '\(cluster.name.value)' requires a watchdog, which no compose container has: under compose it never elects a leader (use the local target on hosts with a watchdog, or watchdog: automatic)",
                at: cluster.failover.watchdog.location)
        }
        if ImagePins.partmanMajor(postgres: plan.postgresVersion) == nil,
            plan.clusters.contains(where: { ClusterLayout.usesPartman($0, in: plan) })
        {
            context.report(
                .composePartmanUntested,
                "the compose image of PostgreSQL \(plan.postgresVersion) would install PGDG's pg_partman 5, which refuses the generated pg_partman 4.7 calls; use postgres: \(ImagePins.debianPostgresMajor) for compose",
                at: topology.postgresVersion.location)
        }
    }
}
