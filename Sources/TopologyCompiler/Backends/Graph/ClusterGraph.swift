/// One cluster: its members and how they replicate, the HAProxy frontends and PgBouncer pools in
/// front of it, its databases, its logical slots and who reads them (Debezium, multi-primary
/// subscriptions), Patroni's timing and the settings the plan decided from the guarantees.
///
/// The name is a cluster's (`shard-s3`) or a template's (`shard`): a template made into several
/// clusters draws its first, with a note naming the others.
enum ClusterGraph {
    /// Databases and slots drawn one box each; the rest are summarised in one box.
    static let drawnEach = 8

    static func build(_ plan: Plan, name: String) throws(GraphViewError) -> Graph {
        let cluster: PlanCluster
        var siblings: [PlanCluster] = []
        if let exact = plan.clusters.first(where: { $0.name == name }) {
            cluster = exact
        } else if let first = plan.clusters.first(where: { $0.template == name }) {
            cluster = first
            siblings = plan.clusters.filter { $0.template == name }
        } else {
            let known = plan.clusters.map(\.name) + Set(plan.clusters.map(\.template)).subtracting(plan.clusters.map(\.name)).sorted()
            throw GraphViewError.unknown("cluster", name, known: known)
        }
        var graph = GraphBuilder(
            title: "topology \(plan.topology): cluster \(cluster.name) (template \(cluster.template))", direction: .leftToRight)
        if siblings.count > 1 {
            graph.node(
                [
                    "template \(name): \(GraphText.count(siblings.count, "cluster"))",
                    GraphText.range(siblings.map(\.name)), "drawn: \(cluster.name); the others differ in names and shard",
                ], kind: .note)
        }
        let pools = PgBouncerPool.pools(of: plan).filter { $0.cluster == cluster.name }
        let bouncer = graph.node(
            ["PgBouncer \(plan.pooler.host):\(plan.pooler.port)"] + GraphText.lines(pools.map(\.name), limit: 8),
            kind: .component)
        let frontend = graph.node(GraphClusters.frontendLines(cluster.name, plan: plan), kind: .component)
        graph.edge(bouncer, frontend, "pools")
        var leader: String?
        graph.group("cluster \(cluster.name)" + (cluster.shard.map { " (shard \($0))" } ?? "")) { graph in
            leader = OverviewGraph.drawMembers(cluster, frontend: frontend, into: &graph).first
            let databases = ClusterLayout.databases(of: cluster, in: plan)
            for database in databases.prefix(drawnEach) {
                var lines = ["database \(database.name)", database.kind.rawValue + (database.tenant.map { " (tenant \($0))" } ?? "")]
                lines.append("tables: " + GraphText.list(database.tables))
                graph.node(lines, kind: .storage)
            }
            if databases.count > drawnEach {
                let rest = databases.dropFirst(drawnEach).map(\.name)
                graph.node(["and \(GraphText.count(rest.count, "more database")):", GraphText.range(rest)], kind: .summary)
            }
        }
        let etcd = graph.node(["etcd"] + GraphText.lines(plan.etcd.map(\.name), limit: 5), kind: .component)
        if let leader { graph.edge(leader, etcd, "leader lock", style: .control) }
        graph.node(patroniLines(cluster), kind: .note)
        if !cluster.decisions.isEmpty {
            graph.node(["decided from the guarantees"] + cluster.decisions.map { "\($0.name) = \($0.value)" }, kind: .note)
        }
        if !cluster.settings.isEmpty {
            graph.node(
                ["PostgreSQL settings"] + GraphText.lines(cluster.settings.keys.sorted().map { "\($0) = \(cluster.settings[$0] ?? "")" }),
                kind: .note)
        }
        if let leader { drawSlots(cluster, plan: plan, leader: leader, into: &graph) }
        return graph.build()
    }

    /// Patroni's timing.
    static func patroniLines(_ cluster: PlanCluster) -> [String] {
        let failover = cluster.failover
        return [
            "Patroni",
            "ttl \(GraphText.seconds(failover.ttl)), loop_wait \(GraphText.seconds(failover.loopWait)), "
                + "retry_timeout \(GraphText.seconds(failover.retryTimeout))",
            "watchdog \(failover.watchdog.rawValue)",
            "replication: " + GraphClusters.replicationLabel(cluster),
        ]
    }

    /// The cluster's logical slots and their readers, and the subscriptions it applies.
    static func drawSlots(_ cluster: PlanCluster, plan: Plan, leader: String, into graph: inout GraphBuilder) {
        var debezium: String?
        let slots = plan.replication.slots.filter { $0.cluster == cluster.name }
        for slot in slots.prefix(drawnEach) {
            let publications = plan.replication.publications.filter { $0.database == slot.database && $0.cluster == cluster.name }
            var lines = ["slot \(slot.name)", "\(slot.plugin.rawValue) in \(slot.database)"]
            lines += publications.map { "publication \($0.name): " + GraphText.list($0.tables, limit: 4) }
            let node = graph.node(lines, kind: .note)
            graph.edge(leader, node, "logical decoding", style: .asynchronous)
            if let sink = plan.replication.sink {
                if debezium == nil {
                    debezium = graph.node(
                        ["Debezium", "topic prefix \(sink.topicPrefix)"] + (sink.bootstrapServers.map { ["Kafka \($0)"] } ?? []),
                        kind: .component)
                }
                if let debezium { graph.edge(node, debezium, "connector (through rw)") }
            }
        }
        if slots.count > drawnEach {
            let rest = slots.dropFirst(drawnEach).map(\.name)
            let node = graph.node(["and \(GraphText.count(rest.count, "more logical slot")):", GraphText.range(rest)], kind: .summary)
            graph.edge(leader, node, "logical decoding", style: .asynchronous)
            if let debezium { graph.edge(node, debezium, "connectors (through rw)") }
        }
        for group in plan.multiPrimaryGroups {
            for link in group.links where link.publisher == cluster.name {
                let slot = graph.node(
                    ["slot \(link.slot)", "pgoutput in \(group.database)", "publication \(group.publication)"], kind: .note)
                graph.edge(leader, slot, "logical decoding", style: .asynchronous)
                let peer = graph.node(["cluster \(link.subscriber)", "multi-primary \(group.name)"], kind: .summary)
                graph.edge(slot, peer, "subscription \(link.subscription)", style: .asynchronous)
            }
            for link in group.links where link.subscriber == cluster.name {
                let peer = graph.node(["cluster \(link.publisher)", "multi-primary \(group.name)"], kind: .summary)
                graph.edge(peer, leader, "subscription \(link.subscription) applies", style: .asynchronous)
            }
        }
    }
}
