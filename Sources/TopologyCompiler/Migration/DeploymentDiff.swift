/// The changes outside the databases' schemas: clusters, members, PostgreSQL and Patroni
/// settings, the pooler, sharding, databases, tenants, replication slots, pg_cron jobs, Debezium
/// connectors.
struct DeploymentDiff {
    /// The old plan.
    let old: Plan
    /// The new plan.
    let new: Plan

    /// The changes, in the order an operator applies them.
    func changes() -> [PlanChange] {
        var changes: [PlanChange] = []
        if old.postgresVersion != new.postgresVersion {
            changes.append(
                PlanChange(
                    .replace, "postgres", "PostgreSQL \(old.postgresVersion) -> \(new.postgresVersion)", impact: .manual,
                    detail:
                        "a major version upgrade is not a migration; not carried out by topoc migrate or topoc up. Either pg_upgrade --link every cluster in a maintenance window "
                        + "(stop Patroni, upgrade the leader, rebuild the replicas from it, then patch Patroni's bin_dir), or build clusters of PostgreSQL \(new.postgresVersion) from NEW, "
                        + "replicate into them logically, and switch over; then extensions (ALTER EXTENSION ... UPDATE) and ANALYZE"))
        }
        changes += shardingChanges()
        changes += roleChanges()
        changes += clusterChanges()
        changes += poolerChanges()
        changes += haproxyChanges()
        changes += databaseChanges()
        changes += tenantChanges()
        changes += slotChanges()
        changes += backupChanges()
        changes += jobChanges()
        changes += connectorChanges()
        return changes
    }

    /// Shard count, strategy and ranges: rows move, which is `topoc rebalance`'s job.
    private func shardingChanges() -> [PlanChange] {
        guard old.sharding != new.sharding else { return [] }
        let before = old.sharding.map { "\($0.strategy.rawValue), \($0.shards.count) shards" } ?? "not sharded"
        let after = new.sharding.map { "\($0.strategy.rawValue), \($0.shards.count) shards" } ?? "not sharded"
        if before == after, old.sharding?.key == new.sharding?.key {
            return [
                PlanChange(
                    .alter, "sharding", "ring and ranges", impact: .dataMovement,
                    detail: "token or range bounds changed: rows move; run `topoc rebalance OLD NEW` for the ranges to copy")
            ]
        }
        return [
            PlanChange(
                .replace, "sharding", new.sharding?.key ?? old.sharding?.key ?? "key", impact: .dataMovement,
                detail: "\(before) -> \(after): rows move between shards; run `topoc rebalance OLD NEW`, not DDL")
        ]
    }

    /// The roles of the role model renamed (`roles:` or the application role they derive from).
    /// The new plan's scripts would create the new role and grant it, while the old one kept its
    /// grants, its login and, for the owner, every object: a manual change, carried out with
    /// `ALTER ROLE ... RENAME TO`, which keeps grants, ownership and a SCRAM password.
    private func roleChanges() -> [PlanChange] {
        let kinds: [(String, KeyPath<PlanRoles, String>)] = [
            ("owner", \.owner), ("application", \.application), ("read-only", \.readOnly), ("clients", \.clients),
            ("CDC", \.changeDataCapture), ("PgBouncer auth", \.poolerAuth), ("PgBouncer admin", \.poolerAdmin),
            ("rewind", \.rewind), ("multi-primary", \.multiPrimary), ("monitor", \.monitor), ("backup", \.backup),
        ]
        var changes: [PlanChange] = []
        for (kind, path) in kinds where old.roles[keyPath: path] != new.roles[keyPath: path] {
            let before = old.roles[keyPath: path]
            let after = new.roles[keyPath: path]
            let how =
                path == \PlanRoles.poolerAdmin
                ? "PgBouncer's admin user is not a PostgreSQL role: pgbouncer.ini and the userlist change with the reload"
                : "not carried out: the new scripts would create \(after) and leave \(before) with its grants and login. Run "
                    + "ALTER ROLE \(SQLQuoting.identifier(before)) RENAME TO \(SQLQuoting.identifier(after)) on each cluster's leader first "
                    + "(it keeps the grants, the objects it owns and a SCRAM password), then apply NEW"
            changes.append(
                PlanChange(
                    .replace, "role", "\(kind) \(before) -> \(after)",
                    impact: path == \PlanRoles.poolerAdmin ? .configReload : .manual, detail: how))
        }
        return changes
    }

