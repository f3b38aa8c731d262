import Foundation
import Testing

@testable import TopologyCompiler

@Suite("Rules: backups")
struct BackupRulesTests {
    typealias F = ClusterRuleFixture

    /// One cluster of `members`, the guarantees given and `extra` top-level sections.
    static func topology(members: Int = 1, guarantees: String, extra: String = "") -> String {
        "topology: shop\nclusters:\n  main: { members: \(members) }\nguarantees: { \(guarantees) }\n" + extra
    }

    // MARK: TBK701 rpo-without-backup

    @Test func aNonZeroRPOWithoutBackupsIsAnError() throws {
        let text = Self.topology(guarantees: "rpo: 1d, rto: 4h")
        try F.expect(.rpoWithoutBackup, in: text, at: "1d", message: "nothing can be restored")
    }

    @Test func aBackupSectionOrRPOZeroOrNoRPOIsFine() throws {
        try F.expectNothing(.rpoWithoutBackup, in: Self.topology(guarantees: "rpo: 1d", extra: "backup: {}\n"))
        try F.expectNothing(.rpoWithoutBackup, in: Self.topology(members: 3, guarantees: "rto: 1m"))
        try F.expectNothing(
            .rpoWithoutBackup,
            in: "topology: shop\nclusters:\n  main: { members: 3, replication: { mode: synchronous } }\nguarantees: { rpo: 0 }\n")
    }

    // MARK: TBK702 archive-slower-than-rpo

    @Test func aOneMemberClusterWithAnRPOBelowTheArchiveFloorWarns() throws {
        let text = Self.topology(guarantees: "rpo: 10s", extra: "backup: {}\n")
        let found = try F.expect(
            .archiveSlowerThanRPO, in: text, at: "10s", message: "archive_timeout 1m (topoc's floor of one minute) is longer than rpo 10s")
        F.expectNote(found[0], at: "{}", in: text)
    }

    @Test func aDeclaredArchiveTimeoutAboveTheRPOWarnsAtIt() throws {
        let text = Self.topology(members: 3, guarantees: "rpo: 2m", extra: "backup: { archive_timeout: 5m }\n")
        try F.expect(.archiveSlowerThanRPO, in: text, at: "5m", message: "archive_timeout 5m is longer than rpo 2m")
    }

    @Test func replicasOrATimeoutWithinTheRPOAreFine() throws {
        try F.expectNothing(.archiveSlowerThanRPO, in: Self.topology(members: 3, guarantees: "rpo: 5s", extra: "backup: {}\n"))
        try F.expectNothing(.archiveSlowerThanRPO, in: Self.topology(guarantees: "rpo: 1d", extra: "backup: {}\n"))
        try F.expectNothing(
            .archiveSlowerThanRPO, in: Self.topology(guarantees: "rpo: 2m", extra: "backup: { archive_timeout: 2m }\n"))
    }

    @Test func theExplanationSaysWhatAFailingArchiveCommandDoes() {
        let text = DiagnosticCode.archiveSlowerThanRPO.explanation
        #expect(text.contains("When archive_command fails"))
        #expect(text.contains("pg_wal grows"))
        #expect(text.contains("pg_stat_archiver"))
    }

    // MARK: TBK703 retention-shorter-than-recovery-window

    @Test func aCountRetentionShorterThanTheWindowWarns() throws {
        let text = Self.topology(guarantees: "rpo: 1d", extra: "backup:\n  retention: { full: 2 }\n  recovery_window: 14d\n")
        let found = try F.expect(
            .retentionShorterThanRecoveryWindow, in: text, at: "2 }",
            message: "keeping 2 full backups taken weekly guarantees only 7d of history")
        #expect(found[0].message.contains("keep 3 full backups"))
        F.expectNote(found[0], at: "14d", in: text)
    }

    @Test func aTimeRetentionShorterThanTheWindowWarns() throws {
        let text = Self.topology(guarantees: "rpo: 1d", extra: "backup:\n  retention: { full: 7d }\n  recovery_window: 10d\n")
        try F.expect(
            .retentionShorterThanRecoveryWindow, in: text, at: "7d",
            message: "keeps full backups for 7d, shorter than the recovery_window 10d")
    }

    @Test func unscheduledFullBackupsCannotPromiseAWindow() throws {
        let text = Self.topology(
            guarantees: "rpo: 1d", extra: "backup:\n  schedule: { full: off }\n  recovery_window: 1d\n")
        try F.expect(.retentionShorterThanRecoveryWindow, in: text, at: "off", message: "full backups are not scheduled")
    }

    @Test func aRetentionThatCoversTheWindowIsFine() throws {
        try F.expectNothing(
            .retentionShorterThanRecoveryWindow,
            in: Self.topology(guarantees: "rpo: 1d", extra: "backup:\n  retention: { full: 3 }\n  recovery_window: 14d\n"))
        try F.expectNothing(
            .retentionShorterThanRecoveryWindow,
            in: Self.topology(guarantees: "rpo: 1d", extra: "backup:\n  retention: { full: 14d }\n  recovery_window: 14d\n"))
        try F.expectNothing(.retentionShorterThanRecoveryWindow, in: Self.topology(guarantees: "rpo: 1d", extra: "backup: {}\n"))
    }
}
