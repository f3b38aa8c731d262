extension Planner {
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
                name: group.name.value, clusters: clusters, conflictPolicy: group.conflictPolicy?.value.rawValue,
                timestampColumn: group.timestampColumn?.value, database: database?.name ?? topology.name.value,
                tables: database?.tables ?? [], publication: PlanNames.multiPrimaryPublication(group: group.name.value),
                links: links)
        }
    }
}
