/// What the cluster backends share: fixed role names, where local files go, how secrets are
/// named in each process's environment, and lookups into the plan.
///
/// Everything is derived from the plan alone, so every backend agrees on paths and names.
public enum ClusterLayout {
    /// The PostgreSQL superuser Patroni creates.
    public static let superuser = "postgres"
    /// The replication role Patroni creates.
    public static let replicationUser = "replicator"
    /// The user of Patroni's REST API (its password comes from the environment).
    public static let restAPIUser = "patroni"
    /// The folder, inside the output folder, that holds every cluster artifact.
    public static let root = "cluster"

    /// Patroni's own environment variables for the secrets it needs.
    public static let patroniSuperuserPassword = "PATRONI_SUPERUSER_PASSWORD"
    public static let patroniReplicationPassword = "PATRONI_REPLICATION_PASSWORD"
    public static let patroniRewindPassword = "PATRONI_REWIND_PASSWORD"
    public static let patroniRESTAPIPassword = "PATRONI_RESTAPI_PASSWORD"

    /// The Patroni variables a member's process needs, each with the plan's variable that holds it.
    public static func patroniEnvironment(_ plan: Plan) -> [(patroni: String, source: String)] {
        [
            (patroniSuperuserPassword, plan.secrets.superuser),
            (patroniReplicationPassword, plan.secrets.replication),
            (patroniRewindPassword, plan.secrets.rewind),
            (patroniRESTAPIPassword, plan.secrets.restAPI),
        ]
    }

    /// A login role's password and the plan's variable that holds it.
    public struct LoginSecret: Sendable, Equatable {
        /// The role.
        public var role: String
        /// The environment variable with its password.
        public var variable: String

        /// A role and the variable that holds its password.
        package init(role: String, variable: String) {
            self.role = role
            self.variable = variable
        }
    }

    /// The login roles `post-bootstrap.sh` gives a password, in creation order: the
    /// application, read-only and PgBouncer auth roles, every tenant's role, and the CDC and
    /// multi-primary roles where the plan has them.
    public static func loginSecrets(_ plan: Plan) -> [LoginSecret] {
        RoleDDL.roles(plan).compactMap { role in
            role.passwordVariable.map { LoginSecret(role: role.name, variable: $0) }
        }
    }

    /// The secrets PgBouncer's auth_file holds: its auth_user and its admin console user.
    public static func poolerSecrets(_ plan: Plan) -> [LoginSecret] {
        [
            LoginSecret(role: plan.roles.poolerAuth, variable: plan.secrets.poolerAuth),
            LoginSecret(role: plan.roles.poolerAdmin, variable: plan.secrets.poolerAdmin),
        ]
    }

    /// The Patroni configuration file of a member, inside the output folder.
    public static func patroniPath(cluster: String, member: String) -> String {
        "\(root)/patroni/\(cluster)/\(member).yml"
    }

    /// The post-bootstrap script of a cluster, inside the output folder.
    public static func postBootstrapPath(cluster: String) -> String {
        "\(root)/patroni/\(cluster)/post-bootstrap.sh"
    }

    /// The etcd configuration file of a member, inside the output folder.
    public static func etcdPath(member: String) -> String { "\(root)/etcd/\(member).yml" }

    /// HAProxy's configuration, inside the output folder.
    public static let haproxyPath = "\(root)/haproxy/haproxy.cfg"
    /// PgBouncer's configuration, inside the output folder.
    public static let pgbouncerPath = "\(root)/pgbouncer/pgbouncer.ini"
    /// PgBouncer's HBA file: which users may log in to PgBouncer, and how.
    public static let pgbouncerHBAPath = "\(root)/pgbouncer/pgbouncer_hba.conf"
    /// The script that writes PgBouncer's auth_file from the environment.
    public static let userlistScriptPath = "\(root)/pgbouncer/make-userlist.sh"
    /// The compose file, inside the output folder.
    public static let composePath = "\(root)/docker-compose.yml"
    /// The image recipe for every server container, inside the output folder.
    public static let dockerfilePath = "\(root)/Dockerfile"
    /// The deployment guide, inside the output folder.
    public static let readmePath = "\(root)/README.md"

    /// The Debezium connector of a slot, inside the output folder (per cluster: a multi-primary
    /// group holds the same slot name on several clusters).
    public static func debeziumPath(cluster: String, slot: String) -> String { "\(root)/debezium/\(cluster)/\(slot).json" }

    /// The password file of multi-primary subscriptions: written at deploy time by
    /// `make-peer-pgpass.sh` in the folder that holds a member's data directory.
    public static let peerPassfileName = "topoc-multi-primary.pgpass"

    /// The password file as the server sees it: relative to its data directory (its working directory).
    public static let peerPassfileRelative = "../\(peerPassfileName)"

    /// The script that writes the password file of multi-primary subscriptions.
    public static let peerPassfileScriptPath = "\(root)/patroni/make-peer-pgpass.sh"

    /// The watchdog device Patroni opens when a cluster asks for one.
    public static let watchdogDevice = "/dev/watchdog"

    /// The folder of the local target's PostgreSQL sockets (Debian's), shared by every member:
    /// members differ by port (`.s.PGSQL.<port>` and its `.lock`).
    public static let localSocketDirectory = "/var/run/postgresql"

