/// The overview: the request path from the application through PgBouncer and HAProxy to each
/// cluster's leader and replicas, etcd holding the leader locks, and Debezium and multi-primary
/// subscriptions reading logical slots. Clusters made from one template are drawn once
/// (`shard-s0 .. shard-s15, 3 members each`), so the picture keeps its size as shards are added.
enum OverviewGraph {
    static func build(_ plan: Plan) -> Graph {
        var graph = GraphBuilder(
            title: "topology \(plan.topology): overview (PostgreSQL \(plan.postgresVersion), target \(plan.target.rawValue))",
            direction: .leftToRight)
        var appLines = ["application", "role \(plan.roles.application)"]
        if let sharding = plan.sharding {
            appLines.append("routes by \(sharding.key): \(sharding.strategy.rawValue), \(GraphText.count(sharding.shards.count, "shard"))")
        }
        let app = graph.node(appLines, kind: .client)
        let pools = PgBouncerPool.pools(of: plan)
        let pooler = plan.pooler
        let bouncer = graph.node(
            [
                "PgBouncer \(pooler.host):\(pooler.port)", "pool_mode \(pooler.mode.rawValue)",
                "\(GraphText.count(pools.count, "pool")) (rw and _ro)",
            ], kind: .component)
        graph.edge(app, bouncer, "SQL")
        let etcd = graph.node(
            ["etcd"] + GraphText.lines(plan.etcd.map { "\($0.name) \($0.host):\($0.clientPort)" }, limit: 5), kind: .component)

        var leaderOf: [String: String] = [:]
        for family in GraphClusters.families(plan) {
            guard let first = family.clusters.first else { continue }
            let names = Set(family.clusters.map(\.name))
            graph.group(family.title) { graph in
                let leaders: [String]
                if family.clusters.count == 1 {
                    let frontend = graph.node(GraphClusters.frontendLines(first.name, plan: plan), kind: .component)
                    let poolNames = pools.filter { $0.cluster == first.name }.map(\.name)
                    graph.edge(bouncer, frontend, "pools " + GraphText.list(poolNames, limit: 4))
                    leaders = drawMembers(first, frontend: frontend, into: &graph)
                } else {
                    leaders = drawFamily(family, plan: plan, pools: pools, bouncer: bouncer, into: &graph)
                }
                for name in names { leaderOf[name] = leaders.first }
                for leader in leaders { graph.edge(leader, etcd, "leader lock", style: .control) }
            }
        }
        drawConsumers(plan, leaderOf: leaderOf, into: &graph)
        return graph.build()
    }

    /// One cluster's frontend edges, members and replication edges; returns the leaders' nodes.
    static func drawMembers(_ cluster: PlanCluster, frontend: String, into graph: inout GraphBuilder) -> [String] {
        var leaders: [String] = []
        var replicas: [String] = []
        for member in cluster.members {
            let node = graph.node(
                GraphClusters.memberLines(member), kind: member.role == .leader ? .leader : .replica)
            if member.role == .leader { leaders.append(node) } else { replicas.append(node) }
        }
        for leader in leaders { graph.edge(frontend, leader, "rw") }
        for replica in replicas { graph.edge(frontend, replica, "ro", style: .asynchronous) }
        for leader in leaders {
            for replica in replicas {
                graph.edge(
                    leader, replica, GraphClusters.replicationLabel(cluster), style: GraphClusters.replicationStyle(cluster))
            }
        }
        return leaders
    }

    /// Clusters from one template drawn as one leader box and one replica box.
    static func drawFamily(
        _ family: GraphClusters.Family, plan: Plan, pools: [PgBouncerPool], bouncer: String, into graph: inout GraphBuilder
    ) -> [String] {
        let clusters = family.clusters
        let byCluster = ClusterLayout.frontends(of: plan)
        let frontends = clusters.compactMap { byCluster[$0.name] }
        let ports = frontends.flatMap { [$0.readWritePort, $0.readOnlyPort] }
        var frontendLines = ["HAProxy: \(clusters.count) x (rw, ro) frontends"]
        if let low = ports.min(), let high = ports.max() {
            frontendLines.append(low == high ? "port \(low) on each host" : "ports \(low)-\(high)")
        }
        let frontend = graph.node(frontendLines, kind: .summary)
        let names = Set(clusters.map(\.name))
        let familyPools = pools.filter { names.contains($0.cluster) && !$0.readOnly }.map(\.name)
        graph.edge(bouncer, frontend, "pools \(GraphText.range(familyPools)) (and _ro)")
        let replicaCount = clusters.reduce(0) { $0 + $1.members.filter { $0.role != .leader }.count }
        let leader = graph.node(
            ["leader x \(clusters.count)", "one per cluster", "e.g. \(clusters[0].members.first?.name ?? clusters[0].name)"],
            kind: .leader)
        graph.edge(frontend, leader, "rw")
        if replicaCount > 0 {
            let perCluster = Set(clusters.map { $0.members.count - 1 }).sorted()
            let each = perCluster.count == 1 ? "\(perCluster[0]) per cluster" : "\(perCluster[0])-\(perCluster.last ?? 0) per cluster"
            let replica = graph.node(["replicas x \(replicaCount)", each], kind: .replica)
            graph.edge(frontend, replica, "ro", style: .asynchronous)
            graph.edge(
                leader, replica, GraphClusters.replicationLabel(clusters[0]), style: GraphClusters.replicationStyle(clusters[0]))
        }
        return [leader]
    }

    /// Debezium connectors and multi-primary subscriptions, from the clusters they read.
    static func drawConsumers(_ plan: Plan, leaderOf: [String: String], into graph: inout GraphBuilder) {
        if let sink = plan.replication.sink, !plan.replication.slots.isEmpty {
            var lines = ["Debezium", "topic prefix \(sink.topicPrefix)", "snapshot \(sink.snapshotMode.rawValue)"]
            if let servers = sink.bootstrapServers { lines.append("Kafka \(servers)") }
            let debezium = graph.node(lines, kind: .component)
            var slotsByLeader: [(leader: String, count: Int)] = []
            for slot in plan.replication.slots {
                guard let leader = leaderOf[slot.cluster] else { continue }
                if let index = slotsByLeader.firstIndex(where: { $0.leader == leader }) {
                    slotsByLeader[index].count += 1
                } else {
                    slotsByLeader.append((leader, 1))
                }
            }
            for entry in slotsByLeader {
                graph.edge(entry.leader, debezium, GraphText.count(entry.count, "logical slot"), style: .asynchronous)
            }
        }
        for group in plan.multiPrimaryGroups {
            for link in group.links {
                guard let from = leaderOf[link.publisher], let to = leaderOf[link.subscriber] else { continue }
                let back = group.links.contains { $0.publisher == link.subscriber && $0.subscriber == link.publisher }
                if back && link.publisher > link.subscriber { continue }
                let label = back ? "\(group.name): subscriptions both ways" : "\(group.name): \(link.subscription)"
                graph.edge(from, to, label, style: back ? .asynchronousBothWays : .asynchronous)
            }
        }
    }
}
