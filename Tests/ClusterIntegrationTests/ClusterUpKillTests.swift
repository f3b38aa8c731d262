import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// `topoc up NEW` killed with SIGKILL halfway through a fan-out over shard clusters (issue 14:
/// "resumed after being killed halfway through a fan-out"): the first shard's migration is
/// committed, the last shard's is held back by a lock until the process is killed, then its
/// orphaned psql gives up at the lock timeout. The next `topoc up NEW` resumes from the plan the
/// deployment ran (`migrating-from.json`), skips the first shard's steps through the ledger,
/// migrates the last one, and `check --live` finds no drift. Ports from 30800 + the offset (below
/// 32768, where Linux starts handing out ephemeral client ports: 32800 was once taken by one).
final class ClusterUpKillTests: XCTestCase {
    func testUpKilledBetweenDatabasesResumesWhereItStopped() throws {
        try ClusterHarness.require()
        let deployment = try ClusterHarness.up(yaml: Self.topology(new: false), name: "upkill")
        defer { checkDown(deployment) }
        let databases = deployment.plan.databases
        XCTAssertEqual(databases.count, 3, "\(databases.map(\.name))")
        // topoc up waited for PgBouncer on the plan's port: the fixed one, outside the counted range.
        XCTAssertEqual(deployment.plan.pooler.port, Self.pgbouncerPort)
        XCTAssertTrue(deployment.upOutput.contains("pgbouncer listening on 127.0.0.1:\(Self.pgbouncerPort)"), deployment.upOutput)
        let first = try XCTUnwrap(databases.first)
        let last = try XCTUnwrap(databases.last)
        // Each shard is a cluster of its own: a connection string to the leader holding a database.
        func leader(_ database: PlanDatabase) throws -> String {
            let cluster = deployment.plan.clusters.first { $0.name == database.cluster }
            let port = try XCTUnwrap(deployment.view(cluster)?.leader?.port, "\(database.cluster) has a leader")
            return deployment.direct(port: port, database: database.name)
        }
        func hasPhone(_ database: PlanDatabase) throws -> String? {
            ClusterHarness.value(
                try leader(database),
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'phone'")
        }

        // The last shard's table is locked: its migration waits there while the first one commits.
        let library = try XCTUnwrap(LibPQ.shared)
        let locker = try library.connect(try leader(last))
        _ = try locker.query("BEGIN")
        _ = try locker.query("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")

        let newFile = deployment.folder.appendingPathComponent("new.yaml")
        try Self.topology(new: true).write(to: newFile, atomically: true, encoding: .utf8)
        let log = deployment.folder.appendingPathComponent("killed-up.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ClusterHarness.topoc)
        process.arguments = ["up", newFile.path, "--run-dir", deployment.runDirectory.path, "--timeout", "120"]
        process.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"]
        process.currentDirectoryURL = deployment.folder
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let applied = "SQL: applied \(MigrationScript.path(first))"
        let seen = ClusterHarness.poll(seconds: 120, interval: 0.05) { () -> Bool? in
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return text.contains(applied) ? true : nil
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try output.close()
        let killedLog = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        XCTAssertEqual(seen, true, killedLog)
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, killedLog)
        XCTAssertFalse(killedLog.contains("SQL: applied \(MigrationScript.path(last))"), killedLog)
        // The orphaned psql of the last shard gives up at the migration's lock timeout (2 s).
        Thread.sleep(forTimeInterval: 5)
        _ = try locker.query("ROLLBACK")
        locker.close()
        XCTAssertEqual(try hasPhone(first), "1", "the first shard's migration committed before the kill")
        XCTAssertEqual(try hasPhone(last), "0", "the last shard's did not")
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: deployment.runDirectory.appendingPathComponent("migrating-from.json").path),
            "the plan the deployment ran is kept")

        // Going back to the topology the deployment ran before is refused, without a "No changes"
        // before the refusal: the first shard already runs the new one.
        let back = deployment.upAgain(deployment.folder.appendingPathComponent("topology.yaml").path)
        XCTAssertNotEqual(back.status, 0, back.output + back.error)
        XCTAssertTrue((back.output + back.error).contains("stopped halfway through migrating"), back.output + back.error)
        XCTAssertFalse(back.output.contains("No changes"), back.output)

        let resumed = deployment.upAgain(newFile.path)
        print(resumed.output)
        XCTAssertEqual(resumed.status, 0, resumed.output + resumed.error)
        XCTAssertTrue(resumed.output.contains("SQL: applied \(MigrationScript.path(last))"), resumed.output)
        for database in databases {
            XCTAssertEqual(try hasPhone(database), "1", database.name)
            let ledger = try ClusterHarness.rows(
                try leader(database),
                "SELECT count(*)::text, count(DISTINCT step)::text FROM topoc_migrations.ledger")
            XCTAssertEqual(ledger.first?.first, ledger.first?.last, "\(database.name): every step recorded once: \(ledger)")
        }
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: deployment.runDirectory.appendingPathComponent("migrating-from.json").path))
        let check = deployment.checkLive(newFile.path)
        XCTAssertEqual(check.status, 0, check.output + check.error)
        print("CLUSTER-RESULT killed fan-out: SIGKILL after \(first.name), resumed at \(last.name), every step once, no drift")
    }

    /// PgBouncer's fixed port (`deployment.local.pgbouncer_port`), just below the counted range.
    static var pgbouncerPort: Int { 30799 + ClusterHarness.portOffset }

    /// Three shards, each a cluster of one member; NEW adds a column and an index to the sharded table.
    static func topology(new: Bool) -> String {
        """
        \(TestTopologies.dayTwoHeader("upkill"))
        clusters:
          shard:
            members: 1
            failover: { watchdog: off }
        sharding:
          key: user_id
          key_type: bigint
          strategy: hash-modulo
          shards: 3
          cluster: shard
        pooling:
          mode: transaction
          max_client_conn: 100
          read_write: { pool_size: 3, reserve: 0 }
        tables:
          accounts:
            columns:
              user_id: bigint
              email: { type: text, nullable: false }
        \(new ? "      phone: text" : "")
            primary_key: user_id
        \(new ? "    indexes:\n      - { columns: [email] }" : "")
        deployment:
          local:
            base_port: \(30800 + ClusterHarness.portOffset)
            pgbouncer_port: \(Self.pgbouncerPort)
        rules: { \(TestTopologies.noBackupsRule) }

        """
    }
}
