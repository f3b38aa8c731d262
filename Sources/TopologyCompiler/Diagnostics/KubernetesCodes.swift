/// The codes of what the kubernetes target (CloudNativePG) cannot deploy, reported by the planner
/// for that target only (docs/kubernetes.md).
extension DiagnosticCode {
    /// A name that cannot become a Kubernetes object name.
    public static let kubernetesName = DiagnosticCode(
        code: "TKS001", slug: "kubernetes-name", defaultSeverity: .error,
        summary: "A topology or cluster name cannot become a Kubernetes name.",
        explanation: """
            The kubernetes target puts a topology in the namespace named after it and makes a \
            CloudNativePG `Cluster` named after each physical cluster, whose pods, services, \
            Poolers and schema Job derive their names from it (`<cluster>-1`, `<cluster>-rw`, \
            `<cluster>-pooler-rw`, `<cluster>-topoc-schema`). Kubernetes names are RFC 1123 DNS \
            labels: lowercase letters, digits and `-`, starting and ending with a letter or digit, \
            at most 63 characters. topoc writes `_` as `-`; a name that is still not a label (upper \
            case, a leading or trailing `-`, too long) is refused. Rename the topology or the \
            cluster; cluster names may have at most 40 characters so that every derived name fits.
            """,
        source: "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names")

    /// A PostgreSQL setting the operator fixes, blocks or takes through its own field.
    public static let kubernetesFixedParameter = DiagnosticCode(
        code: "TKS002", slug: "kubernetes-fixed-parameter", defaultSeverity: .error,
        summary: "CloudNativePG fixes or blocks this PostgreSQL setting, or takes it through a field of its own.",
        explanation: """
            CloudNativePG runs PostgreSQL itself: it sets `port` (5432), `listen_addresses`, \
            `archive_mode` and `archive_command` (its WAL archiver), `primary_conninfo` and \
            `primary_slot_name` (its replicas), `synchronous_standby_names` (from \
            `postgresql.synchronous`), `ssl*`, `wal_level`, the logging and recovery settings, and \
            its admission webhook refuses a `Cluster` that sets any of them under \
            `postgresql.parameters`. `shared_preload_libraries` has a field of its own \
            (`postgresql.shared_preload_libraries`), merged with the libraries the operator loads. \
            topoc refuses such a setting for the kubernetes target rather than write a manifest the \
            operator would reject; remove it from the cluster's `settings` (the operator's value \
            applies) or use another target.
            """,
        source: "https://cloudnative-pg.io/documentation/current/postgresql_conf/#fixed-parameters")

    /// Statement pooling on the kubernetes target.
    public static let kubernetesStatementPooling = DiagnosticCode(
        code: "TKS003", slug: "kubernetes-statement-pooling", defaultSeverity: .error,
        summary: "CloudNativePG's Pooler has no statement pooling mode.",
        explanation: """
            A CloudNativePG `Pooler` runs PgBouncer in `session` or `transaction` mode only \
            (`spec.pgbouncer.poolMode` is an enum of those two), so `pooling.mode: statement` cannot \
            be deployed by the operator. Use `transaction` (what statement pooling offers, minus \
            multi-statement transactions being refused) or another target.
            """,
        source: "https://cloudnative-pg.io/documentation/current/connection_pooling/")

    /// A PgBouncer parameter the Pooler webhook refuses.
    public static let kubernetesPgBouncerParameter = DiagnosticCode(
        code: "TKS004", slug: "kubernetes-pgbouncer-parameter", defaultSeverity: .error,
        summary: "CloudNativePG's Pooler does not accept this PgBouncer parameter.",
        explanation: """
            The `Pooler` admission webhook accepts only a list of PgBouncer parameters under \
            `spec.pgbouncer.parameters` (pool sizes, limits, timeouts, logging, TLS modes); the \
            operator writes the rest itself (listen address and port, auth file and query, \
            `pool_mode`, the databases). A topology whose pooling settings need a parameter outside \
            that list is refused for the kubernetes target instead of producing a Pooler the \
            operator rejects.
            """,
        source: "https://cloudnative-pg.io/documentation/current/connection_pooling/#pgbouncer-configuration-options")

    /// An extension CloudNativePG's standard images lack.
    public static let kubernetesExtensionUnavailable = DiagnosticCode(
        code: "TKS005", slug: "kubernetes-extension-unavailable", defaultSeverity: .error,
        summary: "The topology needs pg_cron or pg_partman, which CloudNativePG's standard PostgreSQL images do not carry.",
        explanation: """
            Scheduled view refreshes run as pg_cron jobs and partitions that pg_partman maintains \
            need pg_partman (and pg_cron for its maintenance). CloudNativePG's standard images \
            (`ghcr.io/cloudnative-pg/postgresql`) ship PostgreSQL with its contrib modules, \
            pgaudit, pgvector and pg_failover_slots, but neither pg_cron nor pg_partman; pg_cron \
            would also have to be preloaded. CloudNativePG adds extensions from separate images \
            only as image volumes (`spec.postgresql.extensions`, PostgreSQL 18 and Kubernetes \
            1.33 or later), which topoc does not target and has not run. So the kubernetes target \
            refuses such a topology rather than emit a schema Job that fails at `CREATE EXTENSION`. \
            Drop the refresh schedule (refresh from the application or a Kubernetes CronJob), \
            drop pg_partman premaking (declare the partitions), or use the local or compose target.
            """,
        source: "https://github.com/cloudnative-pg/postgres-containers")

    /// `watchdog: required` on the kubernetes target.
    public static let kubernetesWatchdog = DiagnosticCode(
        code: "TKS006", slug: "kubernetes-watchdog", defaultSeverity: .error,
        summary: "CloudNativePG has no watchdog: a cluster that requires one cannot be deployed by it.",
        explanation: """
            `watchdog: required` asks Patroni to hold the leader key only while a watchdog device \
            can reset a hung primary. CloudNativePG does not run Patroni and has no watchdog: it \
            fences a lost primary through the Kubernetes API and its instance manager's liveness \
            probe. The guarantee the topology asks for cannot be given there, so the kubernetes \
            target refuses the cluster. Use `watchdog: automatic` or `off` to accept the \
            operator's fencing, or the local target on hosts with a watchdog.
            """,
        source: "https://cloudnative-pg.io/documentation/current/instance_manager/")

    /// Every code of the kubernetes target, in code order.
    public static let kubernetesCodes: [DiagnosticCode] = [
        .kubernetesName, .kubernetesFixedParameter, .kubernetesStatementPooling, .kubernetesPgBouncerParameter,
        .kubernetesExtensionUnavailable, .kubernetesWatchdog,
    ]
}
