/// The codes of `topoc check --live`: drift between a running deployment and its plan.
///
/// Each finding is located at the topology line of the object that drifted, so an editor opens
/// the declaration the running deployment no longer matches.
extension DiagnosticCode {
    /// A part of the deployment could not be checked.
    public static let liveUnchecked = DiagnosticCode(
        code: "TLV001", slug: "live-unchecked", defaultSeverity: .warning,
        summary: "A part of the running deployment could not be checked.",
        explanation: """
            `topoc check --live` reports what it could not reach or read: a member that does not \
            answer, a database the checking role may not connect to, a REST API or admin console that \
            refuses it. Nothing is said about the drift of that part; the exit status is 2 unless \
            drift was found elsewhere. Start the missing component, or pass the connection that \
            reaches it (`--dsn CLUSTER=CONNINFO`).
            """)

    /// A planned table is missing, or is not (or no longer) partitioned as planned.
    public static let liveTable = DiagnosticCode(
        code: "TLV101", slug: "live-table", defaultSeverity: .error,
        summary: "A planned table is missing from the running database, or its partitioning differs.",
        explanation: """
            The topology declares the table for this database (and schema), but the catalog \
            (`pg_class`) has no such table, or has a plain table where a partitioned one is planned \
            (or the reverse). Someone dropped or recreated it outside topoc. Recreate it from the \
            generated DDL, or change the topology to match what should run.
            """,
        source: "https://www.postgresql.org/docs/current/catalog-pg-class.html")

    /// A column is missing, extra, or of another type or nullability.
    public static let liveColumn = DiagnosticCode(
        code: "TLV102", slug: "live-column", defaultSeverity: .error,
        summary: "A column of a planned table is missing, not planned, or has another type or nullability.",
        explanation: """
            The columns of the running table (`pg_attribute`, `format_type`, `attnotnull`) differ \
            from the plan: a column was added or dropped by hand, or its type or NOT NULL changed. \
            Applications and the generated router read the plan's shape; bring the table back to it \
            (or declare the change in the topology and migrate).
            """,
        source: "https://www.postgresql.org/docs/current/catalog-pg-attribute.html")

    /// A planned index is missing or differs; or an index is not planned.
    public static let liveIndex = DiagnosticCode(
        code: "TLV103", slug: "live-index", defaultSeverity: .error,
        summary: "A planned index is missing or differs, or a table has an index the plan does not declare.",
        explanation: """
            Each index the topology declares (by its resolved name) must exist on its table with the \
            planned access method and uniqueness. A missing index turns the queries it served into \
            scans; an index nobody declared costs writes and is lost at the next rebuild. Create it \
            again (`CREATE INDEX CONCURRENTLY`), or declare it in the topology.
            """,
        source: "https://www.postgresql.org/docs/current/catalog-pg-index.html")

    /// An index exists but is invalid.
    public static let liveInvalidIndex = DiagnosticCode(
        code: "TLV104", slug: "live-invalid-index", defaultSeverity: .error,
        summary: "A planned index exists but is invalid (`pg_index.indisvalid` is false).",
        explanation: """
            A `CREATE INDEX CONCURRENTLY` or `REINDEX CONCURRENTLY` that failed leaves an invalid \
            index behind: it is maintained on every write but never used by queries. Drop it and \
            build it again (`DROP INDEX CONCURRENTLY`, then `CREATE INDEX CONCURRENTLY`), or \
            `REINDEX INDEX CONCURRENTLY` it.
            """,
        source: "https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY")

    /// A primary key, unique constraint or foreign key is missing, differs or is not planned.
    public static let liveConstraint = DiagnosticCode(
        code: "TLV105", slug: "live-constraint", defaultSeverity: .error,
        summary: "A planned key (primary, unique or foreign) is missing or differs, or one is not planned.",
        explanation: """
            The constraints of the running table (`pg_constraint`, kinds p, u and f) differ from \
            the plan. A dropped key lets duplicate or dangling rows in; a constraint added by hand \
            may reject writes the application expects to succeed.
            """,
        source: "https://www.postgresql.org/docs/current/catalog-pg-constraint.html")

    /// A trigger topoc creates is missing.
    public static let liveTrigger = DiagnosticCode(
        code: "TLV106", slug: "live-trigger", defaultSeverity: .error,
        summary: "A trigger the plan creates (counter, snapshot, audit) is missing.",
        explanation: """
            Counter columns, snapshot columns and the trigger audit log are kept by triggers. \
            Without the trigger the counter stops counting, the snapshot stays empty or the audit \
            log misses changes, silently. Run the database's generated script again (it is \
            idempotent) to recreate it.
            """,
        source: "https://www.postgresql.org/docs/current/catalog-pg-trigger.html")

