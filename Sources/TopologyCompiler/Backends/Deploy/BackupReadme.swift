/// The deployment guide's section on backups: where they go, how to take and restore them, and
/// what a failing `archive_command` does.
enum BackupReadme {
    static func text(plan: Plan) -> String {
        guard let backup = plan.backup else { return "" }
        let schedule =
            backup.schedule.isEmpty
            ? "none (only on demand)"
            : backup.schedule.map { "\($0.type.rawValue) \($0.interval.rawValue)" }.joined(separator: ", ")
        let retention =
            switch backup.retentionFullType {
            case .count: "\(backup.retentionFull) full backups"
            case .time: "full backups covering \(backup.retentionFull) days"
            }
        let stanzas = plan.clusters.map { "`\($0.name)` (`\(BackupLayout.configPath(cluster: $0.name))`)" }.joined(separator: ", ")
        let howTo =
            plan.target == .local
            ? """
            `topoc up` creates each stanza and takes the first full backup. Then:

            ```sh
            topoc backup --type full|diff|incr [--cluster C]      # one backup now
            topoc restore --to latest|'YYYY-MM-DD HH:MM:SS+00'|0/3000060 [--cluster C] --into DIR --port P
            ```

            A restore goes into a new data directory and starts a server on another port (archiving
            off, so it never writes into the cluster's archive); the running cluster is untouched.
            """
            : """
            The repository is the named volume `pgbackrest-repo`, mounted at `\(BackupLayout.repository(plan))`
            in every member. Create each stanza and take the first full backup in the leader's
            container, as `postgres`:

            ```sh
            \(plan.clusters.map { "docker compose exec -u postgres <leader of \($0.name)> \(BackupLayout.executable) --config=\(BackupLayout.configAbsolute(cluster: $0.name, plan: plan)) --stanza=\($0.name) stanza-create" }.joined(separator: "\n"))
            \(plan.clusters.map { "docker compose exec -u postgres <leader of \($0.name)> sh \(BackupSchedulePaths.scriptAbsolute(cluster: $0.name, plan: plan)) full" }.joined(separator: "\n"))
            ```
            """
        return """
            ## Backups (pgBackRest)

            One stanza per cluster: \(stanzas). Repository `\(BackupLayout.repository(plan))`; retention \(retention);
            archive_timeout \(backup.archiveTimeoutSeconds)s; schedule \(schedule) (systemd timers in
            `cluster/pgbackrest/<cluster>/`: copy them to /etc/systemd/system and `systemctl enable --now` the timers
            on the host that runs backups). pgBackRest logs in as `\(plan.roles.backup)`, which has no password
            and only the backup functions (docs/roles.md). New replicas restore from the repository first and
            fall back to a base backup from the leader.

            \(howTo)

            ### When archive_command fails

            PostgreSQL keeps every segment it could not archive in `pg_wal` and retries every minute, logging
            each failure. Nothing is lost, but `pg_wal` grows until the repository works again, and a full disk
            stops the primary. Watch `SELECT * FROM pg_stat_archiver` (failed_count, last_failed_wal) and the size of
            `pg_wal`; fix the repository and the backlog is archived by itself. Never delete files from `pg_wal` by
            hand. `topoc explain TBK702` has the details.

            """
    }
}
