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

    /// Backups to a repository CloudNativePG cannot write to.
    public static let kubernetesBackupRepository = DiagnosticCode(
        code: "TKS007", slug: "kubernetes-backup-repository", defaultSeverity: .error,
        summary: "CloudNativePG backs up to an object store only: the topology's backups have none for the kubernetes target.",
        explanation: """
            CloudNativePG archives WAL and takes base backups with Barman Cloud, which writes to an \
            object store: Amazon S3 or an S3-compatible store, Google Cloud Storage or Azure Blob \
            Storage (the `Cluster`'s `backup.barmanObjectStore`, or the Barman Cloud plugin's \
            `ObjectStore`). The `backup.repository` of a topology is a pgBackRest folder (`posix`) \
            on the hosts of the local and compose targets; an instance pod has no such shared \
            folder, so a topology with a `backup:` section would get no backups on Kubernetes. \
            topoc refuses it rather than deploy a cluster whose RPO rests on backups that are never \
            taken. Declare the object store the kubernetes target uses under \
            `deployment.kubernetes.backup_repository` (`kind: s3|gcs|azure`, `destination`, \
            optionally `endpoint` and the name of the `secret` with the credentials), or drop the \
            `backup:` section (or deploy with the local or compose target).
            """,
        source: "https://cloudnative-pg.io/documentation/current/backup/")

    /// Every code of the kubernetes target, in code order. TKS002 (settings the operator
    /// fixes) and TKS004 (PgBouncer parameters its webhook refuses) were retired: no topology
    /// could reach them (the language's `settings` and pooler parameters are typed and none is
    /// on those lists, which a test keeps true); their codes are not reused.
    public static let kubernetesCodes: [DiagnosticCode] = [
        .kubernetesName, .kubernetesStatementPooling, .kubernetesExtensionUnavailable, .kubernetesWatchdog,
        .kubernetesBackupRepository,
    ]
}
