extension RuleCatalog {
    /// The backup rules (TBK7xx): whether the declared RPO has something to restore from, and
    /// whether the archive and the retention keep what the topology asks for.
    static let backupRules: [Rule] = [
        Rule(.rpoWithoutBackup) { BackupChecks.rpoWithoutBackup($0) },
        Rule(.archiveSlowerThanRPO) { BackupChecks.archiveTimeout($0) },
        Rule(.retentionShorterThanRecoveryWindow) { BackupChecks.retention($0) },
    ]
}

/// The checks of the backup rules.
enum BackupChecks {
    /// TBK701: rpo > 0 and no backup section.
    static func rpoWithoutBackup(_ context: RuleContext) {
        let topology = context.topology
        guard let rpo = topology.guarantees.rpo, rpo.value.milliseconds > 0, topology.backup == nil else { return }
        context.report(
            "rpo \(rpo.value) promises that at most \(rpo.value) of commits is lost, but nothing can be restored: the topology has no 'backup' section, so no WAL is archived and no base backup is taken; add 'backup: {}' (pgBackRest with defaults from the RPO and RTO)",
            at: rpo.location)
    }

    /// TBK702: archive_timeout above the RPO where the archive is the only copy, or declared.
    static func archiveTimeout(_ context: RuleContext) {
        let topology = context.topology
        guard let backup = topology.backup, let rpo = topology.guarantees.rpo, rpo.value.milliseconds > 0 else { return }
        let timeout = backup.archiveTimeout?.value ?? BackupDefaults.archiveTimeout(rpo: rpo.value)
        guard timeout > rpo.value else { return }
        let single = topology.clusters.filter { $0.members.count == 1 }.map(\.name.value)
        if let declared = backup.archiveTimeout {
            context.report(
                "archive_timeout \(timeout) is longer than rpo \(rpo.value): a segment waits up to \(timeout) before it is archived, so losing every member of a cluster loses up to \(timeout) of commits; lower 'archive_timeout' to at most \(rpo.value)",
                at: declared.location, notes: [.init("the RPO is declared here", at: rpo.location)])
        } else if !single.isEmpty {
            context.report(
                "cluster \(single.map { "'\($0)'" }.joined(separator: ", ")) has one member, so the archive is its only other copy, and archive_timeout \(timeout) (topoc's floor of one minute) is longer than rpo \(rpo.value): losing the member loses up to \(timeout) of commits; add members or declare an RPO of at least \(timeout)",
                at: rpo.location, notes: [.init("the backup section is here", at: backup.location)])
        }
    }

    /// TBK703: the retention's guaranteed window is shorter than `recovery_window`.
    static func retention(_ context: RuleContext) {
        let topology = context.topology
        guard let backup = topology.backup, let window = backup.recoveryWindow else { return }
        let retention = backup.retention?.value ?? .count(BackupDefaults.retainedFullBackups)
        let at = backup.retention?.location ?? backup.location
        switch retention {
        case .time(let span):
            guard span < window.value else { return }
            context.report(
                "the retention keeps full backups for \(span), shorter than the recovery_window \(window.value): a restore to a point older than \(span) finds no backup; keep at least \(window.value)",
                at: at, notes: [.init("the recovery window is declared here", at: window.location)])
        case .count(let count):
            let full = backup.schedule.full?.value ?? BackupDefaults.full
            guard let interval = full.span else {
                context.report(
                    "full backups are not scheduled ('full: off'), so how far back the \(count) kept full backups reach depends on when they are taken by hand, not the recovery_window \(window.value); schedule full backups or use a time retention (full: \(max(1, window.value.milliseconds / 86_400_000))d)",
                    at: backup.schedule.full?.location ?? at, notes: [.init("the recovery window is declared here", at: window.location)])
                return
            }
            let guaranteed = TimeSpan(milliseconds: Int64(count - 1) * interval.milliseconds)
            guard guaranteed < window.value else { return }
            let needed =
                Int(window.value.milliseconds / interval.milliseconds) + (window.value.milliseconds % interval.milliseconds == 0 ? 1 : 2)
            context.report(
                "keeping \(count) full backup\(count == 1 ? "" : "s") taken \(full.rawValue) guarantees only \(guaranteed) of history (right after a new full backup the oldest kept one is (\(count) - 1) x \(interval) old), shorter than the recovery_window \(window.value); keep \(needed) full backups or use a time retention (full: \(max(1, (window.value.milliseconds + 86_399_999) / 86_400_000))d)",
                at: at, notes: [.init("the recovery window is declared here", at: window.location)])
        }
    }
}
