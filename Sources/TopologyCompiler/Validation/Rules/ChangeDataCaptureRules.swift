extension RuleCatalog {
    /// The change-data-capture rules (TCD2xx): what logical decoding needs from the clusters that
    /// host publications, replica identities, and the cost of trigger-based capture.
    static let changeDataCaptureRules: [Rule] = [
        Rule(.logicalCaptureSetsWalLevel) { ChangeDataCaptureChecks.walLevel($0) },
        Rule(.replicationSlotsExhausted) { ChangeDataCaptureChecks.slotCapacity($0) },
        Rule(.walSendersExhausted) { ChangeDataCaptureChecks.senderCapacity($0) },
        Rule(.publishedTableWithoutIdentity) { ChangeDataCaptureChecks.replicaIdentity($0) },
        Rule(.debeziumBeforeImageIncomplete) { ChangeDataCaptureChecks.debeziumBeforeImage($0) },
        Rule(.partitionedTablePublishedViaRoot) { ChangeDataCaptureChecks.partitionRoot($0) },
        Rule(.logicalSlotOnOneNode) { ChangeDataCaptureChecks.slotOnOneNode($0) },
        Rule(.logicalSlotConsumedOnLeader) { ChangeDataCaptureChecks.consumedOnLeader($0) },
        Rule(.triggerCaptureOnHotTable) { ChangeDataCaptureChecks.hotTrigger($0) },
    ]
}

/// The checks of the change-data-capture rules.
enum ChangeDataCaptureChecks {
    /// The write rate from which trigger-based capture is reported.
    static let hotTableWritesPerSecond = 1000

    /// Per template cluster, its physical cluster hosting the most logical slots, with the count.
    /// Templates hosting none are left out.
    static func slotHosts(_ topology: Topology) -> [(template: Cluster, physical: String, slots: Int)] {
        let logical = ClusterFacts.logicallyCaptured(topology)
        guard !logical.isEmpty else { return [] }
        let layout = PhysicalClusterLayout(topology: topology)
        return topology.clusters.compactMap { template in
            let counts = layout.clusters(of: template).map { ($0.name, $0.logicalSlotDatabases(capturing: logical).count) }
            guard let worst = counts.max(by: { $0.1 < $1.1 }), worst.1 > 0 else { return nil }
            return (template, worst.0, worst.1)
        }
    }

    // MARK: TCD201

    /// TCD201: wal_level=logical on every cluster hosting a publication.
    static func walLevel(_ context: RuleContext) {
        guard let cdc = context.topology.cdc else { return }
        for host in slotHosts(context.topology) {
            context.report(
                "publication '\(cdc.publication.value)' needs wal_level=logical: topoc sets it on cluster '\(host.template.name.value)' (a running cluster needs its dynamic-config patch applied and then a restart of each member)",
                at: cdc.publication.location,
                notes: [.init("cluster '\(host.template.name.value)' hosts the publication", at: host.template.name.location)],
                suppressions: host.template.suppressions)
        }
    }

    // MARK: TCD202, TCD203

    /// TCD202: logical plus physical slots against max_replication_slots.
    static func slotCapacity(_ context: RuleContext) {
        guard let cdc = context.topology.cdc else { return }
        for host in slotHosts(context.topology) {
            let cluster = host.template
            let physical = ClusterFacts.replicas(of: cluster)
            let needed = host.slots + physical
            let limit = cluster.settings.maxReplicationSlots?.value ?? ClusterFacts.defaultMaxReplicationSlots
            guard needed > limit else { continue }
            let limitText =
                cluster.settings.maxReplicationSlots == nil
                ? "the default max_replication_slots \(limit)" : "max_replication_slots \(limit)"
            context.report(
                "cluster '\(host.physical)' needs \(needed) replication slots (\(ClusterFacts.count(host.slots, "logical slot")) for CDC + \(physical) physical for Patroni's standbys), more than \(limitText)",
                at: cluster.settings.maxReplicationSlots?.location ?? cluster.name.location,
                notes: [.init("the CDC slot '\(cdc.slot.value)' is declared here", at: cdc.slot.location)],
                suppressions: cluster.suppressions)
        }
    }

    /// TCD203: standbys plus logical consumers against max_wal_senders.
    static func senderCapacity(_ context: RuleContext) {
        guard let cdc = context.topology.cdc else { return }
        for host in slotHosts(context.topology) {
            let cluster = host.template
            let standbys = ClusterFacts.replicas(of: cluster)
            let needed = host.slots + standbys
            let limit = cluster.settings.maxWalSenders?.value ?? ClusterFacts.defaultMaxWalSenders
            guard needed > limit else { continue }
            let limitText =
                cluster.settings.maxWalSenders == nil ? "the default max_wal_senders \(limit)" : "max_wal_senders \(limit)"
            context.report(
                "cluster '\(host.physical)' needs \(needed) WAL senders (\(ClusterFacts.count(standbys, "standby", plural: "standbys")) + \(ClusterFacts.count(host.slots, "logical consumer"))), more than \(limitText)",
                at: cluster.settings.maxWalSenders?.location ?? cluster.name.location,
                notes: [.init("the CDC slot '\(cdc.slot.value)' is declared here", at: cdc.slot.location)],
                suppressions: cluster.suppressions)
        }
    }

