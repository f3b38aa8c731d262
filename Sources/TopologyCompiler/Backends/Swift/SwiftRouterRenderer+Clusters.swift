extension SwiftRouterRenderer {
    /// The `Cluster` enum: names, members and endpoints per deployment target.
    func renderClusters(_ out: inout SwiftSourceWriter) {
        let frontendsComplete = plans.allSatisfy { plan in
            let fronted = Set(plan.pooler.frontends.map(\.cluster))
            return plan.clusters.allSatisfy { fronted.contains($0.name) }
        }
        let endpointType = frontendsComplete ? "Endpoint" : "Endpoint?"
        out.doc("The physical clusters (Patroni scopes), each with its members and endpoints per deployment target.")
        let shardNames = Dictionary(
            (plan.sharding?.shards ?? []).map { ($0.index, $0.name) }, uniquingKeysWith: { first, _ in first })
        out.block("public enum Cluster: Int, Sendable, CaseIterable") { out in
            for (index, cluster) in plan.clusters.enumerated() {
                var summary = "`\(cluster.name)`"
                if let shard = cluster.shard, let name = shardNames[shard] {
                    summary += " (shard `\(name)`)"
                }
                summary +=
                    ": \(cluster.members.count) member\(cluster.members.count == 1 ? "" : "s"), \(cluster.replication.mode.rawValue) replication."
                out.doc(summary)
                out.line("case \(clusterCases[index]) = \(index)")
            }
            out.line()
            renderIndexedCases(&out, type: "Cluster", noun: "cluster", cases: clusterCases)
            out.line()
            out.doc("The cluster's name (its Patroni scope).")
            out.line("public var name: String { Self.names[rawValue] }")
            out.line()
            out.doc(
                "The cluster's members in `deployment`, the bootstrap leader first.", "",
                "- Parameter deployment: The deployment target.", "- Returns: The members.")
            renderPerDeployment(&out, signature: "public func members(in deployment: Deployment) -> [ClusterMember]", table: .members)
            out.line()
            out.doc(
                "The read-write endpoint in `deployment`: it follows the leader through failovers.", "",
                "- Parameter deployment: The deployment target.", "- Returns: The endpoint.")
            renderPerDeployment(
                &out, signature: "public func readWriteEndpoint(in deployment: Deployment) -> \(endpointType)", table: .readWrite)
            out.line()
            out.doc(
                "The read-only endpoint in `deployment`: it balances over the replicas.", "",
                "- Parameter deployment: The deployment target.", "- Returns: The endpoint.")
            renderPerDeployment(
                &out, signature: "public func readOnlyEndpoint(in deployment: Deployment) -> \(endpointType)", table: .readOnly)
            out.line()
            out.doc(
                "The pooler that serves the cluster's databases in `deployment`: PgBouncer, or on Kubernetes the",
                "cluster's own read-write Pooler.", "", "- Parameter deployment: The deployment target.", "- Returns: The endpoint.")
            renderPerDeployment(&out, signature: "public func pooler(in deployment: Deployment) -> Endpoint", table: .pooler)
            out.line()
            out.packedTable("names", .strings(plan.clusters.map(\.name)))
            out.line()
            renderMemberLists(&out)
            out.line()
            for target in plans {
                renderClusterData(&out, plan: target, optionalEndpoints: !frontendsComplete)
            }
        }
    }

    /// A method that switches over the deployments and indexes a per-deployment table.
    private func renderPerDeployment(_ out: inout SwiftSourceWriter, signature: String, table: ClusterTable) {
        out.block(signature) { out in
            out.line("switch deployment {")
            for plan in plans {
                out.line("case .\(plan.target.rawValue):")
                out.line("    Self.\(plan.target.rawValue)\(table.rawValue)[rawValue]")
            }
            out.line("}")
        }
    }

    /// The members and endpoints of every cluster in one target's plan.
    private func renderClusterData(_ out: inout SwiftSourceWriter, plan target: Plan, optionalEndpoints: Bool) {
        let prefix = target.target.rawValue
        // By name once (the first of a name, as `first(where:)` found it): a search per cluster is
        // quadratic in the shard count.
        let targetClusters = Dictionary(target.clusters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let frontends = Dictionary(target.pooler.frontends.map { ($0.cluster, $0) }, uniquingKeysWith: { first, _ in first })
        renderMemberTables(&out, prefix: prefix) { cluster in targetClusters[cluster.name]?.members ?? [] }
        let endpoints: [(ClusterTable, KeyPath<PlanFrontend, String>, KeyPath<PlanFrontend, Int>)] = [
            (.readWrite, \PlanFrontend.host, \PlanFrontend.readWritePort),
            (.readOnly, \PlanFrontend.readOnlyEndpointHost, \PlanFrontend.readOnlyPort),
        ]
        for (table, host, port) in endpoints {
            out.endpointTable(
                prefix + table.rawValue, optional: optionalEndpoints,
                plan.clusters.map { cluster in frontends[cluster.name].map { ($0[keyPath: host], $0[keyPath: port]) } })
        }
        out.endpointTable(
            prefix + ClusterTable.pooler.rawValue, optional: false,
            plan.clusters.map { cluster in
                targetClusters[cluster.name].map(target.pooler(of:)) ?? (target.pooler.host, target.pooler.port)
            })
    }

    /// The fields of a member, each a table of one entry per member in every cluster, clusters in
    /// order; `counts` holds how many members each cluster has.
    enum MemberColumn: String, CaseIterable {
        case counts = "MemberCounts"
        case names = "MemberNames"
        case hosts = "MemberHosts"
        case ports = "MemberPorts"
        case regions = "MemberRegions"
        case bootstrapLeaders = "MemberBootstrapLeaders"
        case promotable = "MemberPromotable"

        /// What the table holds; its Swift type is `kind.swiftType`.
        var kind: PackedTableValues.Kind {
            switch self {
            case .counts, .ports: .integers
            case .names, .hosts: .strings
            case .regions: .optionalStrings
            case .bootstrapLeaders, .promotable: .booleans
            }
        }

        /// The name of `memberLists`' parameter this table is passed as.
        var parameter: String {
            switch self {
            case .counts: "counts"
            case .names: "names"
            case .hosts: "hosts"
            case .ports: "ports"
            case .regions: "regions"
            case .bootstrapLeaders: "bootstrapLeaders"
            case .promotable: "promotable"
            }
        }
    }

    /// The name of the function that puts each cluster's members together from the member tables.
    static let memberListsFunction = "memberLists"

    /// `memberLists`: each cluster's `[ClusterMember]` from the ``MemberColumn`` tables, once per
    /// target, at first use.
    private func renderMemberLists(_ out: inout SwiftSourceWriter) {
        out.doc(
            "Each cluster's members, put together from tables of one entry per member (clusters in order,",
            "`counts[i]` members for the i-th).")
        // Not optimized: it runs once per target, at first use, like the tables' makers.
        out.line("@_optimize(none)")
        out.line("private static func \(Self.memberListsFunction)(")
        for column in MemberColumn.allCases {
            out.line("    \(column.parameter): \(column.kind.swiftType)" + (column == MemberColumn.allCases.last ? "" : ","))
        }
        out.block(") -> [[ClusterMember]]") { out in
            out.line("var next = 0")
            out.line("return counts.map { count in")
            out.line("    defer { next += count }")
            out.line("    return (next..<next + count).map { index in")
            out.line("        ClusterMember(")
            out.line("            name: names[index], isBootstrapLeader: bootstrapLeaders[index], canBePromoted: promotable[index],")
            out.line("            region: regions[index], endpoint: Endpoint(host: hosts[index], port: ports[index]))")
            out.line("    }")
            out.line("}")
        }
    }

    /// One target's `<target>Members` table and the member tables it is made from.
    ///
    /// Not a `switch` with one `return [ClusterMember(...)]` per cluster: at 4,096 clusters the type
    /// checker spent 1.1-1.7 s on each such function, and a trial of one took 6.95 s and 405 MB to
    /// compile where the tables take 4.27 s and 247 MB (docs/performance.md, "Each cluster's members
    /// from flat tables"). Each table is packed text returned by a function
    /// (``SwiftSourceWriter/packedMaker(_:_:)``), like the endpoint tables' hosts and ports.
    private func renderMemberTables(
        _ out: inout SwiftSourceWriter, prefix: String, members: (PlanCluster) -> [PlanMember]
    ) {
        let perCluster = plan.clusters.map(members)
        let all = perCluster.flatMap { $0 }
        let table = prefix + ClusterTable.members.rawValue
        let arguments = MemberColumn.allCases.map { "\($0.parameter): \(SwiftSourceWriter.maker(prefix + $0.rawValue))()" }
        out.line("private static let \(table): [[ClusterMember]] = \(Self.memberListsFunction)(")
        for (offset, argument) in arguments.enumerated() {
            out.line("    " + argument + (offset == arguments.count - 1 ? "" : ","))
        }
        out.line(")")
        for column in MemberColumn.allCases {
            let values: PackedTableValues =
                switch column {
                case .counts: .integers(perCluster.map(\.count))
                case .names: .strings(all.map(\.name))
                case .hosts: .strings(all.map(\.host))
                case .ports: .integers(all.map(\.port))
                case .regions: .optionalStrings(all.map(\.region))
                case .bootstrapLeaders: .booleans(all.map { $0.role == .leader })
                case .promotable: .booleans(all.map { !$0.noFailover })
                }
            precondition(values.kind == column.kind, "member table \(column) made as \(values.kind), declared \(column.kind)")
            out.packedMaker(prefix + column.rawValue, values)
        }
    }
}
