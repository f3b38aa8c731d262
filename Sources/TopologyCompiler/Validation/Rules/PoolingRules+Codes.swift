/// The codes of the pooling rules (TPB5xx).
extension DiagnosticCode {
    /// The tenant setting must be transaction-local under transaction pooling.
    public static let tenantSettingMustBeTransactionLocal = DiagnosticCode(
        code: "TPB501", slug: "tenant-setting-must-be-transaction-local", defaultSeverity: .note,
        summary: "Under transaction pooling, the tenant that row-level security reads must be set per transaction.",
        explanation: """
            Shared-schema tenancy keeps tenants apart with row-level security policies that read the \
            session setting app.tenant_id. With pool_mode=transaction a server connection serves \
            another client after every transaction, so a plain SET survives on the connection and \
            the next client's queries run as the previous tenant, seeing its rows. topoc's generated \
            code sets the tenant with set_config('app.tenant_id', $1, true), which lasts until the \
            end of the transaction; hand-written code must do the same (or SET LOCAL) inside every \
            transaction.
            """,
        source: "https://www.pgbouncer.org/features.html")

    /// A session feature that transaction pooling breaks.
    public static let sessionFeatureUnderTransactionPooling = DiagnosticCode(
        code: "TPB502", slug: "session-feature-under-transaction-pooling", defaultSeverity: .error,
        summary: "The application uses a session feature that transaction or statement pooling breaks.",
        explanation: """
            In transaction (and statement) pooling PgBouncer hands the server connection to another \
            client when a transaction ends, so state that outlives the transaction lands with the \
            wrong client. PgBouncer documents as never working in these modes: LISTEN, session-level \
            advisory locks, WITH HOLD cursors, SET/RESET of session settings, and temporary tables \
            that outlive the transaction (PRESERVE or DELETE ROWS). Use `pooling.mode: session` for \
            an application that needs them, or replace them with transaction-scoped equivalents \
            (pg_advisory_xact_lock, SET LOCAL, ON COMMIT DROP) and remove the feature from \
            `session_features`.
            """,
        source: "https://www.pgbouncer.org/features.html")

    /// Prepared statements under transaction pooling.
    public static let preparedStatementsUnderTransactionPooling = DiagnosticCode(
        code: "TPB503", slug: "prepared-statements-under-transaction-pooling", defaultSeverity: .error,
        summary: "Prepared statements break under transaction pooling with a PgBouncer older than 1.21.",
        explanation: """
            SQL PREPARE and EXECUTE never work under transaction pooling: the statement is prepared \
            on one server connection and executed on another. Protocol-level prepared statements \
            (what most drivers use) are tracked by PgBouncer only from release 1.21, with \
            max_prepared_statements above zero; older releases do not know the setting and refuse to \
            load an ini that sets it. The rule reads the release from `pooling.pgbouncer_version` \
            (default 1.18, Debian 12's package, which the artifacts install and the tests run): \
            below 1.21 it reports every declared `prepared-statements` feature under transaction or \
            statement pooling; from 1.21 topoc writes `max_prepared_statements = 200` into \
            pgbouncer.ini and reports nothing. Disable the driver's prepared statements, use session \
            pooling, or run PgBouncer 1.21 or later and declare it.
            """,
        source: "https://www.pgbouncer.org/config.html#max_prepared_statements")

    /// The pools do not fit max_connections.
    public static let poolsExceedMaxConnections = DiagnosticCode(
        code: "TPB504", slug: "pools-exceed-max-connections", defaultSeverity: .error,
        summary: "PgBouncer's (database, user) pools on a member, plus the reserved superuser slots, exceed max_connections.",
        explanation: """
            PgBouncer keeps one pool per database and user, of pool_size connections plus \
            reserve_pool_size under load. topoc gives every database a read-write pool (`<db>`) and \
            a read-only pool (`<db>_ro`, sized like the read-write pool without reserve when no \
            `read_only` pool is declared). The users of a database are PgBouncer's auth_user \
            (auth_query runs in the client's database through a pool of its own) and the client \
            roles with CONNECT there: the application and read-only roles, every tenant's role \
            where tenants have schemas in it, the tenant's role in a tenant database. pgbouncer.ini \
            caps each PgBouncer database at the sum of its users' pools (`max_db_connections`), so \
            no other login role can add server connections. The leader may receive both pools of \
            every database it hosts (the read-only frontend falls back to the leader when no \
            replica qualifies, and follows it for strong consistency), each replica the read-only \
            pools; PostgreSQL keeps superuser_reserved_connections (3) of max_connections for \
            superusers such as Patroni. Replication connections do not count against \
            max_connections. When the sum exceeds max_connections (default 100) clients see \
            "sorry, too many clients already" under load. Raise `settings.max_connections` or lower \
            the pool sizes.
            """,
        source: "https://www.pgbouncer.org/config.html#max_db_connections")

    /// Replicas without a declared read-only pool.
    public static let replicasWithoutReadOnlyPool = DiagnosticCode(
        code: "TPB505", slug: "replicas-without-read-only-pool", defaultSeverity: .warning,
        summary: "Read replicas need their own read-only pool: PgBouncer cannot split reads from writes.",
        explanation: """
            PgBouncer forwards whole connections to one server; it does not parse queries, so it \
            cannot send reads to replicas by itself. topoc gives every database a second pool, \
            `<db>_ro`, that reaches the replicas through the read-only frontend, and the application \
            sends its reads there. Without `pooling.read_only` that pool is sized like the \
            read_write pool, without reserve: a size chosen for writes on the leader, not for the \
            read load on the replicas the guarantees let serve reads. Declare \
            `read_only: { pool_size: N }`, or suppress the rule on the cluster when its replicas are \
            only for failover.
            """,
        source: "https://www.pgbouncer.org/features.html")

    /// Two pools with one name, or a pool named like PgBouncer's admin console.
    public static let poolNameCollision = DiagnosticCode(
        code: "TPB506", slug: "pool-name-collision", defaultSeverity: .error,
        summary: "Every PgBouncer pool needs its own name, and none may be `pgbouncer`.",
        explanation: """
            Clients choose a pool by the database name they connect with. topoc names each database's \
            pools `<db>` and `<db>_ro` (with the cluster appended when several clusters hold a database of \
            the same name), so a database named `crm_ro` next to a database `crm` gives two pools the name \
            `crm_ro`: pgbouncer.ini then lists the name twice, PgBouncer loads it without a word and keeps \
            one entry for the name, and the clients of one database are sent to the other. `pgbouncer` is the database name \
            of PgBouncer's admin console, and PgBouncer refuses to start with a pool of that name. Rename \
            the database (the topology's name, a vertical group's `database:`, or a tenant under \
            database-per-tenant tenancy).
            """,
        source: "https://www.pgbouncer.org/config.html#section-databases")
}
