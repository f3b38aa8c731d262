import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

/// `topoc check --live` on a real `topoc up` deployment (issue 14 item 3): two shards of one
/// member each, a captured sharded table with a permanent slot per shard, a pg_cron refresh.
/// The fresh deployment shows no drift (exit 0); then, as an operator might, the test drops an
/// index, `ALTER SYSTEM SET`s a planned reloadable parameter and a planned restart parameter,
/// removes a permanent slot from Patroni's /config (Patroni then drops the slot), stores a row on
/// the shard that does not own its key and grants the read-only role INSERT, and the check
/// reports exactly these, each with its code and location (exit 1). Ports from 32400 + the offset.
final class ClusterLiveCheckTests: XCTestCase {
    func testAFreshDeploymentHasNoDriftAndInjectedDriftIsReportedExactly() throws {
        try ClusterHarness.require()
        let yaml = Self.topology(name: "livecheck", basePort: 32400)
        let deployment = try ClusterHarness.up(yaml: yaml, name: "livecheck")
        defer { checkDown(deployment) }
        let plan = deployment.plan
        let file = deployment.folder.appendingPathComponent("topology.yaml").path

        let fresh = check(deployment, file: file)
        XCTAssertEqual(fresh.status, 0, fresh.output + fresh.error)
        XCTAssertFalse(fresh.error.contains("error:"), fresh.error)
        XCTAssertTrue(fresh.error.contains("catalog: "), fresh.error)
        // The monitoring role sees every planned setting (pg_read_all_settings) and pg_cron's jobs.
        XCTAssertFalse(fresh.error.contains("not visible to the checking role"), fresh.error)
        for part in ["catalog", "settings", "Patroni /config", "PgBouncer", "pg_cron and pg_partman", "shard placement"] {
            let line = fresh.error.split(separator: "\n").first { $0.hasPrefix("\(part): ") } ?? ""
            XCTAssertTrue(line.hasSuffix(", 0 drifted") && !line.hasPrefix("\(part): 0 compared"), "\(part): \(line)")
        }

        // The drift, as an operator might cause it.
        let first = plan.clusters[0]
        let second = plan.clusters[1]
        let firstDatabase = plan.databases.first { $0.cluster == first.name }?.name ?? ""
        let secondDatabase = plan.databases.first { $0.cluster == second.name }?.name ?? ""
        let onFirst = deployment.direct(port: first.members[0].port, database: firstDatabase)
        let onSecond = deployment.direct(port: second.members[0].port, database: secondDatabase)
        let foreign = try XCTUnwrap(
            ClusterHarness.value(
                onFirst, "SELECT k FROM generate_series(1, 100) k WHERE topoc_shard_for(k::bigint) <> topoc_this_shard() LIMIT 1"))
        let reader = plan.roles.readOnly
        for statement in [
            "DROP INDEX public.accounts_email", "INSERT INTO public.accounts (user_id, email) VALUES (\(foreign), 'elsewhere')",
            "GRANT INSERT ON public.accounts TO \(reader)", "ALTER SYSTEM SET max_slot_wal_keep_size = '1GB'", "SELECT pg_reload_conf()",
        ] {
            _ = try ClusterHarness.rows(onFirst, statement)
        }
        for statement in ["ALTER SYSTEM SET max_connections = 110", "SELECT pg_reload_conf()"] {
            _ = try ClusterHarness.rows(onSecond, statement)
        }
        // A job named like topoc's that the plan lacks (as a dropped view's refresh would be), and
        // the operator's own job, which is not drift.
        let cronOnFirst = deployment.direct(port: first.members[0].port, database: "postgres")
        for job in ["\(firstDatabase).refresh_gone", "nightly_report"] {
            _ = try ClusterHarness.rows(cronOnFirst, "SELECT cron.schedule('\(job)', '@daily', 'SELECT 1')")
        }
        let slot = try XCTUnwrap(plan.replication.slots.first { $0.cluster == second.name }).name
        let password = deployment.secrets.values[plan.secrets.restAPI] ?? ""
        let patched = Subprocess.run(
            [
                "/usr/bin/curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", "-u",
                "\(ClusterLayout.restAPIUser):\(password)", "-X", "PATCH", "http://127.0.0.1:\(second.members[0].restPort)/config",
                "-H", "Content-Type: application/json", "--data-binary", "{\"slots\": {\"\(slot)\": null}}",
            ], environment: ["PATH": "/usr/bin:/bin"], timeout: 25)
        XCTAssertEqual(patched.output, "200", patched.error)
        let dropped = ClusterHarness.poll(seconds: 30) {
            ClusterHarness.value(onSecond, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '\(slot)'") == "0" ? true : nil
        }
        XCTAssertNotNil(dropped, "Patroni drops a logical slot removed from its permanent slots")
        let pending = ClusterHarness.poll(seconds: 10) {
            ClusterHarness.value(onSecond, "SELECT pending_restart FROM pg_settings WHERE name = 'max_connections'") == "t" ? true : nil
        }
        XCTAssertNotNil(pending)

        let drifted = check(deployment, file: file, format: "json")
        XCTAssertEqual(drifted.status, 1, drifted.output + drifted.error)
        let object = try JSONSerialization.jsonObject(with: Data(drifted.output.utf8)) as? [String: Any]
        let diagnostics = object?["diagnostics"] as? [[String: Any]] ?? []
        let found = Set(
            diagnostics.map { diagnostic -> String in
                let message = diagnostic["message"] as? String ?? ""
                var subject = message
                for end in [" is missing", " differs", " waits for a restart", " holds rows of other shards", " is not in the plan"] {
                    subject = subject.components(separatedBy: end).first ?? subject
                }
                return "\(diagnostic["code"] as? String ?? "") \(subject)"
            })
        let firstMember = first.members[0].name
        let secondMember = second.members[0].name
        XCTAssertEqual(
            found,
            [
                "TLV103 index public.accounts_email in database \(firstDatabase) of cluster \(first.name)",
                "TLV111 grant public.accounts to \(reader) in database \(firstDatabase) of cluster \(first.name)",
                "TLV601 table public.accounts in database \(firstDatabase) of cluster \(first.name)",
                "TLV201 setting max_slot_wal_keep_size in member \(firstMember) of cluster \(first.name)",
                "TLV202 setting max_connections in member \(secondMember) of cluster \(second.name)",
                "TLV109 slot \(slot) in cluster \(second.name)",
                "TLV301 Patroni configuration slots.\(slot) in cluster \(second.name)",
                "TLV501 pg_cron job \(firstDatabase).refresh_gone in database postgres of cluster \(first.name)",
            ], drifted.output)
        // Each at the declaration of what drifted.
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        func line(_ needle: String) -> Int { (lines.firstIndex { $0.contains(needle) } ?? -2) + 1 }
        var located: [String: Int] = [:]
        for diagnostic in diagnostics {
            located[diagnostic["code"] as? String ?? ""] = (diagnostic["location"] as? [String: Any])?["line"] as? Int
        }
        XCTAssertEqual(located["TLV103"], line("name: accounts_email"))
        XCTAssertEqual(located["TLV109"], line("slot: livecheck_accounts_debezium"))
        XCTAssertEqual(located["TLV601"], line("  accounts:"))
        XCTAssertEqual(located["TLV201"], line("  shard:"))
        XCTAssertTrue(diagnostics.allSatisfy { ($0["location"] as? [String: Any])?["file"] as? String == file })
    }

    /// Runs `topoc check --live` on the deployment.
    private func check(_ deployment: ClusterHarness.Deployment, file: String, format: String = "text") -> PSQL.Result {
        deployment.checkLive(file, format: format)
    }

    /// Two shards of one member each; the sharded table is captured (a permanent slot per shard)
    /// and a materialized view is refreshed by pg_cron.
    static func topology(name: String, basePort: Int) -> String {
        """
        \(TestTopologies.dayTwoHeader(name))
        clusters:
          shard:
            members: 1
            failover: { watchdog: off }
            settings: { max_connections: 100 }
        sharding:
          key: user_id
          key_type: bigint
          strategy: hash-modulo
          shards: 2
          cluster: shard
        pooling:
          mode: transaction
          max_client_conn: 100
          read_write: { pool_size: 5, reserve: 0 }
        tables:
          accounts:
            columns:
              user_id: bigint
              email: { type: text, nullable: false }
            primary_key: user_id
            indexes:
              - { name: accounts_email, columns: [email] }
        views:
          account_totals:
            materialized: true
            query: SELECT count(*) AS accounts FROM accounts
            refresh: { schedule: "0 * * * *" }
        cdc:
          publication: \(name)_accounts
          slot: \(name)_accounts_debezium
          plugin: pgoutput
          sink: { topic_prefix: \(name), snapshot_mode: no_data }
          tables:
            accounts: { method: logical, replica_identity: full }
        deployment:
          local:
            base_port: \(basePort + ClusterHarness.portOffset)
        rules: { \(TestTopologies.noBackupsRule) }

        """
    }
}
