/// The codes of the backup rules (TBK7xx).
extension DiagnosticCode {
    /// A non-zero RPO with no backup to restore from.
    public static let rpoWithoutBackup = DiagnosticCode(
        code: "TBK701", slug: "rpo-without-backup", defaultSeverity: .error,
        summary: "A non-zero RPO needs something to restore from: declare a `backup:` section.",
        explanation: """
            An RPO above zero says how much committed data a failure may lose, and so that the rest \
            survives it. Replicas do not keep that promise alone: a dropped table, a bad migration or \
            the loss of every member's disk is replicated or shared, and without archived WAL and base \
            backups nothing is left to restore from, whatever the RPO says. With a `backup:` section \
            topoc configures pgBackRest: every member archives each finished WAL segment \
            (`archive_mode`, `archive_command`), base backups run on a schedule into a repository, and \
            `topoc restore --to TIME|LSN|latest` recovers to any point the archive covers. Declare \
            `backup: {}` for the defaults derived from the RPO and RTO (docs/backups.md), or declare \
            `rpo: 0` if replicas are really all the deployment relies on.
            """,
        source: "https://www.postgresql.org/docs/15/continuous-archiving.html")

    /// The archive cannot keep up with the declared RPO.
    public static let archiveSlowerThanRPO = DiagnosticCode(
        code: "TBK702", slug: "archive-slower-than-rpo", defaultSeverity: .warning,
        summary: "archive_timeout is longer than the RPO, so losing every member can lose more than the RPO allows.",
        explanation: """
            PostgreSQL archives a WAL segment when it is full (16MB) or when archive_timeout has passed \
            since the last switch with something written. Until then the newest commits exist only in \
            the members' pg_wal: a cluster whose members are all lost (one member, or a shared disk) \
            loses up to archive_timeout of commits, and more when the archive falls behind. The rule \
            reports a one-member cluster, or a declared `archive_timeout`, above the RPO. topoc's \
            default archive_timeout is the RPO, between one minute and five (shorter timeouts ship a \
            whole segment per switch; the replicas, not the archive, cover an RPO of seconds). \
            \n\nWhen archive_command fails (repository full or unreachable, wrong permissions, a \
            stanza mismatch), PostgreSQL keeps every unarchived segment in pg_wal and retries the \
            command every minute, logging each failure; nothing is lost, but pg_wal grows until the \
            archive works again or the disk fills, and a full disk stops the primary (PANIC). Replicas \
            keep working; pg_stat_archiver shows failed_count and last_failed_wal. Watch pg_wal's size \
            and pg_stat_archiver, fix the repository, and the backlog is archived by itself. Never \
            delete files from pg_wal by hand.
            """,
        source: "https://www.postgresql.org/docs/15/continuous-archiving.html#BACKUP-ARCHIVING-WAL")

    /// The retention keeps less than the recovery window asked for.
    public static let retentionShorterThanRecoveryWindow = DiagnosticCode(
        code: "TBK703", slug: "retention-shorter-than-recovery-window", defaultSeverity: .warning,
        summary: "The backup retention does not keep the recovery window the topology asks for.",
        explanation: """
            A point-in-time restore needs a full backup taken before the target and the WAL since. \
            pgBackRest expires full backups beyond the retention (and their WAL): with a count of N \
            full backups taken every interval F, the oldest kept backup is only (N - 1) x F old right \
            after a new full backup, so that is the window the deployment guarantees; with a time \
            retention of D days, pgBackRest keeps enough full backups to reach D days back. When \
            `backup.recovery_window` asks for more, a restore to an older point finds no backup. Raise \
            `retention.full`, schedule full backups more often, or use a time retention \
            (`full: 14d`).
            """,
        source: "https://pgbackrest.org/configuration.html#section-repository/option-repo-retention-full")
}
