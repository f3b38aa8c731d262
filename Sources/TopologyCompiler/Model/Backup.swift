/// The `backup:` section: where pgBackRest keeps base backups and archived WAL, how long it keeps
/// them and how often it takes them. Every key has a default derived from the guarantees
/// (``BackupDefaults``), so `backup: {}` is a complete section.
public struct Backup: Sendable {
    /// The kind of repository; only `posix` (a folder on a file system the servers can reach).
    public var repositoryKind: Located<BackupRepositoryKind>?
    /// The repository folder (absolute), or nil for the target's default: the local target's run
    /// folder, `/var/lib/pgbackrest` on a shared volume for compose.
    public var repositoryPath: Located<String>?
    /// How many full backups, or for how long, the repository keeps them.
    public var retention: Located<BackupRetention>?
    /// How often each type of backup is taken.
    public var schedule: BackupSchedule
    /// How far back a point-in-time restore must reach.
    public var recoveryWindow: Located<TimeSpan>?
    /// The longest a finished WAL segment may wait before it is archived (`archive_timeout`).
    public var archiveTimeout: Located<TimeSpan>?
    /// Where the section is.
    public var location: SourceLocation
}

/// The kind of a pgBackRest repository.
public enum BackupRepositoryKind: String, Sendable, CaseIterable, Codable {
    /// A folder on a POSIX file system.
    case posix
}

/// How long full backups are kept: a count of them, or a time (whole days).
public enum BackupRetention: Sendable, Equatable {
    /// Keep this many full backups (pgBackRest `repo1-retention-full-type=count`).
    case count(Int)
    /// Keep full backups so that this span is covered (`repo1-retention-full-type=time`, in days).
    case time(TimeSpan)
}

/// How often a type of backup runs.
public enum BackupInterval: String, Sendable, CaseIterable, Codable {
    case hourly
    case daily
    case weekly
    case monthly
    /// Never on a schedule (only on demand, `topoc backup`).
    case off

    /// The interval's length, or nil for `off`.
    public var span: TimeSpan? {
        switch self {
        case .hourly: TimeSpan(milliseconds: 3_600_000)
        case .daily: TimeSpan(milliseconds: 86_400_000)
        case .weekly: TimeSpan(milliseconds: 7 * 86_400_000)
        case .monthly: TimeSpan(milliseconds: 31 * 86_400_000)
        case .off: nil
        }
    }
}

/// The declared schedule of each backup type; nil means the derived default.
public struct BackupSchedule: Sendable {
    public var full: Located<BackupInterval>?
    public var differential: Located<BackupInterval>?
    public var incremental: Located<BackupInterval>?
    /// Where the schedule section is, if written.
    public var location: SourceLocation?

    /// An empty schedule: every type takes its default.
    public init(
        full: Located<BackupInterval>? = nil, differential: Located<BackupInterval>? = nil,
        incremental: Located<BackupInterval>? = nil, location: SourceLocation? = nil
    ) {
        self.full = full
        self.differential = differential
        self.incremental = incremental
        self.location = location
    }
}

/// The defaults of the backup section, derived from the declared RPO and RTO.
public enum BackupDefaults {
    /// Full backups kept when the topology says nothing.
    public static let retainedFullBackups = 2
    /// The full backup runs weekly.
    public static let full = BackupInterval.weekly
    /// A differential backup (changes since the last full) runs daily.
    public static let differential = BackupInterval.daily

    /// Incremental backups run hourly when the RTO is an hour or less (less WAL to replay after
    /// the last backup), else not at all.
    public static func incremental(rto: TimeSpan?) -> BackupInterval {
        guard let rto, rto.milliseconds <= 3_600_000 else { return .off }
        return .hourly
    }

    /// `archive_timeout`: the RPO, kept between one minute (PostgreSQL's documentation warns that
    /// shorter timeouts bloat the archive: every switch ships a whole 16MB segment) and five
    /// minutes; one minute without a non-zero RPO.
    public static func archiveTimeout(rpo: TimeSpan?) -> TimeSpan {
        let minute: Int64 = 60_000
        guard let rpo, rpo.milliseconds > 0 else { return TimeSpan(milliseconds: minute) }
        return TimeSpan(milliseconds: min(max(rpo.milliseconds, minute), 5 * minute))
    }
}