    /// Where the container image keeps the generated configuration.
    public static let containerConfigRoot = "/etc/topoc"

    /// The local run folder as a path a process started in the output folder can use: absolute
    /// when the plan's data directories are absolute, else relative to the output folder
    /// (the plan's local paths are relative to the output folder's parent).
    public static func localRunDirectory(_ plan: Plan) -> String {
        let dataDirectory = plan.clusters.first?.members.first?.dataDirectory ?? ".topoc/run/member"
        let parent = dataDirectory.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
        return localPath(parent.isEmpty ? "." : parent)
    }

    /// A path from the plan (relative to the output folder's parent) as seen from the output folder.
    public static func localPath(_ planPath: String) -> String {
        planPath.hasPrefix("/") ? planPath : "../" + planPath
    }

    /// The PostgreSQL binaries: the local target's `postgres_bin`, else those of the plan's
    /// major version on Debian (the compose image is Debian's).
    public static func binDirectory(_ plan: Plan) -> String {
        plan.localPostgresBin ?? "/usr/lib/postgresql/\(plan.postgresVersion)/bin"
    }

    /// The databases a cluster holds.
    public static func databases(of cluster: PlanCluster, in plan: Plan) -> [PlanDatabase] {
        plan.databases.filter { $0.cluster == cluster.name }
    }

    /// The databases of every cluster, by cluster name, each in plan order: for a backend that
    /// visits every cluster (``databases(of:in:)`` for each would search the plan's databases once
    /// per cluster).
    static func databasesByCluster(_ plan: Plan) -> [String: [PlanDatabase]] {
        Dictionary(grouping: plan.databases, by: \.cluster)
    }

    /// The logical slots a cluster holds: its CDC slots and, for a member of a multi-primary
    /// group, one slot per peer cluster that subscribes to it.
    public static func slots(of cluster: PlanCluster, in plan: Plan) -> [PlanSlot] {
        plan.replication.slots.filter { $0.cluster == cluster.name }
            + plan.multiPrimaryGroups.flatMap { group in
                group.links.filter { $0.publisher == cluster.name }.map {
                    PlanSlot(name: $0.slot, database: group.database, cluster: cluster.name, plugin: .pgoutput)
                }
            }
    }

    /// Whether a cluster decodes WAL logically (it holds a publication or a logical slot).
    public static func needsLogicalWAL(_ cluster: PlanCluster, in plan: Plan) -> Bool {
        !slots(of: cluster, in: plan).isEmpty || plan.replication.publications.contains { $0.cluster == cluster.name }
    }

    /// The databases of a cluster whose views refresh on a schedule (pg_cron runs there).
    public static func cronDatabases(of cluster: PlanCluster, in plan: Plan) -> [String] {
        let scheduled = plan.views.filter { $0.refreshSchedule != nil }
        // Most plans schedule nothing: skip the scan of every database (per cluster, it is
        // quadratic in the shard count).
        guard !scheduled.isEmpty else { return [] }
        let held = Set(databases(of: cluster, in: plan).map(\.name))
        var result: [String] = []
        for view in scheduled {
            for database in view.databases where held.contains(database) && !result.contains(database) {
                result.append(database)
            }
        }
        return result
    }

    /// Whether pg_partman maintains a partitioned table in one of a cluster's databases.
    public static func usesPartman(_ cluster: PlanCluster, in plan: Plan) -> Bool {
        let maintained = plan.tables.filter { $0.schema.partitioning?.partmanPremake != nil }
        guard !maintained.isEmpty else { return false }
        let held = Set(databases(of: cluster, in: plan).map(\.name))
        return maintained.contains { table in table.databases.contains(where: held.contains) }
    }

    /// Whether a cluster runs pg_cron jobs: scheduled refreshes or pg_partman's maintenance
    /// (`sql/<cluster>/cron.sql`).
    public static func runsCron(_ cluster: PlanCluster, in plan: Plan) -> Bool {
        !cronDatabases(of: cluster, in: plan).isEmpty || usesPartman(cluster, in: plan)
    }

    /// The replica lag bound for read-only routing, in bytes (the decided maximum_lag_on_failover).
    public static func replicaLagBound(of cluster: PlanCluster) -> Int64 {
        cluster.decided.replicaLagBound
    }

    /// The frontend of a cluster (a search: code that asks for every cluster's uses ``frontends(of:)``).
    public static func frontend(of cluster: String, in plan: Plan) -> PlanFrontend? {
        plan.pooler.frontends.first { $0.cluster == cluster }
    }

    /// Every cluster's frontend by cluster name, the first where a name has two (as
    /// ``frontend(of:in:)`` answers), for code that looks up one per cluster, database or slot.
    public static func frontends(of plan: Plan) -> [String: PlanFrontend] {
        Dictionary(plan.pooler.frontends.map { ($0.cluster, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A name safe as an HAProxy section or compose key: letters, digits, `_` and `-`.
    static func token(_ name: String) -> String {
        String(
            name.unicodeScalars.map { scalar -> Character in
                let allowed =
                    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || scalar == "_" || scalar == "-"
                return allowed ? Character(scalar) : "_"
            })
    }
}
