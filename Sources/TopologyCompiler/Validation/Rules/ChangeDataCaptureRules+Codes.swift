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

    /// Logical slots are consumed on the leader.
    public static let logicalSlotConsumedOnLeader = DiagnosticCode(
        code: "TCD208", slug: "logical-slot-consumed-on-leader", defaultSeverity: .note,
        summary: "Debezium must read the logical slot on the leader, through the read-write endpoint.",
        explanation: """
            The slot Debezium reads is created on the leader; Patroni keeps copies on standbys only \
            to survive a failover, and advances them itself. Debezium documents that its connector \
            runs against the primary. Point the connector at the read-write endpoint that follows \
            the leader, never at a replica or the read-only pool; after a failover it reconnects to the new leader and resumes from the \
            permanent slot.
            """,
        source: "https://debezium.io/documentation/reference/stable/connectors/postgresql.html")

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
