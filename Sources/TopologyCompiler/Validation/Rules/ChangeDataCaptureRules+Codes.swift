/// The codes of the change-data-capture rules (TCD2xx).
extension DiagnosticCode {
    /// Logical capture runs with wal_level=logical.
    public static let logicalCaptureSetsWalLevel = DiagnosticCode(
        code: "TCD201", slug: "logical-capture-sets-wal-level", defaultSeverity: .note,
        summary: "Logical capture needs wal_level=logical; topoc sets it on every cluster that hosts a publication.",
        explanation: """
            Logical decoding reads row changes from the WAL, which only carries them with \
            wal_level=logical; with the default `replica` a logical slot cannot even be created. topoc \
            sets wal_level=logical on each cluster that hosts a publication, and the WAL grows \
            somewhat because it carries extra information for decoding. wal_level takes effect only \
            when the server starts. Patroni reads `bootstrap.dcs` once, when it creates the cluster, \
            so on a running cluster the change arrives only when the cluster's dynamic configuration \
            is patched: `cluster/patroni/<cluster>/dynamic-config.json` as the body of `PATCH \
            /config` on a member's REST API, or `dynamic-config.yml` with `patronictl edit-config \
            --apply`. Patroni then marks every member `pending_restart` and the server keeps running \
            with the old level until each member is restarted (`patronictl restart <cluster>`).
            """,
        source: "https://www.postgresql.org/docs/15/runtime-config-wal.html#GUC-WAL-LEVEL")

    /// More slots than max_replication_slots.
    public static let replicationSlotsExhausted = DiagnosticCode(
        code: "TCD202", slug: "replication-slots-exhausted", defaultSeverity: .error,
        summary: "A cluster needs more replication slots than max_replication_slots allows.",
        explanation: """
            Every logical slot of change data capture and, because Patroni's use_slots is on by \
            default, one physical slot per standby (members - 1) live on the leader. PostgreSQL \
            refuses to create a slot beyond max_replication_slots (default 10): the standby or the \
            CDC connector then cannot start. Database-per-tenant and multi-primary topologies hold \
            one logical slot per database that publishes tables. Raise \
            `settings.max_replication_slots` (it needs a restart) above the count.
            """,
        source: "https://www.postgresql.org/docs/15/logical-replication-config.html")

    /// More WAL senders than max_wal_senders.
    public static let walSendersExhausted = DiagnosticCode(
        code: "TCD203", slug: "wal-senders-exhausted", defaultSeverity: .error,
        summary: "A cluster needs more WAL sender processes than max_wal_senders allows.",
        explanation: """
            Each streaming standby and each logical replication consumer holds one WAL sender \
            process on the leader, and PostgreSQL refuses connections beyond max_wal_senders \
            (default 10). PostgreSQL also recommends headroom: a consumer that disconnects abruptly \
            can hold its sender until a timeout, and a new replica's base backup streams through \
            senders too. Raise `settings.max_wal_senders` above the number of standbys plus logical \
            consumers.
            """,
        source: "https://www.postgresql.org/docs/15/logical-replication-config.html")

    /// A published table without a replica identity.
    public static let publishedTableWithoutIdentity = DiagnosticCode(
        code: "TCD204", slug: "published-table-without-identity", defaultSeverity: .error,
        summary: "A table published by logical replication needs a primary key or REPLICA IDENTITY FULL.",
        explanation: """
            Logical replication identifies the row an UPDATE or DELETE changed by its replica \
            identity, by default the primary key. When a table without one is in a publication that \
            publishes updates and deletes, PostgreSQL rejects every UPDATE and DELETE on the table \
            with an error. Declare a primary key, or set `replica_identity: full` on the captured \
            table (the whole old row is then written to the WAL).
            """,
        source: "https://www.postgresql.org/docs/15/logical-replication-publication.html")

    /// Debezium without full before-images.
    public static let debeziumBeforeImageIncomplete = DiagnosticCode(
        code: "TCD205", slug: "debezium-before-image-incomplete", defaultSeverity: .warning,
        summary: "Without REPLICA IDENTITY FULL, Debezium's change events carry no complete before-image.",
        explanation: """
            With the default replica identity PostgreSQL writes only the old primary key to the WAL, \
            so Debezium's `before` field is empty for updates and holds only the key for deletes. \
            Consumers that compute deltas, audit old values or maintain derived views need the full \
            old row. Set `replica_identity: full` on the captured table (more WAL per change), or \
            suppress the rule on the capture when consumers only need the new row.
            """,
        source: "https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-replica-identity")

