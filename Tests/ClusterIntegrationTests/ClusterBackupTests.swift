import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// Backups with pgBackRest on a `topoc up` cluster (synchronous strict, three members, `backup: {}`):
/// a point-in-time restore into a new data directory on another port, a replica rebuilt from the
/// repository instead of the leader, and a restore to `latest` after a failover that has every
/// acknowledged commit. One deployment serves the three proofs to keep the suite short.
/// Port base 32000 (plus `ClusterHarness.portOffset`).
final class ClusterBackupTests: XCTestCase {
    func testPointInTimeReplicaFromRepositoryAndRestoreAfterFailover() throws {
        try ClusterHarness.require()
        try ClusterHarness.requirePgBackRest()
        let yaml = TestTopologies.topology(name: "bkp", basePort: 32000, synchronous: true, backup: "{}")
        let deployment = try ClusterHarness.up(yaml: yaml, name: "backup")
        defer { checkDown(deployment) }
        XCTAssertTrue(deployment.upOutput.contains("main: full backup"), "topoc up takes the first full backup:\n\(deployment.upOutput)")
        try checkLeastPrivilege(deployment)
        try pointInTime(deployment)
        try replicaFromRepository(deployment)
        try measureFullBackup(deployment)
        try restoreLatestAfterFailover(deployment)
        try upAgainAfterDown(deployment)
    }

    // MARK: Down and up again

    /// `topoc down` (data removed) and `topoc up` again in the same run folder: the stopped
    /// deployment's repository is moved aside, so the new deployment starts a repository of its
    /// own. Before, its new members were restored from the old backups and Patroni refused them
    /// (system ID mismatch), and `topoc up` failed.
    private func upAgainAfterDown(_ deployment: ClusterHarness.Deployment) throws {
        let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"]
        let down = Subprocess.run(
            [ClusterHarness.topoc, "down", "--run-dir", deployment.runDirectory.path], environment: environment,
            directory: deployment.folder, timeout: 120)
        XCTAssertEqual(down.status, 0, down.output + down.error)
        XCTAssertTrue(down.output.contains("the backups of the stopped deployment are kept in"), down.output)
        let kept = try FileManager.default.contentsOfDirectory(atPath: deployment.runDirectory.path).filter {
            $0.hasPrefix("pgbackrest-kept-")
        }
        XCTAssertEqual(kept.count, 1, "\(kept)")
        let again = deployment.upAgain(deployment.folder.appendingPathComponent("topology.yaml").path)
        XCTAssertEqual(again.status, 0, again.output + again.error)
        XCTAssertTrue(again.output.contains("main: full backup"), again.output)
        XCTAssertFalse(again.output.contains("system ID mismatch"))
    }

    // MARK: Roles

    /// pgBackRest logs in as its own role, which is no superuser and holds only the backup functions.
    private func checkLeastPrivilege(_ deployment: ClusterHarness.Deployment) throws {
        let leader = try XCTUnwrap(deployment.view()?.leader)
        let role = deployment.plan.roles.backup
        let attributes = try ClusterHarness.rows(
            deployment.direct(port: leader.port, database: "postgres"),
            "SELECT rolsuper, rolreplication, rolcreaterole, rolcreatedb, pg_has_role('\(role)', 'pg_read_all_settings', 'USAGE'), has_function_privilege('\(role)', 'pg_backup_start(text, boolean)', 'EXECUTE'), has_function_privilege('\(role)', 'pg_read_binary_file(text)', 'EXECUTE') FROM pg_roles WHERE rolname = '\(role)'"
        )
        XCTAssertEqual(attributes.first, ["f", "f", "f", "f", "t", "t", "f"], "the backup role's privileges")
        // The backups above ran as that role: pgBackRest's log names it.
        let log = try String(contentsOfFile: logFolder(deployment) + "/main-backup.log", encoding: .utf8)
        XCTAssertTrue(log.contains("--pg1-user=\(role)"), "pgBackRest backs up as \(role)")
    }

    // MARK: Point in time