    /// Row-level security differs.
    public static let liveRowSecurity = DiagnosticCode(
        code: "TLV107", slug: "live-row-security", defaultSeverity: .error,
        summary: "Row-level security of a table differs from the plan (ENABLE, FORCE or its policies).",
        explanation: """
            Shared-schema tenancy keeps tenants apart with row-level security enabled and forced \
            on every tenant table and the `tenant_isolation` policy. A table with security disabled, \
            not forced, without its policy or with a policy nobody declared may show one tenant's \
            rows to another, or hide rows from their owner.
            """,
        source: "https://www.postgresql.org/docs/current/ddl-rowsecurity.html")

    /// A publication or its tables differ.
    public static let livePublication = DiagnosticCode(
        code: "TLV108", slug: "live-publication", defaultSeverity: .error,
        summary: "A planned publication is missing, or publishes other tables than planned.",
        explanation: """
            Change data capture reads the changes of the tables in the publication. A missing \
            publication stops the consumer; a table removed from it stops its events without an \
            error; a table added to it sends events nobody declared. Compare `pg_publication_rel`.
            """,
        source: "https://www.postgresql.org/docs/current/catalog-pg-publication-rel.html")

    /// A replication slot is missing or uses another plugin.
    public static let liveSlot = DiagnosticCode(
        code: "TLV109", slug: "live-slot", defaultSeverity: .error,
        summary: "A planned logical replication slot is missing from the leader, or differs.",
        explanation: """
            The slot keeps the WAL a consumer has not read yet. Without it, the consumer cannot \
            resume where it stopped: recreating the slot starts from now and the changes in \
            between are lost to it (take a new snapshot). Patroni drops logical slots that are not \
            in its permanent `slots` configuration, so check `/config` as well (TLV301).
            """,
        source: "https://www.postgresql.org/docs/current/view-pg-replication-slots.html")

    /// A role's attributes differ.
    public static let liveRole = DiagnosticCode(
        code: "TLV110", slug: "live-role", defaultSeverity: .error,
        summary: "A role topoc creates is missing, or has other attributes than planned.",
        explanation: """
            docs/roles.md fixes each role's attributes (LOGIN, REPLICATION, BYPASSRLS, never \
            SUPERUSER, CREATEDB or CREATEROLE). A role given an attribute by hand reaches more than \
            the plan allows, which least privilege rests on. `ALTER ROLE` it back.
            """,
        source: "https://www.postgresql.org/docs/current/view-pg-roles.html")

    /// A table's privileges differ.
    public static let liveGrant = DiagnosticCode(
        code: "TLV111", slug: "live-grant", defaultSeverity: .error,
        summary: "The privileges of a planned role (or PUBLIC) on a table differ from the plan.",
        explanation: """
            The application, read-only and tenant roles get exactly the privileges docs/roles.md \
            lists on each table, and PUBLIC none. A privilege revoked by hand breaks the \
            application; one granted by hand lets a role do what the plan denies it. The check \
            compares `aclexplode(relacl)` of every planned table for these roles.
            """,
        source: "https://www.postgresql.org/docs/current/ddl-priv.html")

    /// A PostgreSQL setting differs from the plan.
    public static let liveSetting = DiagnosticCode(
        code: "TLV201", slug: "live-setting", defaultSeverity: .error,
        summary: "A member runs a PostgreSQL setting other than the planned value.",
        explanation: """
            `pg_settings` of the member shows another value than the plan's Patroni configuration. \
            Usually an `ALTER SYSTEM SET` (written to postgresql.auto.conf, which wins over the file \
            Patroni writes) or a changed DCS configuration. Reset it (`ALTER SYSTEM RESET name` and \
            a reload), and change settings through the topology and `dynamic-config.json` instead.
            """,
        source: "https://www.postgresql.org/docs/current/view-pg-settings.html")

    /// A setting waits for a restart.
    public static let livePendingRestart = DiagnosticCode(
        code: "TLV202", slug: "live-pending-restart", defaultSeverity: .error,
        summary: "A member has a changed setting that takes effect only after a restart (`pending_restart`).",
        explanation: """
            The configuration files hold a value of a postmaster parameter that the running server \
            does not use yet. Until the member restarts, it runs with the old value, and a failover \
            can change the running value unexpectedly. Restart the member through Patroni \
            (`POST /restart`, replicas first), or reset the change.
            """,
        source: "https://www.postgresql.org/docs/current/view-pg-settings.html")

