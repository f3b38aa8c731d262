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
            out.tableFilledOnce("names", type: "[String]", stringElements(plan.clusters.map(\.name)))
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
        // One `return` per cluster, not one nested array literal: the Swift compiler type-checks
        // each expression whole, and a literal of 256 clusters x 3 members took 29 s and 8.7 GB
        // to compile (docs/performance.md, "What the router costs the application").
        let membersTable = prefix + ClusterTable.members.rawValue
        out.line("private static let \(membersTable): [[ClusterMember]] = allCases.map(\(membersTable)(of:))")
        out.line()
        // Not optimized: it runs once per cluster, to fill the table above, and optimizing a switch
        // of 256 clusters' member literals cost the XL router's release compile 20 of its 37 s of
        // CPU (docs/performance.md). A switch over the enum, not its raw value: `case 7:` patterns
        // cost the type checker more than `case .shardS7:` (docs/performance.md, "The generated
        // router at 4,096 shards"), and the switch needs no `default`.
        out.line("@_optimize(none)")
        out.block("private static func \(membersTable)(of cluster: Cluster) -> [ClusterMember]") { out in
            out.line("switch cluster {")
            for (index, cluster) in plan.clusters.enumerated() {
                let members = targetClusters[cluster.name]?.members ?? []
                out.line("case .\(clusterCases[index]):")
                guard !members.isEmpty else {
                    out.line("    return []")
                    continue
                }
                out.line("    return [")
                for member in members {
                    let region = member.region.map(SwiftIdentifier.stringLiteral) ?? "nil"
                    out.line("        ClusterMember(")
                    out.line(
                        "            name: \(SwiftIdentifier.stringLiteral(member.name)), isBootstrapLeader: \(member.role == .leader), "
                            + "canBePromoted: \(!member.noFailover), region: \(region),")
                    // swift-format: a trailing comma only in collections of several elements.
                    out.line(
                        "            endpoint: \(endpointLiteral(host: member.host, port: member.port)))" + (members.count > 1 ? "," : ""))
                }
                out.line("    ]")
            }
            out.line("}")
        }
        let endpoints: [(ClusterTable, KeyPath<PlanFrontend, String>, KeyPath<PlanFrontend, Int>)] = [
            (.readWrite, \PlanFrontend.host, \PlanFrontend.readWritePort),
            (.readOnly, \PlanFrontend.readOnlyEndpointHost, \PlanFrontend.readOnlyPort),
        ]
        for (table, host, port) in endpoints {
            out.endpointTableFilledOnce(
                prefix + table.rawValue, optional: optionalEndpoints,
                plan.clusters.map { cluster in frontends[cluster.name].map { ($0[keyPath: host], $0[keyPath: port]) } })
        }
        out.endpointTableFilledOnce(
            prefix + ClusterTable.pooler.rawValue, optional: false,
            plan.clusters.map { cluster in
                targetClusters[cluster.name].map(target.pooler(of:)) ?? (target.pooler.host, target.pooler.port)
            })
    }
}