    /// Rows, a backup, rows, a timestamp, rows: the restore to the timestamp has exactly the rows
    /// committed before it.
    private func pointInTime(_ deployment: ClusterHarness.Deployment) throws {
        let database = deployment.plan.databases[0].name
        let app = deployment.pgbouncer(database: database)
        try insert(app, from: 1, to: 100)
        let backup = topoc(deployment, ["backup", "--type", "incr"])
        XCTAssertEqual(backup.status, 0, backup.output + backup.error)
        XCTAssertTrue(backup.output.contains("incr backup"), backup.output)
        try insert(app, from: 101, to: 200)
        usleep(1_100_000)
        let leader = try XCTUnwrap(deployment.view()?.leader)
        let target = try XCTUnwrap(
            ClusterHarness.value(deployment.direct(port: leader.port, database: "postgres"), "SELECT clock_timestamp()::text"))
        usleep(1_100_000)
        try insert(app, from: 201, to: 300)

        let port = 32090 + ClusterHarness.portOffset
        let restored = try restore(deployment, to: target, port: port, folder: "pitr")
        defer { stopRestored(restored) }
        let rows = try ClusterHarness.rows(
            deployment.direct(port: port, database: database), "SELECT count(*), min(event_id), max(event_id) FROM events")
        XCTAssertEqual(rows.first, ["200", "1", "200"], "exactly the rows committed before \(target)")
        XCTAssertEqual(ClusterHarness.value(deployment.direct(port: port, database: "postgres"), "SHOW archive_mode"), "off")
        XCTAssertEqual(ClusterHarness.value(deployment.direct(port: port, database: "postgres"), "SELECT pg_is_in_recovery()"), "f")
        // The cluster itself still has all 300.
        XCTAssertEqual(ClusterHarness.value(app, "SELECT count(*) FROM events"), "300")
    }

    // MARK: Replica from the repository