    /// Patroni's dynamic configuration differs.
    public static let livePatroniConfig = DiagnosticCode(
        code: "TLV301", slug: "live-patroni-config", defaultSeverity: .error,
        summary: "Patroni's dynamic configuration (`GET /config`) differs from the plan.",
        explanation: """
            Patroni keeps the cluster-wide configuration in the DCS; every member applies it. A \
            value changed with `patronictl edit-config` or `PATCH /config` (timing, synchronous \
            mode, parameters, permanent slots) overrides the topology. Send the generated \
            `dynamic-config.json` as `PATCH /config` to bring it back.
            """,
        source: "https://patroni.readthedocs.io/en/latest/rest_api.html#config-endpoint")

    /// A planned view or materialized view is missing, or is of the other kind.
    public static let liveView = DiagnosticCode(
        code: "TLV112", slug: "live-view", defaultSeverity: .error,
        summary:
            "A planned view or materialized view is missing from its schema, or is a view where a materialized one is planned (or the reverse).",
        explanation: """
            Each view the topology declares is created in the schema of the tables it reads \
            (`public`, or every tenant's schema). A view dropped by hand breaks the queries and \
            the refresh job that use it; a materialized view recreated as a plain view (or the \
            reverse) changes what reads cost and how fresh they are. Apply the database's generated \
            script again (it is idempotent), or change the topology.
            """,
        source: "https://www.postgresql.org/docs/current/catalog-pg-class.html")

    /// A serial column's sequence is missing or no longer owned by its column.
    public static let liveSequence = DiagnosticCode(
        code: "TLV113", slug: "live-sequence", defaultSeverity: .error,
        summary: "The sequence of a serial column is missing, or is not owned by its column.",
        explanation: """
            A `serial`/`bigserial` column gets its own sequence (`<table>_<column>_seq`), owned by \
            the column (`pg_depend`), so it is dropped and renamed with it and a migration can \
            follow it. A sequence dropped by hand makes every insert fail; one detached \
            (`ALTER SEQUENCE ... OWNED BY NONE`) or moved to another column survives the column and \
            is no longer renamed with its table. Reattach it (`ALTER SEQUENCE ... OWNED BY \
            table.column`) or recreate it from the generated DDL.
            """,
        source: "https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-SERIAL")

    /// A planned partition is missing, detached, attached elsewhere, or bounded another way.
    public static let livePartition = DiagnosticCode(
        code: "TLV114", slug: "live-partition", defaultSeverity: .error,
        summary:
            "A planned partition is missing or detached from its parent, is attached to another table, or has another kind of bound (or another hash remainder).",
        explanation: """
            Every partition the topology enumerates is created attached to its table \
            (`PARTITION OF`). A partition detached by hand (`DETACH PARTITION`) keeps its rows but \
            no longer receives or shows them through the parent: inserts for its range or values \
            fail with "no partition of relation found" (or land in the default partition), and \
            reads through the parent miss its rows. Attach it again with the bound of the generated \
            DDL, or change the topology. Partitions pg_partman creates beyond the enumerated ones \
            are its own and not compared; range and list bounds are compared by kind, hash bounds \
            exactly.
            """,
        source: "https://www.postgresql.org/docs/current/ddl-partitioning.html")

    /// The owner's default privileges in a schema differ from what the DDL sets.
    public static let liveDefaultPrivileges = DiagnosticCode(
        code: "TLV115", slug: "live-default-privileges", defaultSeverity: .error,
        summary:
            "The owner role's default privileges in a schema (`ALTER DEFAULT PRIVILEGES`) differ from the planned ones: missing, changed, or granted to PUBLIC or a client role the plan does not name.",
        explanation: """
            The generated DDL makes the tables and sequences the owner role creates later in \
            `public` readable and writable by the application role and readable by the read-only \
            role, as the existing ones are (not under shared-schema tenancy, where a partition \
            granted this way would bypass its parent's row-level security). A default privilege \
            revoked by hand leaves the next table a migration creates unreadable by the \
            application; one granted to PUBLIC or another client role hands every future table \
            to it. Apply the database's generated script again, or revoke the extra default \
            privilege.
            """,
        source: "https://www.postgresql.org/docs/current/sql-alterdefaultprivileges.html")

