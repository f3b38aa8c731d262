import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

/// `backup: {}` added to a running deployment with `topoc up NEW`: the members restart with
/// archiving on, each cluster's stanza is created and a first full backup taken, so archiving
/// works and `topoc backup` runs. Before, `topoc up` reported the migration done while every
/// `archive_command` failed ("unable to find a valid repository") and `pg_wal` grew, and `topoc
/// diff` did not list the change. Ports from 30600 + the offset.
final class ClusterBackupAddedTests: XCTestCase {
    func testBackupsAddedToARunningDeploymentArchiveAndBackUp() throws {
        try ClusterHarness.require()
        try ClusterHarness.requirePgBackRest()
        let old = TestTopologies.topology(name: "bka", basePort: 30600, synchronous: true)
        let deployment = try ClusterHarness.up(yaml: old, name: "backup-added")
        defer { checkDown(deployment) }
        let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"]
        let newFile = deployment.folder.appendingPathComponent("with-backup.yaml")
        try TestTopologies.topology(name: "bka", basePort: 30600, synchronous: true, backup: "{}")
            .write(to: newFile, atomically: true, encoding: .utf8)

        let diff = Subprocess.run(
            [ClusterHarness.topoc, "diff", "topology.yaml", newFile.path], environment: environment, directory: deployment.folder,
            timeout: 60)
        XCTAssertTrue(diff.output.contains("+   backup pgBackRest  [config-restart]"), diff.output + diff.error)

        let migrated = deployment.upAgain(newFile.path)
        XCTAssertEqual(migrated.status, 0, migrated.output + migrated.error)
        XCTAssertTrue(migrated.output.contains("main: full backup"), migrated.output)

        // Archiving works: a switched segment reaches the repository. A record is written first:
        // right after the backup's own switch, `pg_switch_wal()` does nothing and names the segment
        // the backup already archived, and the backup's history file
        // (`…05.00000028.backup`) may be archived after that segment and sort before it.
        let leader = try XCTUnwrap(deployment.view()?.leader)
        let conninfo = deployment.direct(port: leader.port, database: "postgres")
        XCTAssertNotNil(ClusterHarness.value(conninfo, "SELECT pg_logical_emit_message(false, 'topoc-test', 'archive probe')"))
        let segment = try XCTUnwrap(ClusterHarness.value(conninfo, "SELECT pg_walfile_name(pg_switch_wal() - 1)"))
        let archived = ClusterHarness.poll(seconds: 60) { () -> String? in
            let last = ClusterHarness.value(conninfo, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
            return last.map { String($0.prefix(segment.count)) >= segment } == true ? last : nil
        }
        XCTAssertNotNil(archived, "the switched segment \(segment) was not archived")
        // Segments fail to archive between the restart and the stanza's creation; none after.
        XCTAssertEqual(
            ClusterHarness.value(
                conninfo, "SELECT last_failed_time IS NULL OR last_failed_time < last_archived_time FROM pg_stat_archiver"), "t")

        let incremental = Subprocess.run(
            [ClusterHarness.topoc, "backup", "--type", "incr", "--run-dir", deployment.runDirectory.path], environment: environment,
            directory: deployment.folder, timeout: 300)
        XCTAssertEqual(incremental.status, 0, incremental.output + incremental.error)
    }
}
