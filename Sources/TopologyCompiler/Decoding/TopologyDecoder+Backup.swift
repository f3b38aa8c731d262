extension TopologyDecoder {
    /// `backup:`: the pgBackRest repository, retention and schedule; every key is optional.
    func decodeBackup(_ node: YAMLNode) -> Backup? {
        context.mapping(node, section: .backup, key: "backup") { reader -> Backup? in
            var backup = Backup(schedule: BackupSchedule(), location: node.location)
            if let repository = reader.value("repository") {
                decodeRepository(repository, into: &backup)
            }
            if reader.value("retention") == nil, let present = reader.keyLocation("retention") {
                context.report(.missingKey, "the backup retention needs 'full', a count of full backups or whole days", at: present)
            }
            if let retention = reader.value("retention") {
                backup.retention = context.mapping(retention, section: .backupRetention, key: "retention") { retentionReader in
                    retentionReader.required("full").flatMap(decodeRetention)
                }
            }
            if let schedule = reader.value("schedule") {
                backup.schedule =
                    context.mapping(schedule, section: .backupSchedule, key: "schedule") { scheduleReader in
                        BackupSchedule(
                            full: scheduleReader.value("full").flatMap { context.choice($0, key: "full", as: BackupInterval.self) },
                            differential: scheduleReader.value("diff").flatMap {
                                context.choice($0, key: "diff", as: BackupInterval.self)
                            },
                            incremental: scheduleReader.value("incr").flatMap {
                                context.choice($0, key: "incr", as: BackupInterval.self)
                            },
                            location: schedule.location)
                    } ?? BackupSchedule()
            }
            backup.recoveryWindow = reader.value("recovery_window").flatMap { context.duration($0, key: "recovery_window") }
            if let timeout = reader.value("archive_timeout").flatMap({ context.duration($0, key: "archive_timeout") }) {
                if timeout.value.milliseconds < 1000 || timeout.value.milliseconds % 1000 != 0 {
                    context.report(
                        .invalidQuantity,
                        "'archive_timeout' is a whole number of seconds, at least 1s (PostgreSQL's unit), found \(timeout.value)",
                        at: timeout.location)
                } else {
                    backup.archiveTimeout = timeout
                }
            }
            return backup
        }
    }

    /// `repository: /path` or `repository: { kind: posix, path: /path }`.
    private func decodeRepository(_ node: YAMLNode, into backup: inout Backup) {
        func path(_ node: YAMLNode) -> Located<String>? {
            context.value(node, key: "path") { ValueGrammar.pathProblem($0, absolute: true) }
        }
        if case .scalar = node.content {
            backup.repositoryPath = path(node)
            return
        }
        _ = context.mapping(node, section: .backupRepository, key: "repository") { reader -> Void? in
            backup.repositoryKind = reader.value("kind").flatMap { context.choice($0, key: "kind", as: BackupRepositoryKind.self) }
            backup.repositoryPath = reader.value("path").flatMap(path)
            return nil
        }
    }

    /// `full: 2` (a count of full backups) or `full: 14d` (whole days).
    private func decodeRetention(_ node: YAMLNode) -> Located<BackupRetention>? {
        if case .scalar(let text, .plain) = node.content, text.allSatisfy(\.isASCIIDigit), !text.isEmpty {
            return context.int(node, key: "full", range: 1...9_999_999).map { Located(.count($0.value), at: $0.location) }
        }
        guard let span = context.duration(node, key: "full") else { return nil }
        let day: Int64 = 86_400_000
        guard span.value.milliseconds >= day, span.value.milliseconds % day == 0 else {
            context.report(
                .invalidQuantity,
                "'full' is a count of full backups (such as 2) or whole days (such as 14d; pgBackRest keeps time in days), found \(span.value)",
                at: span.location)
            return nil
        }
        return Located(.time(span.value), at: span.location)
    }
}