    /// Clusters added and removed, members, PostgreSQL settings and Patroni's dynamic settings.
    private func clusterChanges() -> [PlanChange] {
        var changes: [PlanChange] = []
        for cluster in old.clusters where !new.clusters.contains(where: { $0.name == cluster.name }) {
            changes.append(
                PlanChange(
                    .drop, "cluster", cluster.name, impact: .destructive,
                    detail: "\(cluster.members.count) members and their data; stop them and remove the scope from the DCS"))
        }
        for cluster in new.clusters {
            guard let before = old.clusters.first(where: { $0.name == cluster.name }) else {
                changes.append(
                    PlanChange(
                        .create, "cluster", cluster.name, impact: .online,
                        detail: "\(cluster.members.count) members, bootstrapped by `topoc up` / compose"))
                continue
            }
            let scope = [cluster.name]
            let oldMembers = Set(before.members.map(\.name))
            let newMembers = Set(cluster.members.map(\.name))
            for member in cluster.members where !oldMembers.contains(member.name) {
                changes.append(
                    PlanChange(
                        .create, "member", member.name, impact: .online,
                        detail:
                            "a \(member.role.rawValue) cloned from the leader (pg_basebackup by Patroni); start it with `topoc up` / compose",
                        scope: scope))
            }
            for member in before.members where !newMembers.contains(member.name) {
                changes.append(
                    PlanChange(
                        .drop, "member", member.name, impact: .online,
                        detail: "stop it; Patroni removes it from the cluster (a leader fails over first)", scope: scope))
            }
            changes += settingChanges(before, cluster)
            changes += dynamicChanges(before, cluster)
        }
        return changes
    }

    /// PostgreSQL settings, each classified by its `pg_settings` context.
    private func settingChanges(_ before: PlanCluster, _ after: PlanCluster) -> [PlanChange] {
        let keys = Set(before.settings.keys).union(after.settings.keys).sorted()
        return keys.compactMap { key -> PlanChange? in
            let from = before.settings[key]
            let to = after.settings[key]
            guard from != to else { return nil }
            let restart = PostmasterSettings.needsRestart(key, postgresVersion: new.postgresVersion)
            let action: ChangeAction = from == nil ? .create : to == nil ? .drop : .alter
            return PlanChange(
                action, "setting", key, impact: restart ? .configRestart : .configReload,
                detail: "\(from ?? "(default)") -> \(to ?? "(default)"): Patroni dynamic configuration; "
                    + (restart ? "needs a restart of every member (replicas first), pending_restart until then" : "reloaded"),
                scope: [after.name])
        }
    }

    /// Patroni's timing and replication settings (dynamic configuration, reloaded).
    private func dynamicChanges(_ before: PlanCluster, _ after: PlanCluster) -> [PlanChange] {
        var changes: [PlanChange] = []
        if before.failover != after.failover {
            changes.append(
                PlanChange(
                    .alter, "patroni", "ttl, loop_wait, retry_timeout", impact: .configReload,
                    detail: "failover timing: Patroni dynamic configuration", scope: [after.name]))
        }
        if before.replication != after.replication {
            changes.append(
                PlanChange(
                    .alter, "patroni", "replication mode", impact: .configReload,
                    detail:
                        "\(before.replication.mode.rawValue) -> \(after.replication.mode.rawValue): synchronous_mode in Patroni's dynamic configuration",
                    scope: [after.name]))
        }
        return changes
    }