    /// A partitioned table published through its root.
    public static let partitionedTablePublishedViaRoot = DiagnosticCode(
        code: "TCD206", slug: "partitioned-table-published-via-root", defaultSeverity: .warning,
        summary: "A partitioned table is published through its root: changes carry the parent table's name.",
        explanation: """
            Without publish_via_partition_root, PostgreSQL publishes each partition's changes under \
            the partition's own name, so a Debezium topic would exist per partition and new \
            partitions would appear as new tables. topoc creates the publication with \
            publish_via_partition_root = true, so every change is reported as a change of the parent \
            table and lands in one topic per parent table. Consumers must not expect per-partition \
            topics; suppress the rule on the capture once that is understood.
            """,
        source: "https://www.postgresql.org/docs/15/sql-createpublication.html")

    /// A logical slot that lives on one node.
    public static let logicalSlotOnOneNode = DiagnosticCode(
        code: "TCD207", slug: "logical-slot-on-one-node", defaultSeverity: .warning,
        summary: "The cluster hosting a logical slot has no standby Patroni may promote, so the slot lives on one node.",
        explanation: """
            topoc declares CDC slots as Patroni permanent slots, which Patroni recreates on a \
            promoted standby so that a failover keeps the consumer's position. That needs a standby \
            Patroni may promote: with a single member, or with only nofailover standbys, the slot and \
            the stream position exist on one node, and losing that node stops the stream until it \
            returns or forces consumers to re-snapshot. Add a promotable standby, or suppress the \
            rule on the cluster.
            """,
        source: "https://patroni.readthedocs.io/en/latest/dynamic_configuration.html")

    /// Logical slots are consumed on the leader; what a failover does to the stream.
    public static let logicalSlotConsumedOnLeader = DiagnosticCode(
        code: "TCD208", slug: "logical-slot-consumed-on-leader", defaultSeverity: .note,
        summary:
            "Debezium reads its slot on the leader; after a failover it resumes from the new leader's copy of the slot, which can be behind, or, where the new leader lacks commits the consumer read, ahead of new commits it then skips.",
        explanation: """
            The slot Debezium reads exists on the leader. topoc declares it a Patroni permanent \
            slot: Patroni copies it to each standby that may be promoted (the standby restarts once \
            to load it) and moves each copy, every loop_wait, to the position the leader last \
            published. Connect the connector through the read-write endpoint that follows the leader. \
            After a failover the slot exists on the new leader at the position the old leader \
            published last, so the consumer receives again what it had read since (duplicates, not \
            gaps) as long as the new leader holds every commit the consumer read. On PostgreSQL 16 and \
            earlier nothing makes it hold them: a commit the consumer read that the new leader never \
            received is lost, the new timeline reuses its WAL positions, and a consumer that resumes \
            from the position it confirmed on the old leader (Debezium resumes from its Kafka offset) \
            silently skips every new commit below that position. The cluster suite shows both on an \
            asynchronous cluster. After every failover of a cluster with CDC, before the connector \
            resumes: compare the connector's stored offset (`lsn` in Kafka Connect's offsets) with \
            the position where the new timeline forked (the last line of `patronictl history`); if \
            the offset is beyond it, stop the connector, delete its offsets (`DELETE \
            /connectors/<name>/offsets`) and start it again, with `snapshot.mode: initial` if the \
            consumers need the rows again. The generated cluster/README.md spells the steps out.
            """,
        source: "https://github.com/zalando/patroni/issues/1749")

    /// The bound on the WAL a slot may hold back.
    public static let slotWalRetentionBounded = DiagnosticCode(
        code: "TCD210", slug: "slot-wal-retention-bounded", defaultSeverity: .note,
        summary:
            "A replication slot may hold back at most max_slot_wal_keep_size of WAL; a consumer that falls further behind loses its slot.",
        explanation: """
            A replication slot keeps every WAL segment its consumer has not confirmed. A consumer \
            that stops (a Debezium connector that failed, a subscriber that is down) would make \
            pg_wal grow until the disk is full and the server stops. topoc sets \
            max_slot_wal_keep_size on every cluster (4GB unless `settings.max_slot_wal_keep_size` \
            says otherwise): once a slot holds back more, PostgreSQL invalidates it at the next \
            checkpoint (`wal_status = 'lost'` in pg_replication_slots) and removes the WAL. The disk \
            stays bounded; the consumer must then start from a new slot (for Debezium: drop the \
            slot, let Patroni recreate it, and snapshot again). Size the bound for the longest \
            consumer outage the disk can absorb at the cluster's write rate.
            """,
        source: "https://www.postgresql.org/docs/15/runtime-config-replication.html#GUC-MAX-SLOT-WAL-KEEP-SIZE")

