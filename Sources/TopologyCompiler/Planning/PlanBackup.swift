/// Backups as planned: the `backup:` section with every default resolved (``BackupDefaults``).
/// The backup backend (pgbackrest.conf, the timers), the Patroni backend (archiving, replicas
/// from the repository) and `topoc up`/`backup`/`restore` read this.
public struct PlanBackup: Sendable, Codable, Equatable {
    /// The repository kind (`posix`).
    public var repositoryKind: BackupRepositoryKind
    /// The repository folder, absolute; nil for the target's default (``ClusterLayout/backupRepository(_:)``).
    public var repositoryPath: String?
    /// `count` (keep `retentionFull` full backups) or `time` (keep `retentionFull` days).
    public var retentionFullType: BackupRetentionType
    /// The count of full backups, or days, kept.
    public var retentionFull: Int
    /// How often each type of backup runs (`full`, `diff`, `incr`), types that never run left out.
    public var schedule: [PlanBackupSchedule]
    /// How far back a point-in-time restore must reach, as declared.
    public var recoveryWindow: String?
    /// `archive_timeout` in seconds.
    public var archiveTimeoutSeconds: Int64
    /// pgBackRest's `process-max`: parallel processes for backup and restore.
    public var processMax: Int
    /// pgBackRest's `compress-type`.
    public var compressType: BackupCompressType
}

/// How pgBackRest counts the full backups it keeps (`repo1-retention-full-type`).
public enum BackupRetentionType: String, Sendable, Codable, CaseIterable {
    /// Keep a number of full backups.
    case count
    /// Keep full backups for a number of days.
    case time
}

/// The compression pgBackRest applies to backups and archived WAL (`compress-type`).
public enum BackupCompressType: String, Sendable, Codable, CaseIterable {
    /// LZ4: fast, the one topoc plans.
    case lz4
}

/// The backup types pgBackRest takes (`--type`).
public enum BackupType: String, Sendable, Codable, CaseIterable {
    /// A copy of the whole cluster.
    case full
    /// The changes since the last full backup.
    case diff
    /// The changes since the last backup of any type.
    case incr
}

/// One scheduled backup type.
public struct PlanBackupSchedule: Sendable, Codable, Equatable {
    /// pgBackRest's `--type`: `full`, `diff` or `incr`.
    public var type: BackupType
    /// How often: `hourly`, `daily`, `weekly` or `monthly` (systemd `OnCalendar` shorthands); never `off`.
    public var interval: BackupInterval
}

extension Planner {
    /// The backup section with its defaults, or nil when the topology has none.
    func makeBackup() -> PlanBackup? {
        guard let backup = topology.backup else { return nil }
        let retention = backup.retention?.value ?? .count(BackupDefaults.retainedFullBackups)
        let (type, amount): (BackupRetentionType, Int) =
            switch retention {
            case .count(let count): (.count, count)
            case .time(let span): (.time, Int(span.milliseconds / 86_400_000))
            }
        let intervals: [(BackupType, BackupInterval)] = [
            (.full, backup.schedule.full?.value ?? BackupDefaults.full),
            (.diff, backup.schedule.differential?.value ?? BackupDefaults.differential),
            (.incr, backup.schedule.incremental?.value ?? BackupDefaults.incremental(rto: topology.guarantees.rto?.value)),
        ]
        let timeout = backup.archiveTimeout?.value ?? BackupDefaults.archiveTimeout(rpo: topology.guarantees.rpo?.value)
        return PlanBackup(
            repositoryKind: backup.repositoryKind?.value ?? .posix, repositoryPath: backup.repositoryPath?.value,
            retentionFullType: type, retentionFull: amount,
            schedule: intervals.filter { $0.1 != .off }.map { PlanBackupSchedule(type: $0.0, interval: $0.1) },
            recoveryWindow: backup.recoveryWindow?.value.description, archiveTimeoutSeconds: timeout.wholeSecondsRoundedUp,
            processMax: 2, compressType: .lz4)
    }
}
