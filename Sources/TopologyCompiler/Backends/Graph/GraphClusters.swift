/// How the views draw clusters: member boxes, replication edges, and clusters made from one
/// template summarised as one group.
enum GraphClusters {
    /// Clusters made from one template in one region: drawn once, named as a range.
    struct Family {
        /// The template they were made from.
        var template: String
        /// The region of their shards, if any.
        var region: String?
        /// The clusters, in plan order.
        var clusters: [PlanCluster]

        /// `shard-s0 .. shard-s15, 3 members each` (or the one cluster's name).
        var title: String {
            guard clusters.count > 1 else { return clusters.first.map { titleOfOne($0) } ?? template }
            let sizes = Set(clusters.map(\.members.count)).sorted()
            let members =
                sizes.count == 1
                ? "\(GraphText.count(sizes[0], "member")) each" : "\(sizes[0])-\(sizes[sizes.count - 1]) members each"
            return "\(GraphText.range(clusters.map(\.name))), \(members)" + (region.map { " [\($0)]" } ?? "")
        }

        func titleOfOne(_ cluster: PlanCluster) -> String {
            var title = "cluster \(cluster.name)"
            if let shard = cluster.shard { title += " (shard \(shard))" }
            if let region { title += " [\(region)]" }
            return title
        }
    }

    /// The plan's clusters grouped by template and shard region, in plan order.
    static func families(_ plan: Plan) -> [Family] {
        var regionOfCluster: [String: String] = [:]
        for shard in plan.sharding?.shards ?? [] {
            if let region = shard.region { regionOfCluster[shard.cluster] = region }
        }
        var families: [Family] = []
        for cluster in plan.clusters {
            let region = regionOfCluster[cluster.name]
            if let index = families.firstIndex(where: { $0.template == cluster.template && $0.region == region }) {
                families[index].clusters.append(cluster)
            } else {
                families.append(Family(template: cluster.template, region: region, clusters: [cluster]))
            }
        }
        return families
    }

    /// The lines of a member's box.
    static func memberLines(_ member: PlanMember) -> [String] {
        var role = member.role.rawValue
        if member.noFailover && member.role != .replicaNoFailover { role += ", no failover" }
        var lines = [member.name, role + (member.region.map { " [\($0)]" } ?? "")]
        lines.append("\(member.host):\(member.port) (REST \(member.restPort))")
        return lines
    }

    /// Whether the plan decided Patroni's `synchronous_mode` for the cluster.
    static func isSynchronous(_ cluster: PlanCluster) -> Bool {
        cluster.decided.synchronousMode
    }

    /// The label of the leader-to-replica edge.
    static func replicationLabel(_ cluster: PlanCluster) -> String {
        if isSynchronous(cluster) {
            var label = "synchronous"
            label += ", sync_count \(cluster.decided.synchronousNodeCount)"
            if cluster.decided.synchronousModeStrict { label += ", strict" }
            return label
        }
        return "asynchronous, failover lag <= \(ClusterLayout.replicaLagBound(of: cluster)) B"
    }

    /// The edge style of replication in a cluster.
    static func replicationStyle(_ cluster: PlanCluster) -> GraphEdgeStyle {
        isSynchronous(cluster) ? .synchronous : .asynchronous
    }

    /// The lines of a cluster's HAProxy node.
    static func frontendLines(_ cluster: String, plan: Plan) -> [String] {
        guard let frontend = ClusterLayout.frontend(of: cluster, in: plan) else { return ["HAProxy", "no frontend"] }
        return [
            "HAProxy \(frontend.host)",
            "rw :\(frontend.readWritePort) (leader)",
            "ro :\(frontend.readOnlyPort) (replicas)",
        ]
    }
}