    /// PgBouncer: pool sizes and modes reload; the listening address needs a restart.
    private func poolerChanges() -> [PlanChange] {
        let before = old.pooler
        let after = new.pooler
        var changes: [PlanChange] = []
        if before.host != after.host || before.port != after.port || before.version != after.version {
            changes.append(
                PlanChange(
                    .alter, "pgbouncer", "listen address and version", impact: .configRestart,
                    detail: "PgBouncer restarts (clients reconnect)"))
        }
        var reload: [String] = []
        if before.mode != after.mode { reload.append("pool_mode \(before.mode.rawValue) -> \(after.mode.rawValue)") }
        if before.maxClientConnections != after.maxClientConnections {
            reload.append("max_client_conn \(before.maxClientConnections) -> \(after.maxClientConnections)")
        }
        if before.readWritePoolSize != after.readWritePoolSize || before.readWriteReserve != after.readWriteReserve {
            reload.append(
                "read-write pool \(before.readWritePoolSize)+\(before.readWriteReserve) -> \(after.readWritePoolSize)+\(after.readWriteReserve)"
            )
        }
        if before.readOnlyPoolSize != after.readOnlyPoolSize || before.readOnlyReserve != after.readOnlyReserve {
            reload.append("read-only pool \(before.readOnlyPoolSize ?? 0) -> \(after.readOnlyPoolSize ?? 0)")
        }
        if before.maxPreparedStatements != after.maxPreparedStatements { reload.append("max_prepared_statements") }
        if !reload.isEmpty {
            changes.append(
                PlanChange(
                    .alter, "pgbouncer", "pgbouncer.ini", impact: .configReload,
                    detail: reload.joined(separator: "; ") + ": RELOAD on the admin console"))
        }
        if PgBouncerConfig.text(plan: old) != PgBouncerConfig.text(plan: new), changes.isEmpty {
            changes.append(
                PlanChange(
                    .alter, "pgbouncer", "pgbouncer.ini", impact: .configReload,
                    detail: "databases or pools changed: RELOAD on the admin console"))
        }
        return changes
    }

    /// HAProxy's configuration and the staleness agent beside it: what reads go where follows
    /// the consistency level and `max_staleness`, and every cluster and member has its servers,
    /// so a guarantee alone can change them.
    private func haproxyChanges() -> [PlanChange] {
        guard old.target != .kubernetes, new.target != .kubernetes else { return [] }
        var what: [String] = []
        if HAProxyBackend.text(plan: old) != HAProxyBackend.text(plan: new) {
            what.append("haproxy.cfg changes (its frontends, servers or health checks)")
        }
        let agentBefore = HAProxyBackend.usesStalenessAgent(old) ? StalenessAgentScript.text(plan: old) : nil
        let agentAfter = HAProxyBackend.usesStalenessAgent(new) ? StalenessAgentScript.text(plan: new) : nil
        switch (agentBefore, agentAfter) {
        case (nil, .some): what.append("the staleness agent starts beside it (max_staleness)")
        case (.some, nil): what.append("the staleness agent stops")
        case (.some(let before), .some(let after)) where before != after: what.append("the staleness agent's members or bounds change")
        default: break
        }
        guard !what.isEmpty else { return [] }
        return [
            PlanChange(
                .alter, "haproxy", "configuration", impact: .configReload,
                detail: what.joined(separator: "; ")
                    + ": HAProxy reads its configuration when it starts, so reload it with the new file (`haproxy -sf`, or the "
                    + "service's reload); until then reads are routed as before")
        ]
    }

    /// Databases added and removed.
    private func databaseChanges() -> [PlanChange] {
        var changes: [PlanChange] = []
        func key(_ database: PlanDatabase) -> String { "\(database.cluster)/\(database.name)" }
        let before = Set(old.databases.map(key))
        let after = Set(new.databases.map(key))
        for database in new.databases where !before.contains(key(database)) {
            changes.append(
                PlanChange(
                    .create, "database", database.name, impact: .online,
                    detail: "\(database.kind.rawValue) database, built by its full script",
                    scope: [database.cluster]))
        }
        for database in old.databases where !after.contains(key(database)) {
            changes.append(
                PlanChange(
                    .drop, "database", database.name, impact: .destructive,
                    detail: new.clusters.contains { $0.name == database.cluster }
                        ? "dropped with every table by \(MigrationArtifacts.dropPath(database.cluster)), last (with its inactive logical slots)"
                        : "goes with its cluster",
                    scope: [database.cluster]))
        }
        return changes
    }

