/// Writes each cluster's pgBackRest stanza configuration and its backup schedule, when the
/// topology has a `backup:` section:
///
/// - `cluster/pgbackrest/<cluster>/pgbackrest.conf`: the repository, retention, parallelism and
///   compression, and the stanza (named after the cluster) with every member as `pg1..pgN`;
/// - `cluster/pgbackrest/<cluster>/backup.sh`: runs one backup of a type (`full`, `diff`, `incr`);
/// - `cluster/pgbackrest/<cluster>/topoc-backup-<cluster>-<type>.{service,timer}`: systemd units that
///   run `backup.sh` on the schedule (docs/backups.md says how to install them).
///
/// Archiving (`archive_command`), `restore_command` and the replica method live in the Patroni
/// configuration (``PatroniConfig``), which reads the same ``BackupLayout``.
public struct BackupBackend: Backend {
    public init() {}

    public var name: String { "backup" }
    public var summary: String {
        "cluster/pgbackrest/<cluster>/pgbackrest.conf, backup.sh and systemd timers: the pgBackRest stanza, repository, retention and schedule"
    }

    public func artifacts(for plan: Plan) -> [Artifact] {
        guard let backup = plan.backup else { return [] }
        var artifacts: [Artifact] = []
        for cluster in plan.clusters {
            artifacts.append(
                Artifact(
                    path: BackupLayout.configPath(cluster: cluster.name),
                    contents: PgBackRestConfig.text(cluster: cluster, backup: backup, plan: plan), producer: name))
            artifacts.append(
                Artifact(
                    path: BackupSchedulePaths.scriptPath(cluster: cluster.name),
                    contents: BackupScheduleUnits.script(cluster: cluster, plan: plan), producer: name))
            for entry in backup.schedule {
                artifacts.append(
                    Artifact(
                        path: BackupLayout.unitPath(cluster: cluster.name, type: entry.type, suffix: "service"),
                        contents: BackupScheduleUnits.service(cluster: cluster, type: entry.type, plan: plan), producer: name))
                artifacts.append(
                    Artifact(
                        path: BackupLayout.unitPath(cluster: cluster.name, type: entry.type, suffix: "timer"),
                        contents: BackupScheduleUnits.timer(cluster: cluster, entry: entry, plan: plan), producer: name))
            }
        }
        return artifacts
    }
}

/// Where the backup script of a cluster is.
public enum BackupSchedulePaths {
    /// `backup.sh` of a cluster, inside the output folder.
    public static func scriptPath(cluster: String) -> String { "\(ClusterLayout.root)/pgbackrest/\(cluster)/backup.sh" }

    /// `backup.sh` as a server sees it (absolute).
    public static func scriptAbsolute(cluster: String, plan: Plan) -> String {
        let config = BackupLayout.configAbsolute(cluster: cluster, plan: plan)
        return String(config.dropLast("pgbackrest.conf".count)) + "backup.sh"
    }
}
