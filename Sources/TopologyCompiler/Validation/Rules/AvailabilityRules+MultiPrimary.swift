/// The rules of multi-primary groups that the generated replication depends on (THA314-THA317).
extension DiagnosticCode {
    /// A multi-primary table without what the replication and its conflict triggers need.
    public static let multiPrimaryTableRequirements = DiagnosticCode(
        code: "THA314", slug: "multi-primary-table-requirements", defaultSeverity: .error,
        summary:
            "Every table a multi-primary group replicates needs a primary key, and with a time-based policy the group's timestamp column.",
        explanation: """
            A multi-primary group replicates every table of its database in both directions with \
            logical replication. PostgreSQL applies an UPDATE or DELETE from another member by its \
            replica identity, the primary key: without one the publisher refuses those commands. \
            The time-based policies (last-write-wins, first-write-wins) order row versions by \
            `timestamp_column`: topoc stamps it with clock_timestamp() on every local write and its \
            conflict triggers compare it, so the group must name the column and every replicated \
            table must have it as `timestamptz` (or `timestamp`). Add the key or the column, or \
            choose a policy the application resolves.
            """,
        source: "https://www.postgresql.org/docs/16/logical-replication-publication.html")

    /// A conflict policy topoc does not generate.
    public static let multiPrimaryConflictsUnresolved = DiagnosticCode(
        code: "THA315", slug: "multi-primary-conflicts-unresolved", defaultSeverity: .warning,
        summary: "topoc resolves last-write-wins and first-write-wins; other policies leave conflicts to the application.",
        explanation: """
            For last-write-wins and first-write-wins topoc generates the triggers that settle two \
            members writing one row. For version-vector, crdt and application it generates the \
            replication only: PostgreSQL's apply worker then applies whatever arrives, and a second \
            INSERT of one key stops the subscription (a duplicate-key error, retried until someone \
            removes one of the rows). The application must avoid or repair such conflicts, for \
            example by keys that cannot collide across members (UUIDs, per-member sequences).
            """,
        source: "https://www.postgresql.org/docs/16/logical-replication-conflicts.html")

    /// Multi-primary replication needs PostgreSQL 16.
    public static let multiPrimaryNeedsPostgres16 = DiagnosticCode(
        code: "THA316", slug: "multi-primary-needs-postgres-16", defaultSeverity: .error,
        summary: "Replication in both directions needs PostgreSQL 16's `origin = none`.",
        explanation: """
            When two clusters subscribe to each other, a change applied from one member would be \
            published again and sent back, forever, unless the subscription asks for changes that \
            originate on the publisher only. PostgreSQL 16 added that option (`CREATE SUBSCRIPTION \
            ... WITH (origin = none)`); earlier versions cannot run a multi-primary group. Declare \
            `postgres: 16` or later.
            """,
        source: "https://www.postgresql.org/docs/16/sql-createsubscription.html")

    /// A group member without the slots or WAL senders its peers' subscriptions take.
    public static let multiPrimaryReplicationCapacity = DiagnosticCode(
        code: "THA317", slug: "multi-primary-replication-capacity", defaultSeverity: .error,
        summary: "Each member of a multi-primary group serves one logical slot and WAL sender per peer, on top of its standbys and CDC.",
        explanation: """
            Every other cluster of the group subscribes to this one: each subscription holds a \
            logical slot (one of Patroni's permanent slots) and a WAL sender on this cluster's \
            leader, next to the physical slot and WAL sender of each standby and the slot of any \
            change-data-capture consumer. PostgreSQL refuses a slot beyond \
            `max_replication_slots` and a connection beyond `max_wal_senders` (both 10 by default): \
            the peer's subscription then retries forever and the group diverges. Raise \
            `settings.max_replication_slots` and `settings.max_wal_senders` (a restart) or make the \
            group smaller.
            """,
        source: "https://www.postgresql.org/docs/16/logical-replication-config.html")
}

extension RuleCatalog {
    /// The multi-primary rules, part of the availability family.
    static let multiPrimaryRules: [Rule] = [
        Rule(.multiPrimaryTableRequirements) { MultiPrimaryChecks.tables($0) },
        Rule(.multiPrimaryConflictsUnresolved) { MultiPrimaryChecks.unresolved($0) },
        Rule(.multiPrimaryNeedsPostgres16) { MultiPrimaryChecks.postgresVersion($0) },
        Rule(.multiPrimaryReplicationCapacity) { MultiPrimaryChecks.capacity($0) },
    ]
}

/// The checks of the multi-primary rules.
enum MultiPrimaryChecks {
    /// The column types a timestamp column may have.
    static let timestampTypes: Set<String> = ["timestamp with time zone", "timestamp without time zone"]

