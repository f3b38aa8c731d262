import Testing

@testable import TopologyCompiler

enum BackupKeyCases {
    static let all: [GrammarKeyCase] = [
        GrammarKeyCase(.topology, "backup", DecodeFixture.document("backup: {}\n")) {
            let backup = try #require($0.topology.backup)
            #expect(backup.repositoryPath == nil && backup.retention == nil && backup.archiveTimeout == nil)
        },
        GrammarKeyCase(.backup, "repository", DecodeFixture.document("backup:\n  repository: /srv/pgbackrest\n")) {
            #expect($0.topology.backup?.repositoryPath?.value == "/srv/pgbackrest")
            $0.expect($0.topology.backup?.repositoryPath?.location, at: "/srv/pgbackrest")
        },
        GrammarKeyCase(.backup, "retention", DecodeFixture.document("backup:\n  retention: { full: 14d }\n")) {
            #expect($0.topology.backup?.retention?.value == .time(TimeSpan(milliseconds: 14 * 86_400_000)))
            $0.expect($0.topology.backup?.retention?.location, at: "14d")
        },
        GrammarKeyCase(.backup, "schedule", DecodeFixture.document("backup:\n  schedule: { full: monthly }\n")) {
            #expect($0.topology.backup?.schedule.full?.value == .monthly)
        },
        GrammarKeyCase(.backup, "recovery_window", DecodeFixture.document("backup:\n  recovery_window: 3d\n")) {
            #expect($0.topology.backup?.recoveryWindow?.value == TimeSpan(milliseconds: 3 * 86_400_000))
        },
        GrammarKeyCase(.backup, "archive_timeout", DecodeFixture.document("backup:\n  archive_timeout: 30s\n")) {
            #expect($0.topology.backup?.archiveTimeout?.value == .seconds(30))
            $0.expect($0.topology.backup?.archiveTimeout?.location, at: "30s")
        },
        GrammarKeyCase(.backupRepository, "kind", DecodeFixture.document("backup:\n  repository: { kind: posix }\n")) {
            #expect($0.topology.backup?.repositoryKind?.value == .posix)
        },
        GrammarKeyCase(.backupRepository, "path", DecodeFixture.document("backup:\n  repository: { path: /backups/shop }\n")) {
            #expect($0.topology.backup?.repositoryPath?.value == "/backups/shop")
        },
        GrammarKeyCase(.backupRetention, "full", DecodeFixture.document("backup:\n  retention:\n    full: 3\n")) {
            #expect($0.topology.backup?.retention?.value == .count(3))
            $0.expect($0.topology.backup?.retention?.location, at: "3")
        },
        GrammarKeyCase(.backupSchedule, "full", DecodeFixture.document("backup:\n  schedule:\n    full: daily\n")) {
            #expect($0.topology.backup?.schedule.full?.value == .daily)
        },
        GrammarKeyCase(.backupSchedule, "diff", DecodeFixture.document("backup:\n  schedule:\n    diff: off\n")) {
            #expect($0.topology.backup?.schedule.differential?.value == .off)
        },
        GrammarKeyCase(.backupSchedule, "incr", DecodeFixture.document("backup:\n  schedule:\n    incr: hourly\n")) {
            #expect($0.topology.backup?.schedule.incremental?.value == .hourly)
        },
    ]
}

@Suite("Decoding: backup")
struct BackupDecodingTests {
    @Test(arguments: BackupKeyCases.all)
    func key(_ keyCase: GrammarKeyCase) throws {
        try keyCase.run()
    }

    @Test func aRelativeRepositoryIsRefusedAtTheValue() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("backup:\n  repository: backups/shop\n"), .unsafeValue, at: "backups/shop",
            message: "'path' must be an absolute path")
    }

    @Test func aRepositoryPathWithShellSyntaxIsRefused() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("backup:\n  repository: { path: \"/srv/$(reboot)\" }\n"), .unsafeValue, at: "\"/srv/",
            message: "may contain only letters")
    }

    @Test func anUnknownKindAndIntervalAreLocated() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("backup:\n  repository: { kind: s3 }\n"), .invalidValue, at: "s3",
            message: "'s3' is not a valid 'kind'")
        try DecodeFixture.expectError(
            DecodeFixture.document("backup:\n  schedule: { incr: twice }\n"), .invalidValue, at: "twice",
            message: "'twice' is not a valid 'incr'")
    }

    @Test func retentionIsACountOrWholeDays() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("backup:\n  retention: { full: 36h }\n"), .invalidQuantity, at: "36h",
            message: "whole days")
        try DecodeFixture.expectError(
            DecodeFixture.document("backup:\n  retention: { full: 0 }\n"), .invalidValue, at: "0 }",
            message: "'full' must be between 1")
        try DecodeFixture.expectError(
            DecodeFixture.document("backup:\n  retention: {}\n"), .missingKey, at: "{}", message: "needs 'full'")
    }

    @Test func archiveTimeoutIsWholeSeconds() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("backup:\n  archive_timeout: 1500ms\n"), .invalidQuantity, at: "1500ms",
            message: "whole number of seconds")
    }

    @Test func anUnknownKeySuggestsTheRightOne() throws {
        try DecodeFixture.expectError(
            DecodeFixture.document("backup:\n  retension: { full: 2 }\n"), .unknownKey, at: "retension",
            message: "did you mean 'retention'?")
    }

    @Test func defaultsComeFromTheRPOAndRTO() throws {
        func plan(_ guarantees: String) throws -> PlanBackup {
            let text = DecodeFixture.document("guarantees: { \(guarantees) }\nbackup: {}\n")
            let compiled = CompilerDriver.compile(bytes: Array(text.utf8), file: "t.yaml", target: .local)
            return try #require(compiled.plan?.backup, "\(compiled.diagnostics.map(\.rendered))")
        }
        let day = try plan("rpo: 1d, rto: 4h")
        #expect(day.archiveTimeoutSeconds == 300)
        #expect(day.schedule.map(\.type) == [.full, .diff])
        #expect(day.retentionFullType == .count && day.retentionFull == 2)
        let tight = try plan("rpo: 2m, rto: 30m")
        #expect(tight.archiveTimeoutSeconds == 120)
        #expect(tight.schedule.map { "\($0.type.rawValue) \($0.interval.rawValue)" } == ["full weekly", "diff daily", "incr hourly"])
        #expect(try plan("rpo: 5s, rto: 1m").archiveTimeoutSeconds == 60)
    }
}
