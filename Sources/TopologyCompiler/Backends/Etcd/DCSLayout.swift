/// Which etcd cluster (Patroni's DCS) serves which Patroni cluster.
///
/// Most deployments have one etcd cluster. A multi-primary topology whose clusters lead from
/// several regions has one per region (``Planner/dcsRegions(_:)``): each Patroni cluster then
/// keeps its leader key in the etcd cluster of its first member's region, so a partition
/// between regions leaves every cluster with its own quorum.
public enum DCSLayout {
    /// The region of the etcd cluster that serves `cluster`: its first member's region when the
    /// plan has an etcd cluster there, else the plan's first etcd cluster's (nil when one etcd
    /// cluster serves everything).
    public static func region(of cluster: PlanCluster, in plan: Plan) -> String? {
        let regions = plan.etcd.compactMap(\.region)
        guard let first = regions.first else { return nil }
        if let own = cluster.members.first?.region, regions.contains(own) { return own }
        return first
    }

    /// The etcd members of the etcd cluster that serves `cluster`.
    public static func members(of cluster: PlanCluster, in plan: Plan) -> [PlanEtcdMember] {
        let region = region(of: cluster, in: plan)
        return plan.etcd.filter { $0.region == region }
    }

    /// The members of `member`'s own etcd cluster (the ones its `initial-cluster` names).
    public static func peers(of member: PlanEtcdMember, in plan: Plan) -> [PlanEtcdMember] {
        plan.etcd.filter { $0.region == member.region }
    }

    /// The client endpoints, `host:port`, Patroni's `etcd3.hosts` of `cluster` lists.
    public static func hosts(of cluster: PlanCluster, in plan: Plan) -> [String] {
        members(of: cluster, in: plan).map { "\($0.host):\($0.clientPort)" }
    }

    /// Whether Patroni's `failsafe_mode` is on for `cluster`: for every member of a multi-primary
    /// group, so that a region whose etcd cluster fails as a whole keeps its primary while the
    /// primary reaches every member of its cluster through Patroni's REST API.
    public static func failsafe(_ cluster: PlanCluster, in plan: Plan) -> Bool {
        plan.multiPrimaryGroups.contains { $0.clusters.contains(cluster.name) }
    }
}
