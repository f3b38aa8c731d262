/// One table: where its rows live (sharding key and strategy, co-location group, reference
/// copies, the databases and clusters holding it), its partitions (first, last, default), indexes,
/// counters and snapshots, foreign keys, the views that name it, and change data capture.
enum TableGraph {
    /// The graph of the table named `name`, or an error naming the tables there are.
    static func build(_ plan: Plan, name: String) throws(GraphViewError) -> Graph {
        guard let table = plan.tables.first(where: { $0.name == name }) else {
            throw GraphViewError.unknown("table", name, known: plan.tables.map(\.name))
        }
        var homes = HomeLines(plan)
        return build(plan, table: table, homes: &homes)
    }

    /// The two lines that say where a table's rows live: its databases, and the clusters holding
    /// them in the plan's order. Each is a pass over the table's databases, so the lines are made
    /// once per distinct list (every sharded table of a plan lists the same shard databases).
    struct HomeLines {
        /// The positions in the plan of the databases of each name.
        private let positions: [String: [Int]]
        /// The cluster of each database, by position in the plan.
        private let clusters: [String]
        private var made: [[String]: [String]] = [:]

        /// The summaries of `plan`'s tables.
        init(_ plan: Plan) {
            var positions: [String: [Int]] = [:]
            for (position, database) in plan.databases.enumerated() { positions[database.name, default: []].append(position) }
            self.positions = positions
            clusters = plan.databases.map(\.cluster)
        }

        /// The lines of a table held by the databases named `holders`.
        mutating func lines(for holders: [String]) -> [String] {
            if let lines = made[holders] { return lines }
            let placed = Set(holders.flatMap { positions[$0] ?? [] }).sorted()
            let clusters = TableGraph.uniqueClusters(placed.map { self.clusters[$0] })
            let lines = [
                "in \(GraphText.count(holders.count, "database")): \(GraphText.range(holders))",
                "on \(GraphText.count(clusters.count, "cluster")): \(GraphText.range(clusters))",
            ]
            made[holders] = lines
            return lines
        }
    }

    /// The graph of `table`, one of `plan`'s tables.
    /// - Parameter homes: The summaries of where tables live, shared by the graphs of one plan's
    ///   tables (a new one when drawing a single table).
    static func build(_ plan: Plan, table: PlanTable, homes summaries: inout HomeLines) -> Graph {
        var graph = GraphBuilder(title: "topology \(plan.topology): table \(table.name)", direction: .leftToRight)
        let node = graph.node(placementLines(table, plan: plan), kind: .storage)
        let homes = graph.node(summaries.lines(for: table.databases), kind: .summary)
        graph.edge(node, homes, table.placement == .reference ? "one full copy in each" : "rows live in")
        var tableNodes = [table.name: node]
        /// The node of another table, drawn once.
        func other(_ name: String, _ graph: inout GraphBuilder) -> String {
            if let existing = tableNodes[name] { return existing }
            let created = graph.node([name], kind: .storage)
            tableNodes[name] = created
            return created
        }
        if let group = table.colocationGroup {
            let others = plan.tables.filter { $0.colocationGroup == group && $0.name != table.name }
            graph.group("co-location group \(group)") { graph in
                for peer in others {
                    let peerNode = graph.node([peer.name, "sharded by \(peer.shardKey ?? "?")"], kind: .storage)
                    tableNodes[peer.name] = peerNode
                    graph.edge(node, peerNode, "same shard for the same key", style: .control)
                }
            }
        }
        if let partitioning = table.schema.partitioning {
            graph.edge(node, graph.node(partitionLines(table, partitioning), kind: .note), "partitions")
        }
        let indexes = table.schema.indexes.map(indexLine)
        if !indexes.isEmpty {
            graph.edge(node, graph.node(["indexes"] + GraphText.lines(indexes), kind: .note), nil, style: .control)
        }
        for foreignKey in table.schema.foreignKeys {
            let target = other(foreignKey.referencedTable, &graph)
            var label = "\(foreignKey.columns.joined(separator: ", ")) → \(foreignKey.referencedColumns.joined(separator: ", "))"
            if let onDelete = foreignKey.onDelete { label += " on delete \(onDelete)" }
            graph.edge(node, target, label)
        }
        for counter in table.schema.counters {
            let counted = other(counter.countedTable, &graph)
            graph.edge(counted, node, "counter \(counter.column): rows by \(counter.via) = \(counter.key)", style: .asynchronous)
        }
        for snapshot in table.schema.snapshots {
            let source = other(snapshot.sourceTable, &graph)
            graph.edge(source, node, "snapshot \(snapshot.column) = \(snapshot.sourceColumn)", style: .asynchronous)
        }
        for view in plan.views where names(view.query, table.name) {
            var lines = [(view.materialized ? "materialized view " : "view ") + view.name]
            if let schedule = view.refreshSchedule {
                lines.append("refresh \(schedule)" + (view.refreshConcurrently ? " concurrently" : ""))
            }
            graph.edge(node, graph.node(lines, kind: .storage), "read by", style: .asynchronous)
        }
        drawCapture(table, plan: plan, from: node, into: &graph)
        return graph.build()
    }