    /// A retention bound too small for a consumer to survive a checkpoint cycle.
    public static let slotWalRetentionTooSmall = DiagnosticCode(
        code: "TCD211", slug: "slot-wal-retention-too-small", defaultSeverity: .warning,
        summary: "max_slot_wal_keep_size is below 1GB (PostgreSQL's default max_wal_size): a slot is lost after a short consumer pause.",
        explanation: """
            PostgreSQL checks slots against max_slot_wal_keep_size at every checkpoint, and by \
            default a checkpoint is due every max_wal_size (1GB) of WAL. A bound below that \
            invalidates a slot whose consumer falls one checkpoint cycle behind; the consumer must \
            then start again from a new slot (a Debezium re-snapshot, a subscription re-created). Raise `settings.max_slot_wal_keep_size` \
            to 1GB or more, or suppress the rule where losing the slot is acceptable.
            """,
        source: "https://www.postgresql.org/docs/15/runtime-config-replication.html#GUC-MAX-SLOT-WAL-KEEP-SIZE")

    /// A value the pinned Debezium release does not accept.
    public static let debeziumValueUnsupported = DiagnosticCode(
        code: "TCD212", slug: "debezium-value-unsupported", defaultSeverity: .error,
        summary: "The pinned Debezium release does not accept a value the topology chooses for its connectors.",
        explanation: """
            topoc writes connectors for one Debezium release (the compose file runs its images), \
            and its table of the PostgreSQL connector's properties and values \
            (Backends/Debezium/DebeziumCatalog.swift) says which release introduced or removed \
            each; this rule refuses a value the pinned release does not accept: \
            `snapshot_mode: no_data` exists from Debezium 2.6, and `plugin: wal2json` was removed \
            in 2.0 (use pgoutput).
            """,
        source: "https://debezium.io/documentation/reference/2.7/connectors/postgresql.html")

    /// A value the pinned Debezium release deprecates.
    public static let debeziumValueDeprecated = DiagnosticCode(
        code: "TCD213", slug: "debezium-value-deprecated", defaultSeverity: .warning,
        summary: "The pinned Debezium release deprecates a value the topology chooses for its connectors.",
        explanation: """
            The value still works with the pinned release but will be removed: `snapshot_mode: \
            never` is deprecated from Debezium 2.6 in favour of `no_data`, which streams from the \
            slot's position without reading the tables first.
            """,
        source: "https://debezium.io/blog/2024/04/02/debezium-2-6-final-released/")

    /// Logical capture without a declared consumer.
    public static let logicalCaptureWithoutConsumer = DiagnosticCode(
        code: "TCD214", slug: "logical-capture-without-consumer", defaultSeverity: .note,
        summary: "Logical capture without a sink: topoc creates the publication but no replication slot.",
        explanation: """
            A replication slot keeps WAL until its consumer confirms it, and a Patroni permanent \
            slot is copied to every standby, which keeps WAL for it too. topoc therefore creates a \
            slot only for a consumer the topology declares (the Debezium `sink`). Without one, only \
            the publication is created. A slot a consumer creates for itself is not a Patroni \
            permanent slot: Patroni does not copy it to the standbys (the cluster suite shows it), so \
            a failover loses it and the consumer's position. Declare a `sink` to get a permanent slot.
            """,
        source: "https://patroni.readthedocs.io/en/latest/dynamic_configuration.html")

    /// CDC on a cluster whose failover may lose commits the consumer read.
    public static let captureAcrossAsynchronousFailover = DiagnosticCode(
        code: "TCD215", slug: "capture-across-asynchronous-failover", defaultSeverity: .warning,
        summary: "A Debezium slot on an asynchronous cluster: a failover can lose commits the consumer read and make it skip new ones.",
        explanation: """
            With asynchronous replication the standby Patroni promotes may lack commits the leader \
            had already sent to the logical consumer. On PostgreSQL 16 and earlier the new leader \
            reuses their WAL positions for new commits, and a consumer that resumes from the \
            position it confirmed on the old leader (Debezium does, from its Kafka offset) skips \
            those new commits without an error; the cluster suite shows it on loopback. \
            Multi-primary asynchronous groups are the worst case: the one slot of the group lives \
            on its first cluster, which holds every region's changes (its own and those it \
            applies), and that cluster fails over asynchronously. Follow TCD208's procedure after \
            every failover of the cluster; suppress the rule once that procedure is in place.
            """,
        source: "https://github.com/zalando/patroni/issues/1749")

    /// Trigger capture on a hot table.
    public static let triggerCaptureOnHotTable = DiagnosticCode(
        code: "TCD209", slug: "trigger-capture-on-hot-table", defaultSeverity: .warning,
        summary: "Trigger-based capture on a table written 1000 times per second or more doubles its write load.",
        explanation: """
            Trigger-based capture inserts an audit row, inside the writing transaction, for every \
            INSERT, UPDATE and DELETE: each write becomes two (with their WAL and index updates), \
            and the audit table becomes the hottest table of the database. From 1000 writes per \
            second (`writes_per_second`) this is a significant share of the server's write capacity. \
            Logical decoding reads the changes from the WAL that is written anyway; use \
            `method: logical`, or suppress the rule on the capture when the audit trail is required \
            in the database.
            """,
        source: "https://www.postgresql.org/docs/15/plpgsql-trigger.html")
}