    /// Tenants onboarded and removed.
    private func tenantChanges() -> [PlanChange] {
        let before = Set((old.tenancy?.tenants ?? []).map(\.name))
        let after = Set((new.tenancy?.tenants ?? []).map(\.name))
        var changes: [PlanChange] = []
        for tenant in new.tenancy?.tenants ?? [] where !before.contains(tenant.name) {
            changes.append(
                PlanChange(
                    .create, "tenant", tenant.name, impact: .online,
                    detail: tenant.schema.map { "schema \($0) onboarded by the converge step" } ?? tenant.database.map { "database \($0)" }
                        ?? "new tenant id: no DDL"))
        }
        for tenant in old.tenancy?.tenants ?? [] where !after.contains(tenant.name) {
            let storage = tenant.schema.map { "schema \($0)" } ?? tenant.database.map { "database \($0)" }
            changes.append(
                PlanChange(
                    .drop, "tenant", tenant.name, impact: storage == nil ? .metadataOnly : .destructive,
                    detail: tenant.schema.map {
                        "schema \($0) dropped with everything in it after the converge step, role \(tenant.role ?? "") by drop.sql"
                    }
                        ?? tenant.database.map { "database \($0) and role \(tenant.role ?? "") dropped by drop.sql" }
                        ?? "rows stay in the shared tables"))
        }
        return changes
    }

    /// Logical replication slots (Patroni permanent slots: dynamic configuration).
    private func slotChanges() -> [PlanChange] {
        func key(_ slot: PlanSlot) -> String { "\(slot.cluster)/\(slot.name)" }
        let before = Set(old.replication.slots.map(key))
        let after = Set(new.replication.slots.map(key))
        var changes: [PlanChange] = []
        for slot in new.replication.slots where !before.contains(key(slot)) {
            changes.append(
                PlanChange(
                    .create, "slot", slot.name, impact: .configReload,
                    detail:
                        "permanent logical slot in Patroni's dynamic configuration; it retains WAL from its creation until a consumer confirms (max_slot_wal_keep_size bounds it)",
                    scope: [slot.cluster]))
        }
        for slot in old.replication.slots where !after.contains(key(slot)) {
            changes.append(
                PlanChange(
                    .drop, "slot", slot.name, impact: .configReload,
                    detail: "no longer permanent: drop it with pg_drop_replication_slot once its consumer stopped", scope: [slot.cluster]))
        }
        return changes
    }

    /// Backups added, removed or reconfigured. Adding them turns WAL archiving on, which does
    /// nothing useful until each cluster's stanza exists: until then `archive_command` fails and
    /// `pg_wal` keeps every segment.
    private func backupChanges() -> [PlanChange] {
        switch (old.backup, new.backup) {
        case (nil, .some):
            return [
                PlanChange(
                    .create, "backup", "pgBackRest", impact: .configRestart,
                    detail:
                        "every member archives its WAL to the repository (archive_mode on: a restart of every member, replicas first); "
                        + "then each cluster's stanza is created, archiving checked and a first full backup taken. Until the stanza "
                        + "exists archive_command fails and pg_wal keeps every segment")
            ]
        case (.some, nil):
            return [
                PlanChange(
                    .drop, "backup", "pgBackRest", impact: .configRestart,
                    detail: "archiving stops (archive_mode off: a restart of every member); the repository and its backups stay")
            ]
        case (.some(let before), .some(let after)) where before != after:
            return [
                PlanChange(
                    .alter, "backup", "pgBackRest", impact: .configReload,
                    detail: "retention, schedule, compression or archive_timeout change: pgbackrest.conf and the timers are written again")
            ]
        default:
            return []
        }
    }