    /// `POST /reinitialize` on a replica: Patroni's first replica method is pgBackRest, so the
    /// member's new data directory comes from the repository, not from the leader.
    private func replicaFromRepository(_ deployment: ClusterHarness.Deployment) throws {
        let cluster = deployment.plan.clusters[0]
        let view = try XCTUnwrap(deployment.view())
        let replica = try XCTUnwrap(view.members.first { $0.role != "leader" && $0.role != "standby_leader" })
        let member = try XCTUnwrap(cluster.members.first { $0.name == replica.name })
        // pgBackRest appends every restore of the stanza to one log (the members' first attempts at
        // bootstrap, before any backup existed, and topoc restore): read only what the reinit adds.
        let restoreLog = logFolder(deployment) + "/main-restore.log"
        let before = (try? Data(contentsOf: URL(fileURLWithPath: restoreLog)).count) ?? 0
        func added() -> String {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: restoreLog))) ?? Data()
            return String(decoding: data.dropFirst(before), as: UTF8.self)
        }
        let started = Date()
        let password = deployment.secrets.values[deployment.plan.secrets.restAPI] ?? ""
        let result = Subprocess.run(
            [
                "/usr/bin/curl", "-sS", "-f", "-u", "\(ClusterLayout.restAPIUser):\(password)", "-X", "POST", "-H",
                "Content-Type: application/json", "-d", "{\"force\": true}", "http://127.0.0.1:\(member.restPort)/reinitialize",
            ], environment: ["PATH": "/usr/bin:/bin"], timeout: 30)
        XCTAssertEqual(result.status, 0, "POST /reinitialize: \(result.output)\(result.error)")
        let streaming = ClusterHarness.poll(seconds: 90, interval: 0.5) { () -> Bool? in
            guard let leader = deployment.view()?.leader else { return nil }
            let state = ClusterHarness.value(
                deployment.direct(port: leader.port, database: "postgres"),
                "SELECT state FROM pg_stat_replication WHERE application_name = '\(member.name)'")
            return state == "streaming" && added().contains("restore command end") ? true : nil
        }
        XCTAssertNotNil(streaming, "\(member.name) streams again after the reinit")
        let seconds = Date().timeIntervalSince(started)
        // The source: pgBackRest's restore log names the member's data directory, and Patroni says which method made it.
        let log = added()
        XCTAssertTrue(log.contains("--pg1-path=\(member.dataDirectory)"), "pgBackRest restored \(member.name):\n\(log)")
        XCTAssertTrue(log.contains("restore command end: completed successfully"), log)
        let patroniLog = try String(contentsOfFile: deployment.runDirectory.path + "/logs/\(member.name).log", encoding: .utf8)
        // At bootstrap the repository had no backup, so the member was made by basebackup; the reinit uses pgBackRest.
        let reinit = patroniLog.components(separatedBy: "replica has been created using").last ?? ""
        XCTAssertTrue(reinit.hasPrefix(" pgbackrest"), "Patroni's last replica creation used the pgbackrest method")
        let rows = ClusterHarness.poll(seconds: 20) { () -> String? in
            let count = ClusterHarness.value(
                deployment.direct(port: member.port, database: deployment.plan.databases[0].name), "SELECT count(*) FROM events")
            return count == "300" ? count : nil
        }
        XCTAssertEqual(rows, "300", "the rebuilt replica has every row")
        print("CLUSTER-RESULT backup replica \(member.name) rebuilt from the pgBackRest repository in \(String(format: "%.1f", seconds))s")
    }

    // MARK: Measurement

    /// A million rows more (the size is printed), then a timed full backup; the restore to
    /// `latest` below restores that backup and is timed too (docs/performance-cluster.md).
    private func measureFullBackup(_ deployment: ClusterHarness.Deployment) throws {
        let database = deployment.plan.databases[0].name
        let leader = try XCTUnwrap(deployment.view()?.leader)
        let conninfo = deployment.direct(port: leader.port, database: database)
        _ = try ClusterHarness.rows(
            conninfo, "INSERT INTO events (event_id, body) SELECT g, repeat('x', 40) FROM generate_series(1001, 1000000) g", timeout: 120)
        let size = try XCTUnwrap(
            ClusterHarness.value(
                deployment.direct(port: leader.port, database: "postgres"),
                "SELECT pg_size_pretty(sum(pg_database_size(datname))) FROM pg_database"))
        let started = Date()
        let backup = topoc(deployment, ["backup", "--type", "full"])
        XCTAssertEqual(backup.status, 0, backup.output + backup.error)
        let seconds = Date().timeIntervalSince(started)
        let repository = Subprocess.run(
            ["/usr/bin/du", "-sh", BackupLayout.repository(deployment.plan) + "/backup"], environment: ["PATH": "/usr/bin:/bin"])
        print(
            "CLUSTER-RESULT backup full of \(size) (all databases): \(String(format: "%.1f", seconds))s; repository backup folder "
                + (repository.output.split(separator: "\t").first.map(String.init) ?? "?") + " (lz4, every backup so far)")
    }

    // MARK: Failover

    /// Kill the leader (Patroni and postmaster) under a bounded write load; archiving continues on
    /// the new timeline, and a restore to `latest` has every acknowledged row.
    private func restoreLatestAfterFailover(_ deployment: ClusterHarness.Deployment) throws {
        let database = deployment.plan.databases[0].name
        let cluster = deployment.plan.clusters[0]
        let leader = try XCTUnwrap(deployment.view()?.leader)
        let timeline = leader.timeline ?? 1
        let member = try XCTUnwrap(deployment.state.members.first { $0.name == leader.name })
        let postmaster = try XCTUnwrap(ProcessSpawner.postmaster(of: member.dataDirectory ?? ""))
        let writer = FailoverWriter(conninfo: deployment.pgbouncer(database: database), table: "failover_probe")
        writer.start()
        XCTAssertNotNil(ClusterHarness.poll(seconds: 20) { writer.acknowledged.count >= 100 ? true : nil }, "the writer commits")
        let killedAt = Date()
        kill(member.process.pid, SIGKILL)
        kill(postmaster.pid, SIGKILL)
        let resumed = ClusterHarness.poll(seconds: 60) { writer.acknowledged.first { $0.at > killedAt && $0.port != leader.port } }
        XCTAssertNotNil(resumed, "writes resume on a new leader")
        usleep(1_000_000)
        writer.stop()
        let acks = writer.acknowledged.map(\.id)
        let others = cluster.members.filter { $0.name != leader.name }
        let newLeader = try XCTUnwrap(ClusterProbe.view(restPorts: others.map(\.restPort))?.leader, "a new leader")
        XCTAssertGreaterThan(newLeader.timeline ?? 0, timeline, "the new leader runs on a new timeline")

        // Archiving continues on the new timeline: the new leader archives its history file and segments.
        let newTimeline = String(format: "%08X", newLeader.timeline ?? 0)
        let archived = ClusterHarness.poll(seconds: 30, interval: 0.5) { () -> String? in
            let conninfo = deployment.direct(port: newLeader.port, database: "postgres")
            _ = ClusterHarness.value(conninfo, "SELECT pg_switch_wal()")
            let wal = ClusterHarness.value(conninfo, "SELECT last_archived_wal FROM pg_stat_archiver")
            return wal.map { $0.hasPrefix(newTimeline) } == true ? wal : nil
        }
        XCTAssertNotNil(archived, "the new leader archives WAL of timeline \(newTimeline)")
        let history = try FileManager.default.contentsOfDirectory(atPath: BackupLayout.repository(deployment.plan) + "/archive/main/15-1")
        XCTAssertTrue(history.contains("\(newTimeline).history"), "the timeline history is archived: \(history)")

        let port = 32091 + ClusterHarness.portOffset
        let restored = try restore(deployment, to: "latest", port: port, folder: "latest")
        defer { stopRestored(restored) }
        let present = Set(
            try ClusterHarness.rows(deployment.direct(port: port, database: database), "SELECT id FROM failover_probe")
                .compactMap { Int64($0.first ?? "") })
        let missing = acks.filter { !present.contains($0) }
        XCTAssertEqual(missing, [], "every acknowledged row is in the restore (\(acks.count) acknowledged)")
        print(
            "CLUSTER-RESULT backup failover \(leader.name) -> \(newLeader.name): \(acks.count) acknowledged, \(missing.count) missing after restore to latest"
        )
    }

    // MARK: Helpers

    private func insert(_ conninfo: String, from: Int, to: Int) throws {
        _ = try ClusterHarness.rows(
            conninfo, "INSERT INTO events (event_id, body) SELECT g, 'row ' || g FROM generate_series(\(from), \(to)) g")
    }

    private func logFolder(_ deployment: ClusterHarness.Deployment) -> String {
        deployment.runDirectory.path + "/logs/pgbackrest-main"
    }

    private func topoc(_ deployment: ClusterHarness.Deployment, _ arguments: [String]) -> PSQL.Result {
        Subprocess.run(
            [ClusterHarness.topoc] + arguments + ["--run-dir", deployment.runDirectory.path],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"], directory: deployment.folder,
            timeout: 600)
    }

    private struct Restored {
        var directory: String
        var port: Int
    }

    /// `topoc restore --to TARGET --into RUN/restore-FOLDER --port PORT`, timed.
    private func restore(_ deployment: ClusterHarness.Deployment, to target: String, port: Int, folder: String) throws -> Restored {
        let directory = deployment.runDirectory.path + "/restore-\(folder)"
        let started = Date()
        let result = topoc(deployment, ["restore", "--to", target, "--into", directory, "--port", String(port)])
        print(result.output)
        guard result.status == 0 else { throw HarnessError("topoc restore --to \(target) failed:\n\(result.output)\(result.error)") }
        print("CLUSTER-RESULT backup restore --to \(target): \(String(format: "%.1f", Date().timeIntervalSince(started)))s")
        return Restored(directory: directory, port: port)
    }

    private func stopRestored(_ restored: Restored) {
        _ = Subprocess.run(
            ProcessSpawner.asServerUser(["/usr/lib/postgresql/15/bin/pg_ctl", "-D", restored.directory, "-m", "immediate", "stop"]),
            environment: LocalTools.serverEnvironment(), timeout: 60)
    }
}
