extension Planner {
    /// The regions that get an etcd cluster of their own: for a topology with a multi-primary
    /// group whose clusters lead from two or more regions, every region a cluster's first member
    /// runs in, in declaration order; otherwise none (one etcd cluster serves the deployment).
    ///
    /// A multi-primary group is meant to keep writing on both sides of a partition between
    /// regions. With one etcd cluster, the side that cannot reach its quorum cannot renew
    /// Patroni's leader key, and Patroni demotes that side's primary within `ttl`. With one etcd
    /// cluster per region, every Patroni cluster depends only on etcd members of its own region.
    static func dcsRegions(_ topology: Topology) -> [String] {
        guard !topology.multiPrimaryGroups.isEmpty else { return [] }
        let leading = Set(topology.clusters.compactMap { $0.members.first?.region?.value })
        let regions = topology.regions.map(\.name.value).filter { leading.contains($0) }
        return regions.count > 1 ? regions : []
    }

    /// Each group with its database, tables, publication and one link per ordered pair of clusters.
    static func multiPrimaryGroups(_ topology: Topology, databases: [PlanDatabase]) -> [PlanMultiPrimaryGroup] {
        topology.multiPrimaryGroups.map { group in
            let clusters = group.clusters.map(\.value)
            let database = databases.first { $0.kind == .main && clusters.contains($0.cluster) }
            var links: [PlanMultiPrimaryLink] = []
            for subscriber in clusters {
                for publisher in clusters where publisher != subscriber {
                    links.append(
                        PlanMultiPrimaryLink(
                            publisher: publisher, subscriber: subscriber,
                            subscription: PlanNames.multiPrimarySubscription(
                                group: group.name.value, publisher: publisher, subscriber: subscriber),
                            slot: PlanNames.multiPrimarySlot(group: group.name.value, publisher: publisher, subscriber: subscriber)))
                }
            }
            return PlanMultiPrimaryGroup(
                name: group.name.value, clusters: clusters, conflictPolicy: group.conflictPolicy?.value,
                timestampColumn: group.timestampColumn?.value, database: database?.name ?? topology.name.value,
                tables: database?.tables ?? [], publication: PlanNames.multiPrimaryPublication(group: group.name.value),
                links: links)
        }
    }
}
