/// Renders the Swift router file for the plans of one topology (one plan per deployment target).
///
/// The sections live in extensions: clusters, sharding data, enums for shards, regions and
/// tenants, and the table entries.
struct SwiftRouterRenderer {
    /// The plans, one per target; the first supplies everything but endpoints.
    let plans: [Plan]
    /// The first plan.
    let plan: Plan
    /// The namespace's name (`Shop`).
    let namespace: String
    /// The case names of `Cluster`, parallel to `plan.clusters`.
    let clusterCases: [String]
    /// The position of each cluster name in `plan.clusters` (the first of a name): looked up per
    /// shard and tenant, so a search of the list would be quadratic in the shard count.
    let clusterPositions: [String: Int]
    /// The case names of `Shard`, parallel to `plan.sharding.shards`.
    let shardCases: [String]
    /// The case names of `Region`, parallel to `plan.regions`.
    let regionCases: [String]
    /// The case names of `Tenant`, parallel to `plan.tenancy.tenants`.
    let tenantCases: [String]
    /// The static names of the table entries, parallel to `plan.tables`.
    let tableNames: [String]

    /// Static members of the namespace a table entry must not shadow.
    static let reservedMembers: Set<String> = [
        "name", "postgresVersion", "consistency", "maxStaleness", "memberRouter", "pooler", "tenancyMode",
        "tenantColumn", "tables", "generator",
    ]

    /// The per-target tables of `Cluster`, each named `<target><suffix>` (`composeReadWrite`).
    enum ClusterTable: String, CaseIterable {
        case members = "Members"
        case readWrite = "ReadWrite"
        case readOnly = "ReadOnly"
        case pooler = "Pooler"
    }

    /// Every name a generated `Cluster`, `Shard`, `Region` or `Tenant` enum declares or has
    /// synthesized. A case of one of these names would not compile (an invalid redeclaration, or
    /// a case hiding a table), so a topology name that maps to one gets a number (a tenant `names`
    /// is the case `names2`). `SwiftRouterBackendTests` checks that every member of every
    /// example's enums is listed here.
    static let enumMemberNames: Set<String> = {
        var names: Set<String> = [
            "allCases", "rawValue", "hashValue", "hash", "byIndex", "name", "database", "cluster", "region", "schema",
            "shards", "shardLists", "members", "readWriteEndpoint", "readOnlyEndpoint", "pooler", memberListsFunction,
        ]
        names.formUnion(["names", "databases", "clusters", "regions", "schemas"])
        for target in DeploymentTarget.allCases {
            for table in ClusterTable.allCases {
                let name = target.rawValue + table.rawValue
                names.formUnion([name, SwiftSourceWriter.maker(name + "Hosts"), SwiftSourceWriter.maker(name + "Ports")])
            }
            for column in MemberColumn.allCases {
                names.insert(SwiftSourceWriter.maker(target.rawValue + column.rawValue))
            }
        }
        return names
    }()