    /// PgBouncer's running configuration differs.
    public static let livePgBouncerConfig = DiagnosticCode(
        code: "TLV401", slug: "live-pgbouncer-config", defaultSeverity: .error,
        summary: "PgBouncer runs a setting other than its generated configuration (`SHOW CONFIG`).",
        explanation: """
            PgBouncer's admin console shows the running value of every setting. A value changed \
            with `SET` on the console, or a pgbouncer.ini edited and reloaded, differs from the \
            generated file: pool sizes and timeouts no longer match what the topology's rules \
            checked (TPB504 and others). Reload the generated file (`RELOAD`).
            """,
        source: "https://www.pgbouncer.org/usage.html#show-config")

    /// A PgBouncer pool differs from the generated `[databases]` section.
    public static let livePgBouncerPool = DiagnosticCode(
        code: "TLV402", slug: "live-pgbouncer-pool", defaultSeverity: .error,
        summary: "A PgBouncer pool is missing, not planned, or reaches another server or has another size (`SHOW DATABASES`).",
        explanation: """
            Each pool of the generated `[databases]` section names the HAProxy frontend (host, port), \
            the database, `pool_size` and `reserve_pool` topoc sized against `max_connections` \
            (TPB504). `SHOW DATABASES` on the admin console shows the pools PgBouncer runs: a pool \
            edited by hand, one left from an older configuration, or one missing (clients then get \
            "no such database") differs. Install the generated pgbouncer.ini and `RELOAD`.
            """,
        source: "https://www.pgbouncer.org/usage.html#show-databases")

    /// A pg_cron job differs.
    public static let liveCronJob = DiagnosticCode(
        code: "TLV501", slug: "live-cron-job", defaultSeverity: .error,
        summary:
            "A planned pg_cron job is missing, inactive or differs (schedule, command, database, role), or a job named like topoc's is not planned.",
        explanation: """
            Scheduled materialized view refreshes and pg_partman's maintenance run as pg_cron jobs \
            (`cron.job`). A job unscheduled, deactivated or changed by hand stops refreshing the \
            view or creating partitions; inserts then land in the default partition or fail. A job \
            named the way topoc names its jobs for the cluster's databases \
            (`<database>.refresh_<view>`, `<database>.<schema>.refresh_<view>`, \
            `<database>.partman_maintenance`) that the plan does not declare, such as the refresh of \
            a dropped view, fails on every run. Run the cluster's generated `cron.sql` again (it is \
            idempotent and unschedules such jobs); jobs named otherwise are left alone.
            """,
        source: "https://github.com/citusdata/pg_cron")

    /// pg_partman's configuration differs.
    public static let livePartmanConfig = DiagnosticCode(
        code: "TLV502", slug: "live-partman-config", defaultSeverity: .error,
        summary: "pg_partman's `part_config` of a table is missing or differs (premake, retention).",
        explanation: """
            pg_partman creates partitions ahead (`premake`) and drops old ones (`retention`) as its \
            `part_config` row says. A changed or missing row makes maintenance create too few \
            partitions, or drop data the topology keeps. Update the row to the planned values.
            """,
        source: "https://github.com/pgpartman/pg_partman/blob/master/doc/pg_partman.md")

    /// Rows stored on a shard that does not own their key.
    public static let liveMisroutedRows = DiagnosticCode(
        code: "TLV601", slug: "live-misrouted-rows", defaultSeverity: .error,
        summary: "A sample of a sharded table holds rows whose key belongs to another shard.",
        explanation: """
            Every shard database has `topoc_shard_for(...)`, the same function the router and \
            `TopologyRuntime` use, and `topoc_this_shard()`. The check reads a sample of each \
            sharded table on each shard and counts rows whose key maps elsewhere: a writer that \
            bypassed the router, a rebalance that copied without deleting, or a shard restored in \
            the wrong place. Reads through the router never find these rows. Move them to their \
            shard (`topoc rebalance` describes the ranges) and find the writer.
            """)

    /// The codes of the live check, in code order.
    public static let liveCodes: [DiagnosticCode] = [
        .liveUnchecked, .liveTable, .liveColumn, .liveIndex, .liveInvalidIndex, .liveConstraint, .liveTrigger,
        .liveRowSecurity, .livePublication, .liveSlot, .liveRole, .liveGrant, .liveView, .liveSequence, .livePartition,
        .liveDefaultPrivileges, .liveSetting,
        .livePendingRestart,
        .livePatroniConfig, .livePgBouncerConfig, .livePgBouncerPool, .liveCronJob, .livePartmanConfig, .liveMisroutedRows,
    ]
}
