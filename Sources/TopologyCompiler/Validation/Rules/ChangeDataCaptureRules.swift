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
        Rule(.slotWalRetentionBounded) { ChangeDataCaptureChecks.retentionBound($0) },
        Rule(.slotWalRetentionTooSmall) { ChangeDataCaptureChecks.retentionTooSmall($0) },
        Rule(.debeziumValueUnsupported) { ChangeDataCaptureChecks.debeziumValues($0, deprecated: false) },
        Rule(.debeziumValueDeprecated) { ChangeDataCaptureChecks.debeziumValues($0, deprecated: true) },
        Rule(.logicalCaptureWithoutConsumer) { ChangeDataCaptureChecks.withoutConsumer($0) },
        Rule(.captureAcrossAsynchronousFailover) { ChangeDataCaptureChecks.asynchronousFailover($0) },
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
        let layout = PhysicalLayout(topology: topology)
        return topology.clusters.compactMap { template in
            let reference = ClusterFacts.referenceTables(topology)
            let counts = layout.clusters(of: template).map {
                ($0.name, $0.logicalSlotDatabases(capturing: logical, reference: reference).count)
            }
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

    /// TCD208: Debezium reads the slot on the leader, and what a failover does to the stream.
    static func consumedOnLeader(_ context: RuleContext) {
        guard let cdc = context.topology.cdc, let sink = cdc.sink, !slotHosts(context.topology).isEmpty else { return }
        context.report(
            "Debezium reads slot '\(cdc.slot.value)' on the leader, through the read-write endpoint; after a failover the new leader's copy of the slot is at the position the old leader last published to Patroni (the consumer receives changes again), and a commit the consumer read that the new leader lacks makes it skip new commits up to its stored offset: after every failover compare the offset with the position where the new timeline forked (topoc explain TCD208)",
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

    // MARK: TCD210, TCD211

    /// The clusters holding logical slots: those hosting a Debezium slot and the publishers of
    /// multi-primary groups.
    static func logicalSlotClusters(_ topology: Topology) -> [Cluster] {
        let debezium = topology.cdc?.sink == nil ? [] : slotHosts(topology).map { $0.template.name.value }
        let groups = Set(topology.multiPrimaryGroups.flatMap { $0.clusters.map(\.value) })
        return topology.clusters.filter { debezium.contains($0.name.value) || groups.contains($0.name.value) }
    }

    /// TCD210: the bound on the WAL a logical slot may hold back.
    static func retentionBound(_ context: RuleContext) {
        for cluster in logicalSlotClusters(context.topology) {
            let declared = cluster.settings.maxSlotWalKeepSize
            let value = declared?.value ?? SlotRetention.defaultMaxSlotWalKeepSize
            let origin = declared == nil ? " (topoc's default; set settings.max_slot_wal_keep_size to change it)" : ""
            context.report(
                "cluster '\(cluster.name.value)' holds logical slots: max_slot_wal_keep_size = \(value)\(origin) bounds the WAL each may hold back; a consumer further behind loses its slot (wal_status 'lost') and must start again from a new one",
                at: declared?.location ?? cluster.name.location, suppressions: cluster.suppressions)
        }
    }

    /// TCD211: a declared bound below one checkpoint cycle's WAL.
    static func retentionTooSmall(_ context: RuleContext) {
        for cluster in context.topology.clusters {
            guard let declared = cluster.settings.maxSlotWalKeepSize, declared.value < SlotRetention.smallestSafe else { continue }
            context.report(
                "max_slot_wal_keep_size \(declared.value) on cluster '\(cluster.name.value)' is below \(SlotRetention.smallestSafe) (PostgreSQL's default max_wal_size): a slot whose consumer falls one checkpoint cycle behind is invalidated",
                at: declared.location, suppressions: cluster.suppressions)
        }
    }

    // MARK: TCD212, TCD213

    /// TCD212/TCD213: the topology's connector values against the pinned Debezium release.
    static func debeziumValues(_ context: RuleContext, deprecated: Bool) {
        guard let cdc = context.topology.cdc, let sink = cdc.sink else { return }
        let release = DebeziumCatalog.pinned
        let checks: [(key: String, value: String, support: DebeziumSupport, location: SourceLocation)] = [
            (
                "snapshot_mode", sink.snapshotMode.value.rawValue, DebeziumCatalog.support(sink.snapshotMode.value),
                sink.snapshotMode.location
            ),
            ("plugin", cdc.plugin.value.rawValue, DebeziumCatalog.support(cdc.plugin.value), cdc.plugin.location),
        ]
        for check in checks {
            if deprecated, check.support.deprecated(in: release), let since = check.support.deprecatedIn {
                context.report(
                    "\(check.key) '\(check.value)' is deprecated since Debezium \(since); topoc's connectors are for Debezium \(release) (topoc explain TCD213)",
                    at: check.location, notes: [.init("the Debezium sink is declared here", at: sink.location)])
            } else if !deprecated, !check.support.accepted(by: release) {
                let why =
                    check.support.removedIn.map { "was removed in Debezium \($0)" } ?? "exists from Debezium \(check.support.since)"
                context.report(
                    "\(check.key) '\(check.value)' \(why); topoc's connectors are for Debezium \(release), which refuses it",
                    at: check.location, notes: [.init("the Debezium sink is declared here", at: sink.location)])
            }
        }
    }

    // MARK: TCD214, TCD215

    /// TCD214: logical capture without a declared consumer creates no slot.
    static func withoutConsumer(_ context: RuleContext) {
        guard let cdc = context.topology.cdc, cdc.sink == nil, cdc.tables.contains(where: { $0.method.value == .logical }) else {
            return
        }
        context.report(
            "no consumer is declared for publication '\(cdc.publication.value)' (no 'sink'): topoc creates the publication but no replication slot, so nothing holds WAL back; a slot a consumer creates for itself is not copied to the standbys, so a failover loses it",
            at: cdc.slot.location)
    }

    /// TCD215: a Debezium slot on a cluster that fails over asynchronously.
    static func asynchronousFailover(_ context: RuleContext) {
        guard let cdc = context.topology.cdc, let sink = cdc.sink else { return }
        let groups = context.topology.multiPrimaryGroups
        for host in slotHosts(context.topology) {
            let cluster = host.template
            guard ClusterFacts.replicas(of: cluster) > 0,
                !ClusterFacts.decisions(for: cluster, in: context.topology).synchronousMode
            else { continue }
            let group = groups.first { $0.clusters.contains { $0.value == cluster.name.value } }
            let groupText =
                group.map {
                    " It is the slot of multi-primary group '\($0.name.value)', whose asynchronous clusters make this the worst case: the slot holds every region's changes."
                } ?? ""
            context.report(
                "the Debezium slot on cluster '\(host.physical)' survives a failover only as far as the promoted standby received: replication is asynchronous, so a commit the consumer read can be lost, and the consumer then skips new commits up to its stored offset without an error.\(groupText) Follow TCD208's procedure after every failover",
                at: cluster.replication.mode.location,
                notes: [.init("the Debezium sink is declared here", at: sink.location)], suppressions: cluster.suppressions)
        }
    }
}