    /// Prepares the names for `plans` (which must not be empty).
    init(plans: [Plan]) {
        self.plans = plans
        self.plan = plans[0]
        self.namespace = SwiftIdentifier.upperCamel(plan.topology)
        self.clusterCases = SwiftIdentifier.uniqueLowerCamel(plan.clusters.map(\.name), reserved: Self.enumMemberNames)
        self.clusterPositions = Dictionary(
            plan.clusters.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
        self.shardCases = SwiftIdentifier.uniqueLowerCamel(plan.sharding?.shards.map(\.name) ?? [], reserved: Self.enumMemberNames)
        self.regionCases = SwiftIdentifier.uniqueLowerCamel(plan.regions, reserved: Self.enumMemberNames)
        self.tenantCases = SwiftIdentifier.uniqueLowerCamel(plan.tenancy?.tenants.map(\.name) ?? [], reserved: Self.enumMemberNames)
        self.tableNames = SwiftIdentifier.uniqueLowerCamel(plan.tables.map(\.name), reserved: Self.reservedMembers)
    }

    /// The Swift type of the shard key, or `nil` without sharding.
    var keyType: String? {
        plan.sharding.map { Self.swiftType(forKeyType: $0.keyType) }
    }

    /// The Swift type that carries a PostgreSQL key type.
    static func swiftType(forKeyType keyType: ShardKeyType) -> String {
        switch keyType {
        case .smallint: "Int16"
        case .integer: "Int32"
        case .text: "String"
        case .bigint: "Int64"
        }
    }

    /// The whole file.
    func render() -> String {
        var out = SwiftSourceWriter()
        write(&out)
        return out.text
    }

    /// Writes the whole file to `file` as it is rendered, holding no more than the writer's buffer
    /// of it (``SwiftSourceWriter/init(streamingTo:)``).
    ///
    /// - Parameter file: The file to write.
    /// - Throws: The first failure to write to it.
    func render(into file: OutputFileWriter) throws(OutputSystemError) {
        var out = SwiftSourceWriter(streamingTo: file)
        write(&out)
        try out.finish()
    }

    /// Writes the whole file to `out`.
    private func write(_ out: inout SwiftSourceWriter) {
        out.line("// Generated by topoc \(plan.generator) from the topology '\(SwiftIdentifier.comment(plan.topology))'.")
        out.line("// DO NOT EDIT: edit the topology and rebuild (the TopologyPlugin does it on `swift build`,")
        out.line("// or run `topoc build TOPOLOGY -o DIR --only swift`).")
        out.line()
        out.line("import TopologyRuntime")
        out.line()
        renderNamespaceDoc(&out)
        out.block("public enum \(namespace)") { out in
            renderBasics(&out)
            out.line()
            renderDeployment(&out)
            out.line()
            renderClusters(&out)
            if plan.sharding != nil {
                out.line()
                renderShards(&out)
            }
            if !plan.regions.isEmpty {
                out.line()
                renderRegions(&out)
            }
            if plan.tenancy != nil {
                out.line()
                renderTenants(&out)
            }
            if plan.sharding != nil {
                out.line()
                renderRouting(&out)
            }
            renderTableTypes(&out)
            renderTableEntries(&out)
        }
    }

    /// The namespace's documentation: what the topology is, in a few lines.
    private func renderNamespaceDoc(_ out: inout SwiftSourceWriter) {
        out.doc("Typed routing for the `\(SwiftIdentifier.comment(plan.topology))` topology (PostgreSQL \(plan.postgresVersion)).")
        out.doc("")
        if let sharding = plan.sharding {
            var line = "- Sharding: `\(sharding.strategy.rawValue)` on `\(sharding.key)` (`\(sharding.keyType.rawValue)`) over "
            line += "\(sharding.shards.count) shards"
            if let function = sharding.hashFunction {
                line += ", hashed with `\(function)`"
            }
            out.doc(line + ".")
        } else {
            out.doc("- Not sharded: every table lives in the databases listed on its entry.")
        }
        if let consistency = plan.guarantees.consistency {
            out.doc("- Consistency: `\(consistency.rawValue)`; route each statement with `memberRouter`.")
        }
        out.doc(
            "- Clusters: \(plan.clusters.count), with members and endpoints for \(Self.list(plans.map { "`\($0.target.rawValue)`" }))."
        )
        if let tenancy = plan.tenancy {
            out.doc("- Tenancy: `\(tenancy.mode.rawValue)` with \(tenancy.tenants.count) tenants (`Tenant`).")
        }
    }

    /// Name, version, consistency and the member router.
    private func renderBasics(_ out: inout SwiftSourceWriter) {
        out.doc("The topology's name.")
        out.line("public static let name = \(SwiftIdentifier.stringLiteral(plan.topology))")
        out.doc("The PostgreSQL major version.")
        out.line("public static let postgresVersion = \(plan.postgresVersion)")
        let level = plan.guarantees.consistency ?? .whenUndeclared
        out.doc(
            "The read consistency the topology guarantees (`guarantees.consistency`"
                + (plan.guarantees.consistency == nil
                    ? ", not declared: \(ConsistencyLevel.whenUndeclared.rawValue), as the plan reads" : "")
                + ").")
        out.line("public static let consistency: ConsistencyLevel = .\(Self.caseName(of: level))")
        let milliseconds = plan.guarantees.maxStaleness.flatMap(TimeSpan.init(parsing:))?.milliseconds
        if let written = plan.guarantees.maxStaleness {
            out.doc("How stale a replica may be to serve `eventual` reads (`max_staleness: \(SwiftIdentifier.comment(written))`).")
        } else {
            out.doc("How stale a replica may be to serve `eventual` reads (`max_staleness` is not declared: none).")
        }
        out.line("public static let maxStaleness: Duration = .milliseconds(\(milliseconds ?? 0))")
        out.doc(
            "Routes each statement to a member of a cluster by consistency level: pass the states of",
            "`Cluster.members(in:)` as a health checker sees them.")
        out.line("public static let memberRouter = MemberRouter(maxStaleness: maxStaleness)")
        if let tenancy = plan.tenancy {
            out.doc("How tenants are separated (`tenancy.mode`).")
            out.line("public static let tenancyMode = \(SwiftIdentifier.stringLiteral(tenancy.mode.rawValue))")
            if let column = tenancy.column {
                out.doc("The column that holds each row's tenant (shared-schema tenancy).")
                out.line("public static let tenantColumn = \(SwiftIdentifier.stringLiteral(column))")
            }
        }
    }

    /// The `Deployment` enum and the pooler endpoint.
    private func renderDeployment(_ out: inout SwiftSourceWriter) {
        out.doc("The deployment targets this file has endpoints for.")
        out.block("public enum Deployment: String, Sendable, CaseIterable") { out in
            for plan in plans {
                out.doc(Self.summary(of: plan.target))
                out.line("case \(plan.target.rawValue)")
            }
        }
        out.line()
        out.doc(
            "The PgBouncer endpoint in `deployment` (on Kubernetes the first cluster's Pooler: each cluster's",
            "own is `Cluster.pooler(in:)`).", "", "- Parameter deployment: The deployment target.", "- Returns: Its host and port.")
        out.block("public static func pooler(in deployment: Deployment) -> Endpoint") { out in
            out.line("switch deployment {")
            for plan in plans {
                out.line("case .\(plan.target.rawValue):")
                out.line("    \(endpointLiteral(host: plan.pooler.host, port: plan.pooler.port))")
            }
            out.line("}")
        }
    }

    /// An `Endpoint(host:port:)` literal.
    func endpointLiteral(host: String, port: Int) -> String {
        "Endpoint(host: \(SwiftIdentifier.stringLiteral(host)), port: \(port))"
    }

    /// A string-array literal's elements.
    func stringElements(_ values: [String]) -> [String] {
        values.map(SwiftIdentifier.stringLiteral)
    }
}

extension SwiftRouterRenderer {
    /// The `TopologyRuntime.ConsistencyLevel` case name of a consistency level.
    static func caseName(of level: ConsistencyLevel) -> String {
        switch level {
        case .strong: "strong"
        case .readYourWrites: "readYourWrites"
        case .causal: "causal"
        case .eventual: "eventual"
        }
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + last
    }

    /// The doc comment of a deployment target's case.
    static func summary(of target: DeploymentTarget) -> String {
        switch target {
        case .compose: "docker-compose: service names as hosts."
        case .local: "One machine: 127.0.0.1 and distinct ports."
        case .kubernetes: "Kubernetes with CloudNativePG: the clusters' services in the topology's namespace."
        }
    }
}