    /// THA314: primary keys, and the timestamp column of time-based policies.
    static func tables(_ context: RuleContext) {
        let topology = context.topology
        for group in topology.multiPrimaryGroups {
            let timeBased = group.conflictPolicy.map { [.lastWriteWins, .firstWriteWins].contains($0.value) } ?? false
            if timeBased, group.timestampColumn == nil, let policy = group.conflictPolicy {
                context.report(
                    "multi-primary group '\(group.name.value)' resolves conflicts by \(policy.value.rawValue) but names no 'timestamp_column' to order row versions",
                    at: policy.location, suppressions: group.suppressions)
            }
            for table in topology.tables {
                if table.primaryKey.isEmpty {
                    context.report(
                        "table '\(table.name.value)' has no primary key: multi-primary group '\(group.name.value)' cannot replicate its updates and deletes",
                        at: table.name.location, notes: [.init("multi-primary group declared here", at: group.name.location)],
                        suppressions: table.suppressions + group.suppressions)
                }
                guard timeBased, let column = group.timestampColumn else { continue }
                guard let found = table.columns.first(where: { $0.name.value == column.value }) else {
                    context.report(
                        "table '\(table.name.value)' has no column '\(column.value)', which multi-primary group '\(group.name.value)' orders row versions by",
                        at: table.name.location, notes: [.init("the timestamp column is named here", at: column.location)],
                        suppressions: table.suppressions + group.suppressions)
                    continue
                }
                if !timestampTypes.contains(found.type.value.base) || found.type.value.isArray {
                    context.report(
                        "column '\(table.name.value).\(column.value)' is \(found.type.value), but multi-primary group '\(group.name.value)' stamps it with clock_timestamp(): declare it timestamptz",
                        at: found.type.location, notes: [.init("the timestamp column is named here", at: column.location)],
                        suppressions: table.suppressions + group.suppressions)
                }
            }
        }
    }

    /// THA315: policies without generated resolution.
    static func unresolved(_ context: RuleContext) {
        for group in context.topology.multiPrimaryGroups {
            guard let policy = group.conflictPolicy, ![.lastWriteWins, .firstWriteWins].contains(policy.value) else { continue }
            context.report(
                "topoc generates no conflict resolution for '\(policy.value.rawValue)' in multi-primary group '\(group.name.value)': the replication runs, and a second insert of one key stops the subscription until the application repairs it",
                at: policy.location, suppressions: group.suppressions)
        }
    }

    /// THA316: PostgreSQL 16 or later.
    static func postgresVersion(_ context: RuleContext) {
        let version = context.topology.postgresVersion
        guard version.value < 16 else { return }
        for group in context.topology.multiPrimaryGroups {
            context.report(
                "multi-primary group '\(group.name.value)' needs PostgreSQL 16 or later (subscriptions with origin = none); the topology declares \(version.value)",
                at: group.name.location, notes: [.init("the PostgreSQL version is declared here", at: version.location)],
                suppressions: group.suppressions)
        }
    }

    /// THA317: peers' slots and WAL senders, with the standbys' and CDC's, against the limits.
    static func capacity(_ context: RuleContext) {
        let topology = context.topology
        var captured: [String: Int] = [:]
        for host in ChangeDataCaptureChecks.slotHosts(topology) { captured[host.template.name.value] = host.slots }
        for group in topology.multiPrimaryGroups {
            let peers = group.clusters.count - 1
            for name in group.clusters {
                guard let cluster = topology.clusters.first(where: { $0.name.value == name.value }) else { continue }
                let standbys = ClusterFacts.replicas(of: cluster)
                let cdc = captured[name.value] ?? 0
                let needed = peers + standbys + cdc
                let parts =
                    "\(ClusterFacts.count(peers, "peer subscription")) + \(standbys) for standbys"
                    + (cdc > 0 ? " + \(cdc) for CDC" : "")
                let limits: [(String, Located<Int>?, Int)] = [
                    ("max_replication_slots", cluster.settings.maxReplicationSlots, ClusterFacts.defaultMaxReplicationSlots),
                    ("max_wal_senders", cluster.settings.maxWalSenders, ClusterFacts.defaultMaxWalSenders),
                ]
                for (setting, declared, fallback) in limits where needed > (declared?.value ?? fallback) {
                    let limit = declared?.value ?? fallback
                    context.report(
                        "cluster '\(name.value)' of multi-primary group '\(group.name.value)' needs \(needed) \(setting == "max_wal_senders" ? "WAL senders" : "replication slots") (\(parts)), more than \(declared == nil ? "the default " : "")\(setting) \(limit)",
                        at: declared?.location ?? cluster.name.location,
                        notes: [.init("multi-primary group declared here", at: group.name.location)],
                        suppressions: cluster.suppressions + group.suppressions)
                }
            }
        }
    }
}