    /// The pg_cron jobs topoc schedules (materialized view refreshes, pg_partman's maintenance)
    /// added, changed and removed, per cluster: the cluster's `cron.sql` applies them.
    private func jobChanges() -> [PlanChange] {
        var clusters: [String] = old.clusters.map(\.name)
        for cluster in new.clusters.map(\.name) where !clusters.contains(cluster) { clusters.append(cluster) }
        var changes: [PlanChange] = []
        for cluster in clusters {
            let before = Dictionary(CronDDL.jobs(cluster: cluster, in: old).map { ($0.name, $0) }) { first, _ in first }
            let after = CronDDL.jobs(cluster: cluster, in: new)
            let kept = Set(after.map(\.name))
            for job in after {
                guard let previous = before[job.name] else {
                    changes.append(
                        PlanChange(
                            .create, "job", job.name, impact: .configReload,
                            detail: "pg_cron runs `\(job.command)` on '\(job.schedule)'; scheduled by the cluster's cron.sql",
                            scope: [cluster]))
                    continue
                }
                var what: [String] = []
                if previous.schedule != job.schedule { what.append("schedule '\(previous.schedule)' -> '\(job.schedule)'") }
                if previous.command != job.command { what.append("command `\(previous.command)` -> `\(job.command)`") }
                if previous.username != job.username {
                    what.append("role \(previous.username ?? "the superuser") -> \(job.username ?? "the superuser")")
                }
                guard !what.isEmpty else { continue }
                changes.append(
                    PlanChange(
                        .alter, "job", job.name, impact: .configReload,
                        detail: what.joined(separator: ", ") + "; changed in place by the cluster's cron.sql", scope: [cluster]))
            }
            for (name, _) in before.sorted(by: { $0.key < $1.key }) where !kept.contains(name) {
                changes.append(
                    PlanChange(
                        .drop, "job", name, impact: .configReload, detail: "unscheduled by the cluster's cron.sql", scope: [cluster]))
            }
        }
        return changes
    }

    /// Debezium connectors added, reconfigured (their captured tables above all) and removed.
    /// Kafka Connect applies a new configuration by restarting the connector, which resumes from
    /// its stored offset.
    private func connectorChanges() -> [PlanChange] {
        let before = Dictionary(DebeziumBackend.connectors(old).map { ($0.connector.name, $0) }) { first, _ in first }
        let after = Set(DebeziumBackend.connectors(new).map(\.connector.name))
        var changes: [PlanChange] = []
        for (slot, connector) in DebeziumBackend.connectors(new) {
            guard let previous = before[connector.name]?.connector else {
                changes.append(
                    PlanChange(
                        .create, "connector", connector.name, impact: .configReload,
                        detail:
                            "a Debezium connector reading slot \(slot.name); registered with Kafka Connect (PUT /connectors/\(connector.name)/config)",
                        scope: [slot.cluster]))
                continue
            }
            let changed = Set(connector.config.keys).union(previous.config.keys).filter { connector.config[$0] != previous.config[$0] }
            guard !changed.isEmpty else { continue }
            let prefix = DebeziumProperty.topicPrefix.rawValue
            var detail =
                "\(changed.sorted().joined(separator: ", ")) change; Kafka Connect restarts the connector with the new configuration "
                + "(PUT /connectors/\(connector.name)/config)"
            if changed.contains(prefix) {
                detail +=
                    ", and because Debezium keys its offsets and names its topics by topic.prefix (\(previous.config[prefix] ?? "") -> "
                    + "\(connector.config[prefix] ?? "")), it finds no offset under the new one: it starts over (snapshot.mode "
                    + "\(connector.config[DebeziumProperty.snapshotMode.rawValue] ?? "initial")) into new topics, which the consumers of the old ones must move to"
            } else {
                detail += ", and it resumes from its stored offset"
            }
            let key = DebeziumProperty.tableIncludeList.rawValue
            let added = Self.list(connector.config[key]).subtracting(Self.list(previous.config[key]))
            if !added.isEmpty {
                detail +=
                    "; \(added.sorted().joined(separator: ", ")) \(added.count == 1 ? "sends its" : "send their") changes from then on, "
                    + "not the rows already there (Debezium sends those only with an incremental snapshot, which needs a signal table topoc does not configure)"
            }
            changes.append(PlanChange(.alter, "connector", connector.name, impact: .configReload, detail: detail, scope: [slot.cluster]))
        }
        for (name, entry) in before.sorted(by: { $0.key < $1.key }) where !after.contains(name) {
            changes.append(
                PlanChange(
                    .drop, "connector", name, impact: .configReload,
                    detail: "delete it from Kafka Connect (DELETE /connectors/\(name)); its slot stays until it is dropped",
                    scope: [entry.slot.cluster]))
        }
        return changes
    }

    /// The entries of a comma-separated property.
    private static func list(_ value: String?) -> Set<String> {
        Set((value ?? "").split(separator: ",").map(String.init))
    }
}