    /// The table's own box: name, placement, key, strategy.
    static func placementLines(_ table: PlanTable, plan: Plan) -> [String] {
        var lines = ["table \(table.name)"]
        switch table.placement {
        case .sharded:
            lines.append("sharded by \(table.shardKey ?? "?")")
            if let sharding = plan.sharding {
                lines.append("\(sharding.strategy.rawValue), \(GraphText.count(sharding.shards.count, "shard"))")
            }
        case .reference: lines.append("reference: copied to every shard")
        case .single: lines.append("single copy")
        }
        if table.schema.tenantScoped, let tenancy = plan.tenancy {
            lines.append("tenant-scoped (\(tenancy.mode.rawValue))")
        }
        lines.append("primary key (\(table.schema.primaryKey.joined(separator: ", ")))")
        for group in table.schema.verticalGroups {
            lines.append("vertical group \(group.name) in \(group.database)")
        }
        return lines
    }

    /// Each of `clusters` once, in the order of its first appearance.
    static func uniqueClusters(_ clusters: [String]) -> [String] {
        var seen = Set<String>()
        return clusters.filter { seen.insert($0).inserted }
    }

    /// Partitioning and the first, last and default partitions.
    static func partitionLines(_ table: PlanTable, _ partitioning: PlanPartitioning) -> [String] {
        var lines = ["partitioned by \(partitioning.method.rawValue) (\(partitioning.columns.joined(separator: ", ")))"]
        if let interval = partitioning.interval { lines.append("interval \(interval.rawValue)") }
        let bounded = table.partitions.filter { $0.kind != .default }
        lines.append(GraphText.count(bounded.count, "partition") + " created by topoc")
        if let first = bounded.first { lines.append("first: " + describe(first)) }
        if bounded.count > 1, let last = bounded.last { lines.append("last: " + describe(last)) }
        if let fallback = table.partitions.first(where: { $0.kind == .default }) { lines.append("default: \(fallback.name)") }
        if let premake = partitioning.partmanPremake { lines.append("pg_partman premake \(premake)") }
        if let retention = partitioning.partmanRetention { lines.append("retention \(retention)") }
        return lines
    }

    static func describe(_ partition: PlanPartition) -> String {
        switch partition.kind {
        case .range: return "\(partition.name) [\(partition.from ?? "MINVALUE"), \(partition.to ?? "MAXVALUE"))"
        case .list: return "\(partition.name) in (\(GraphText.list(partition.values ?? [], limit: 4)))"
        case .hash: return "\(partition.name) modulus \(partition.modulus ?? 0) remainder \(partition.remainder ?? 0)"
        case .default: return partition.name
        }
    }

    static func indexLine(_ index: PlanIndex) -> String {
        let keys = index.keys.map { $0.column ?? "(\($0.expression ?? ""))" }.joined(separator: ", ")
        var line = "\(index.unique ? "unique " : "")\(index.name) \(index.method.rawValue) (\(keys))"
        if !index.include.isEmpty { line += " include (\(index.include.joined(separator: ", ")))" }
        if let predicate = index.predicate { line += " where \(predicate)" }
        return line
    }

    /// Whether `query` names `table` as a whole word (letters, digits and `_` around it differ).
    static func names(_ query: String, _ table: String) -> Bool {
        let words = query.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "_") }
        return words.contains { $0 == table.lowercased() }
    }

    /// Publications, slots, Debezium and the audit log that carry the table's changes.
    static func drawCapture(_ table: PlanTable, plan: Plan, from node: String, into graph: inout GraphBuilder) {
        let publications = plan.replication.publications.filter { $0.tables.contains(table.name) }
        let audits = plan.replication.auditTables.filter { $0.tables.contains(table.name) }
        guard table.schema.capture != nil || !publications.isEmpty || !audits.isEmpty else { return }
        var lines = ["change data capture"]
        if let capture = table.schema.capture {
            lines.append("method \(capture.method.rawValue)" + (capture.replicaIdentity.map { ", replica identity \($0.rawValue)" } ?? ""))
        }
        let publicationNames = Array(Set(publications.map(\.name))).sorted()
        if !publications.isEmpty {
            lines.append("publication \(GraphText.list(publicationNames, limit: 3)) in \(GraphText.count(publications.count, "database"))")
        }
        let slots = plan.replication.slots.filter { slot in publications.contains { $0.database == slot.database } }
        if !slots.isEmpty { lines.append("\(GraphText.count(slots.count, "logical slot")): \(GraphText.range(slots.map(\.name)))") }
        if !audits.isEmpty {
            lines.append(
                "audit log \(GraphText.list(Array(Set(audits.map(\.name))).sorted(), limit: 3)) in \(GraphText.count(audits.count, "database"))"
            )
        }
        let capture = graph.node(lines, kind: .note)
        graph.edge(node, capture, "changes", style: .asynchronous)
        if let sink = plan.replication.sink, !slots.isEmpty {
            let debezium = graph.node(["Debezium", "topic prefix \(sink.topicPrefix)"], kind: .component)
            graph.edge(capture, debezium, "slots read through rw", style: .asynchronous)
        }
    }
}
