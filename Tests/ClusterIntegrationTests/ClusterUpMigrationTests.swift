import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

/// `topoc up NEW` on a running deployment brought up from OLD (issue 14 item 4): it prints the
/// change set and applies the migration in place. The application's rows written through
/// PgBouncer survive; the new index is built and valid, the new column and table are used by the
/// application role through PgBouncer; the pool size a reloadable and a restart parameter
/// (Patroni's dynamic configuration) run on every member; `topoc check --live NEW` reports no
/// drift, and `topoc up NEW` again changes nothing. A change that drops data is refused without
/// `--allow-destructive`, and one that needs a new member is refused, both with exit 3 and
/// nothing changed. A migration stopped halfway (a table locked past the lock timeout) is resumed
/// by the next `topoc up`, and a file of the deployment edited by hand is written back and reloaded
/// by `topoc up` with the same topology. Ports from 32600 + the offset.
final class ClusterUpMigrationTests: XCTestCase {
    func testUpAppliesAChangedTopologyToTheRunningDeployment() throws {
        try ClusterHarness.require()
        let old = Self.topology(basePort: 32600, new: false)
        let deployment = try ClusterHarness.up(yaml: old, name: "upmigrate")
        defer { checkDown(deployment) }
        let plan = deployment.plan
        let database = try XCTUnwrap(plan.databases.first).name
        let app = deployment.pgbouncer(database: database)
        for index in 1...50 {
            _ = try ClusterHarness.rows(app, "INSERT INTO notes (author, body) VALUES ('ann', 'note \(index)')")
        }

        // Refused, nothing changed: a dropped column without --allow-destructive, a new member.
        let dropping = try write(
            Self.topology(basePort: 32600, new: false).replacingOccurrences(of: "      body: text\n", with: ""), "drop.yaml", deployment)
        let refusedDrop = up(dropping, deployment)
        XCTAssertEqual(refusedDrop.status, 3, refusedDrop.output + refusedDrop.error)
        XCTAssertTrue(refusedDrop.error.contains("--allow-destructive"), refusedDrop.error)
        let growing = try write(old.replacingOccurrences(of: "members: 2", with: "members: 3"), "grow.yaml", deployment)
        let refusedGrow = up(growing, deployment)
        XCTAssertEqual(refusedGrow.status, 3, refusedGrow.output + refusedGrow.error)
        XCTAssertTrue(refusedGrow.error.contains("topoc down"), refusedGrow.error)
        XCTAssertEqual(ClusterHarness.value(app, "SELECT count(body) FROM notes"), "50")

        let newFile = try write(Self.topology(basePort: 32600, new: true), "new.yaml", deployment)

        // Stopped halfway: a session holds notes locked, so the migration's steps on notes give up
        // at the lock timeout and topoc up stops with the generated artifacts already new. Run
        // again, it resumes from the plan the deployment ran before (not "No changes."), and the
        // ledger skips what succeeded.
        let library = try XCTUnwrap(LibPQ.shared)
        let first = try XCTUnwrap(deployment.view()?.leader)
        let locker = try library.connect(deployment.direct(port: first.port, database: database))
        _ = try locker.query("BEGIN")
        _ = try locker.query("LOCK TABLE notes IN ACCESS EXCLUSIVE MODE")
        let stopped = up(newFile, deployment)
        locker.close()
        XCTAssertNotEqual(stopped.status, 0, stopped.output + stopped.error)
        XCTAssertTrue(stopped.error.contains("run topoc up again to resume"), stopped.output + stopped.error)
        let record = deployment.runDirectory.appendingPathComponent("migrating-from.json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: record.path), "the plan migrated from is kept")
        XCTAssertEqual(
            ClusterHarness.value(
                app, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'pinned'"),
            "0", "the step on notes did not run")
        // Going back to OLD now would leave the migrated part behind: refused.
        let oldAgain = try write(old, "old-again.yaml", deployment)
        let back = up(oldAgain, deployment)
        XCTAssertNotEqual(back.status, 0, back.output + back.error)
        XCTAssertTrue(back.error.contains("Finish that migration first"), back.output + back.error)
        XCTAssertFalse(back.output.contains("No changes"), back.output)

        let started = Date()
        let migrated = up(newFile, deployment)
        XCTAssertTrue(migrated.output.contains("resuming from the plan it ran before"), migrated.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: record.path), "the record goes once the migration is done")
        print(migrated.output)
        XCTAssertEqual(migrated.status, 0, migrated.output + migrated.error)
        print("CLUSTER-RESULT up-migrate \(plan.topology): \(String(format: "%.1f", Date().timeIntervalSince(started)))s")
        for line in [
            "+   column notes.pinned", "+   index notes.notes_author_idx", "+   table tags", "~   setting max_slot_wal_keep_size",
            "~   setting max_connections", "~   pgbouncer pgbouncer.ini", "+   materialized view author_counts",
            "SQL: applied sql/main/cron.sql to main/postgres",
        ] {
            XCTAssertTrue(migrated.output.contains(line), "\(line) in\n\(migrated.output)")
        }

        // The rows are there, and the application uses what is new, through PgBouncer.
        XCTAssertEqual(ClusterHarness.value(app, "SELECT count(*) FROM notes WHERE body LIKE 'note %'"), "50")
        _ = try ClusterHarness.rows(app, "INSERT INTO notes (author, body, pinned) VALUES ('bob', 'pinned', true)")
        XCTAssertEqual(ClusterHarness.value(app, "SELECT count(*) FROM notes WHERE pinned"), "1")
        _ = try ClusterHarness.rows(app, "INSERT INTO tags (tag_id, label) VALUES (1, 'red')")
        XCTAssertEqual(ClusterHarness.value(app, "SELECT label FROM tags"), "red")
        let leader = try XCTUnwrap(deployment.view()?.leader)
        XCTAssertEqual(
            ClusterHarness.value(
                deployment.direct(port: leader.port, database: database),
                "SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.notes_author_idx'::regclass"), "t")
        for member in plan.clusters[0].members {
            let direct = deployment.direct(port: member.port, database: database)
            XCTAssertEqual(ClusterHarness.value(direct, "SHOW max_slot_wal_keep_size"), "8GB", member.name)
            XCTAssertEqual(ClusterHarness.value(direct, "SHOW max_connections"), "120", member.name)
            XCTAssertEqual(ClusterHarness.value(direct, "SELECT count(*) FROM pg_settings WHERE pending_restart"), "0", member.name)
        }
        // The first scheduled refresh: pg_cron loaded by the restart, the job scheduled by the
        // migration's cron.sql after it, runnable as the application role.
        let cronJobs = ClusterHarness.value(
            deployment.direct(port: leader.port, database: "postgres"),
            "SELECT string_agg(jobname || ' ' || schedule || ' ' || username, ',') FROM cron.job")
        XCTAssertEqual(cronJobs, "\(database).refresh_author_counts @hourly \(plan.roles.application)")
        XCTAssertEqual(ClusterHarness.value(app, "SELECT public.topoc_refresh_author_counts()"), "")
        XCTAssertEqual(ClusterHarness.value(app, "SELECT notes FROM author_counts WHERE author = 'ann'"), "50")
        let admin = deployment.secrets.values[plan.secrets.poolerAdmin] ?? ""
        let console =
            "host=127.0.0.1 port=\(plan.pooler.port) dbname=pgbouncer user=\(plan.roles.poolerAdmin) password=\(admin) connect_timeout=2 sslmode=disable"
        let pools = try ClusterHarness.rows(console, "SHOW DATABASES")
        XCTAssertEqual(pools.first { $0.first == database }?[5], "8", "\(pools)")

        // No drift against NEW; running it again changes nothing.
        let check = checkLive(newFile, deployment)
        XCTAssertEqual(check.status, 0, check.output + check.error)
        let again = up(newFile, deployment)
        XCTAssertEqual(again.status, 0, again.output + again.error)
        XCTAssertTrue(again.output.contains("No changes."), again.output)
        XCTAssertFalse(again.output.contains("SQL: applied"), again.output)
        XCTAssertFalse(again.output.contains("written back"), again.output)
        XCTAssertEqual(ClusterHarness.value(app, "SELECT count(*) FROM notes"), "51")

        // A pool edited by hand and reloaded is drift (TLV402), and only that.
        let ini = deployment.runDirectory.appendingPathComponent("generated/\(ClusterLayout.pgbouncerPath)")
        let text = try String(contentsOf: ini, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "pool_size=8 ", with: "pool_size=3 ")
        XCTAssertNotEqual(edited, text)
        try edited.write(to: ini, atomically: false, encoding: .utf8)
        _ = try ClusterHarness.rows(console, "RELOAD")
        let drifted = checkLive(newFile, deployment)
        XCTAssertEqual(drifted.status, 1, drifted.output + drifted.error)
        let errors = drifted.error.split(separator: "\n").filter { $0.contains("error:") }
        XCTAssertEqual(errors.count, 2, drifted.error)  // the read-write and the read-only pool
        XCTAssertTrue(errors.allSatisfy { $0.hasSuffix("[TLV402]") && $0.contains("pool_size=3") }, drifted.error)

        // topoc up with the same topology writes the edited file back and reloads PgBouncer.
        let repaired = up(newFile, deployment)
        print(repaired.output)
        XCTAssertEqual(repaired.status, 0, repaired.output + repaired.error)
        XCTAssertTrue(
            repaired.output.contains("written back (edited by hand): \(ClusterLayout.pgbouncerPath)\n"), repaired.output)
        XCTAssertEqual(try String(contentsOf: ini, encoding: .utf8), text)
        let restored = try ClusterHarness.rows(console, "SHOW DATABASES")
        XCTAssertEqual(restored.first { $0.first == database }?[5], "8", "\(restored)")
        let repairedCheck = checkLive(newFile, deployment)
        XCTAssertEqual(repairedCheck.status, 0, repairedCheck.output + repairedCheck.error)

        // A destructive change is refused without --allow-destructive and applied with it: the
        // table tags is dropped, the notes stay.
        let tags = "  tags:\n    columns:\n      tag_id: bigint\n      label: text\n    primary_key: tag_id"
        let withoutTags = try write(
            Self.topology(basePort: 32600, new: true).replacingOccurrences(of: tags, with: ""), "drop-tags.yaml", deployment)
        let refusedTags = up(withoutTags, deployment)
        XCTAssertEqual(refusedTags.status, 3, refusedTags.output + refusedTags.error)
        XCTAssertEqual(ClusterHarness.value(app, "SELECT label FROM tags"), "red", "refused: nothing dropped")
        let dropped = up(withoutTags, deployment, allowDestructive: true)
        print(dropped.output)
        XCTAssertEqual(dropped.status, 0, dropped.output + dropped.error)
        XCTAssertTrue(dropped.output.contains("table tags"), dropped.output)
        XCTAssertEqual(ClusterHarness.value(app, "SELECT to_regclass('public.tags') IS NULL"), "t", "tags is dropped")
        XCTAssertEqual(ClusterHarness.value(app, "SELECT count(*) FROM notes"), "51", "the other table's rows are kept")
        let clean = checkLive(withoutTags, deployment)
        XCTAssertEqual(clean.status, 0, clean.output + clean.error)
    }

    private func write(_ yaml: String, _ name: String, _ deployment: ClusterHarness.Deployment) throws -> String {
        let file = deployment.folder.appendingPathComponent(name)
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// `topoc check --live FILE` against the deployment.
    private func checkLive(_ file: String, _ deployment: ClusterHarness.Deployment) -> PSQL.Result {
        deployment.checkLive(file)
    }

    private func up(_ file: String, _ deployment: ClusterHarness.Deployment, allowDestructive: Bool = false) -> PSQL.Result {
        deployment.upAgain(file, allowDestructive: allowDestructive)
    }

    /// One cluster of two members. NEW adds a column, an index and a table, raises the read-write
    /// pool, `max_slot_wal_keep_size` (reloaded) and `max_connections` (restart).
    static func topology(basePort: Int, new: Bool) -> String {
        """
        \(TestTopologies.dayTwoHeader("upmigrate"))
        clusters:
          main:
            members: 2
            failover: { watchdog: off }
            replication: { mode: asynchronous, max_lag_on_failover: 1MB }
            settings: { max_connections: \(new ? 120 : 100), max_slot_wal_keep_size: \(new ? "8GB" : "4GB") }
        pooling:
          mode: transaction
          max_client_conn: 100
          read_write: { pool_size: \(new ? 8 : 5), reserve: 0 }
        tables:
          notes:
            columns:
              note_id: bigserial
              author: { type: text, nullable: false }
              body: text
        \(new ? "      pinned: { type: boolean, nullable: false, default: false }" : "")
            primary_key: note_id
        \(new ? "    indexes:\n      - { columns: [author] }" : "")
        \(new ? "  tags:\n    columns:\n      tag_id: bigint\n      label: text\n    primary_key: tag_id" : "")
        \(new ? "views:\n  author_counts:\n    materialized: true\n    query: SELECT author, count(*) AS notes FROM notes GROUP BY author\n    unique_key: [author]\n    refresh: { schedule: \"@hourly\" }" : "")
        deployment:
          local:
            base_port: \(basePort + ClusterHarness.portOffset)
        rules: { \(TestTopologies.noBackupsRule) }

        """
    }
}
