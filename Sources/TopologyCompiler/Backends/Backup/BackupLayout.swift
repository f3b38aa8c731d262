/// Where pgBackRest's files are and how every component calls it: the one place the backup
/// backend, the Patroni backend, the compose file and `topoc up`/`backup`/`restore` agree on.
///
/// One stanza per physical cluster, named after the cluster. Every value in a command line is a
/// path of ``ValueGrammar``'s path grammar or a cluster name (a service name), quoted by
/// ``ShellQuoting/word(_:)``; no value can hold `%`, which PostgreSQL would expand in
/// `archive_command`.
public enum BackupLayout {
    /// The pgBackRest executable (Debian's package, in every target).
    public static let executable = "/usr/bin/pgbackrest"

    /// The repository folder on the compose target: a named volume every member mounts.
    public static let composeRepository = "/var/lib/pgbackrest"

    /// The configuration of a cluster's stanza, inside the output folder.
    public static func configPath(cluster: String) -> String { "\(ClusterLayout.root)/pgbackrest/\(cluster)/pgbackrest.conf" }

    /// A systemd unit of a cluster's schedule, inside the output folder (`service` or `timer`).
    public static func unitPath(cluster: String, type: BackupType, suffix: String) -> String {
        "\(ClusterLayout.root)/pgbackrest/\(cluster)/\(unitName(cluster: cluster, type: type)).\(suffix)"
    }

    /// The systemd unit name (without suffix) of a scheduled backup type.
    public static func unitName(cluster: String, type: BackupType) -> String { "topoc-backup-\(cluster)-\(type.rawValue)" }

    /// The stanza of a cluster.
    public static func stanza(_ cluster: PlanCluster) -> String { cluster.name }

    /// The configuration as the servers see it: absolute, since `archive_command` runs in the data
    /// directory. Local: under the run folder's `generated/` (where `topoc up` writes the
    /// artifacts); compose: under /etc/topoc.
    public static func configAbsolute(cluster: String, plan: Plan) -> String {
        let inside = configPath(cluster: cluster)
        if plan.target == .compose {
            return ClusterLayout.containerConfigRoot + "/" + inside.dropFirst(ClusterLayout.root.count + 1)
        }
        return ClusterLayout.localRunDirectory(plan) + "/generated/" + inside
    }

    /// The repository folder: the topology's, else the target's default (the run folder's
    /// `pgbackrest/` locally, a shared volume on compose).
    public static func repository(_ plan: Plan) -> String {
        if let path = plan.backup?.repositoryPath { return path }
        return plan.target == .compose ? composeRepository : ClusterLayout.localRunDirectory(plan) + "/pgbackrest"
    }

    /// pgBackRest's log folder for a cluster.
    public static func logPath(cluster: String, plan: Plan) -> String {
        plan.target == .compose ? "/var/log/pgbackrest" : ClusterLayout.localRunDirectory(plan) + "/logs/pgbackrest-\(cluster)"
    }

    /// pgBackRest's lock and spool folder for a cluster (one per cluster and deployment, so that
    /// two local deployments never share a lock).
    public static func workPath(cluster: String, plan: Plan) -> String {
        plan.target == .compose ? "/tmp/pgbackrest" : ClusterLayout.localRunDirectory(plan) + "/pgbackrest-work/\(cluster)"
    }

    /// The data directory of a member as its server sees it.
    public static func dataDirectory(_ member: PlanMember, plan: Plan) -> String {
        plan.target == .compose ? member.dataDirectory : ClusterLayout.localPath(member.dataDirectory)
    }

    /// The words that start every command of a member: the executable, the configuration, the
    /// stanza and the member's own data directory as `pg1-path` (the configuration's `pg1..pgN`
    /// name every member for `backup`; archiving and restoring act on the member that runs them).
    public static func prefix(cluster: PlanCluster, dataDirectory: String, plan: Plan) -> String {
        [
            executable, "--config=" + configAbsolute(cluster: cluster.name, plan: plan), "--stanza=" + stanza(cluster),
            "--pg1-path=" + dataDirectory,
        ].map(ShellQuoting.word).joined(separator: " ")
    }

    /// `archive_command` of a member.
    public static func archiveCommand(member: PlanMember, cluster: PlanCluster, plan: Plan) -> String {
        prefix(cluster: cluster, dataDirectory: dataDirectory(member, plan: plan), plan: plan) + " archive-push \"%p\""
    }

    /// `restore_command` of a member (Patroni's `recovery_conf`): a replica that fell behind the
    /// primary's retained WAL catches up from the archive.
    public static func restoreCommand(member: PlanMember, cluster: PlanCluster, plan: Plan) -> String {
        prefix(cluster: cluster, dataDirectory: dataDirectory(member, plan: plan), plan: plan) + " archive-get %f \"%p\""
    }

    /// Patroni's `pgbackrest` replica method: restore the latest backup into the member's data
    /// directory as a standby (`--delta` reuses what is already there); Patroni then points it at
    /// the leader. With no backup in the repository it fails and Patroni falls back to
    /// `basebackup`.
    public static func replicaCommand(member: PlanMember, cluster: PlanCluster, plan: Plan) -> String {
        prefix(cluster: cluster, dataDirectory: dataDirectory(member, plan: plan), plan: plan) + " --delta --type=standby restore"
    }

    /// The command a scheduled backup runs (from any host with the repository; pgBackRest finds
    /// the primary among `pg1..pgN`).
    public static func backupCommand(cluster: PlanCluster, type: String, plan: Plan) -> String {
        [executable, "--config=" + configAbsolute(cluster: cluster.name, plan: plan), "--stanza=" + stanza(cluster), "--type=" + type]
            .map(ShellQuoting.word).joined(separator: " ") + " backup"
    }
}