    // MARK: TCD204, TCD205, TCD206

    /// TCD204: published tables without a primary key or full replica identity.
    static func replicaIdentity(_ context: RuleContext) {
        guard let cdc = context.topology.cdc else { return }
        for captured in cdc.tables where captured.method.value == .logical {
            guard let table = context.table(captured.table.value), table.primaryKey.isEmpty,
                captured.replicaIdentity?.value != .full
            else { continue }
            context.report(
                "table '\(table.name.value)' is published without a primary key or REPLICA IDENTITY FULL: PostgreSQL will reject every UPDATE and DELETE on it; declare a primary key or set 'replica_identity: full'",
                at: captured.replicaIdentity?.location ?? captured.table.location,
                notes: [.init("'\(table.name.value)' is declared here without a primary key", at: table.name.location)],
                suppressions: captured.suppressions + table.suppressions)
        }
    }

    /// TCD205: Debezium captures without full before-images.
    static func debeziumBeforeImage(_ context: RuleContext) {
        guard let cdc = context.topology.cdc, let sink = cdc.sink else { return }
        for captured in cdc.tables where captured.method.value == .logical && captured.replicaIdentity?.value != .full {
            let suppressions = captured.suppressions + (context.table(captured.table.value)?.suppressions ?? [])
            context.report(
                "Debezium events for '\(captured.table.value)' carry no complete before-image: with the default replica identity updates have an empty 'before' and deletes only the key; set 'replica_identity: full' if consumers need old values",
                at: captured.replicaIdentity?.location ?? captured.table.location,
                notes: [.init("the Debezium sink is declared here", at: sink.location)], suppressions: suppressions)
        }
    }

    /// TCD206: partitioned tables published through their root.
    static func partitionRoot(_ context: RuleContext) {
        guard let cdc = context.topology.cdc else { return }
        for captured in cdc.tables where captured.method.value == .logical {
            guard let table = context.table(captured.table.value), let partitioning = table.partitioning else { continue }
            let destination = cdc.sink == nil ? "consumers see one table" : "Debezium writes one topic"
            context.report(
                "partitioned table '\(table.name.value)' is published via its root (topoc sets publish_via_partition_root): changes to every partition are reported as changes of '\(table.name.value)', and \(destination) for it, not one per partition",
                at: captured.table.location,
                notes: [.init("'\(table.name.value)' is partitioned here", at: partitioning.location)],
                suppressions: captured.suppressions + table.suppressions)
        }
    }

    // MARK: TCD207, TCD208

    /// TCD207: logical slots on clusters without a promotable standby.
    static func slotOnOneNode(_ context: RuleContext) {
        guard let cdc = context.topology.cdc else { return }
        for host in slotHosts(context.topology) {
            let cluster = host.template
            let standbys = cluster.members.dropFirst()
            guard !standbys.contains(where: { !$0.noFailover }) else { continue }
            let location: SourceLocation
            let reason: String
            if let noFailover = standbys.first(where: \.noFailover) {
                location = noFailover.location
                reason = "its standbys are all tagged nofailover"
            } else {
                location = ClusterFacts.membersLocation(of: cluster)
                reason = "it has a single member"
            }
            context.report(
                "the logical slot on cluster '\(host.physical)' lives on one node: \(reason), so Patroni has no standby to carry the permanent slot over, and losing the leader stops the CDC stream or forces a re-snapshot",
                at: location, notes: [.init("the CDC slot '\(cdc.slot.value)' is declared here", at: cdc.slot.location)],
                suppressions: cluster.suppressions)
        }
    }

    /// TCD208: Debezium reads the slot on the leader.
    static func consumedOnLeader(_ context: RuleContext) {
        guard let cdc = context.topology.cdc, let sink = cdc.sink, !slotHosts(context.topology).isEmpty else { return }
        context.report(
            "Debezium must read slot '\(cdc.slot.value)' on the leader: connect it through the read-write endpoint that follows the leader, not a replica or the read-only pool; after a failover it resumes from the permanent slot on the new leader",
            at: sink.location, notes: [.init("the slot is declared here", at: cdc.slot.location)])
    }

    // MARK: TCD209

    /// TCD209: trigger capture of tables written 1000 times per second or more.
    static func hotTrigger(_ context: RuleContext) {
        guard let cdc = context.topology.cdc else { return }
        for captured in cdc.tables where captured.method.value == .trigger {
            guard let table = context.table(captured.table.value), let rate = table.writesPerSecond,
                rate.value >= hotTableWritesPerSecond
            else { continue }
            context.report(
                "trigger-based capture of '\(table.name.value)' doubles its \(rate.value) writes per second (the threshold is \(hotTableWritesPerSecond)): every change also inserts a row into '\(cdc.auditTable.value)'; use 'method: logical'",
                at: captured.method.location,
                notes: [.init("the write rate is declared here", at: rate.location)],
                suppressions: captured.suppressions + table.suppressions)
        }
    }
}
