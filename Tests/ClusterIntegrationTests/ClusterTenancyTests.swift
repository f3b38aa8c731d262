import Foundation
import TopologyCompiler
import XCTest

/// Shared-schema tenancy through PgBouncer's transaction pool, on a running cluster: the pool has
/// one server connection, so every tenant's transactions run on the same PostgreSQL backend, and
/// row-level security still shows each tenant only its own rows — as long as the tenant is set
/// per transaction (`set_config(..., true)`, as topoc's generated code does). A plain `SET` is
/// shown to leak to the next client, as do SQL PREPARE and temporary tables: the hazards
/// TPB501 and TPB502 warn about.
final class ClusterTenancyTests: XCTestCase {
    private let tenants = ["acme", "globex"]
    private let rowsPerTenant = 20

    func testTenantSessionsThroughTheTransactionPoolSeeOnlyTheirRows() throws {
        try ClusterHarness.require()
        let deployment = try ClusterHarness.up(yaml: TestTopologies.tenancy(name: "tenants", basePort: 31200), name: "tenancy")
        defer { checkDown(deployment) }
        let database = deployment.plan.databases[0].name
        let role = deployment.plan.roles.application
        XCTAssertEqual(deployment.plan.pooler.mode, .transaction)

        let leader = try XCTUnwrap(deployment.view()?.leader)
        let attributes = try ClusterHarness.rows(
            deployment.direct(port: leader.port, database: database),
            "SELECT rolsuper::text, rolbypassrls::text FROM pg_roles WHERE rolname = '\(role)'")
        XCTAssertEqual(attributes, [["false", "false"]], "the application role is subject to row-level security")

        // watchdog: automatic runs on a machine without /dev/watchdog: Patroni tries the device,
        // says it cannot, and leads anyway (mode required would refuse to lead).
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: deployment.runDirectory.appendingPathComponent("logs").path)) ?? []
        let watchdogLines = logs.filter { $0.hasPrefix("main-") }.flatMap { file -> [Substring] in
            let text = (try? String(contentsOf: deployment.runDirectory.appendingPathComponent("logs/\(file)"), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").filter { $0.lowercased().contains("watchdog") }
        }
        print("CLUSTER-RESULT watchdog automatic: \(watchdogLines.first ?? "no watchdog line in \(logs)")")
        XCTAssertFalse(watchdogLines.isEmpty, "Patroni read the emitted watchdog section")

        let library = try XCTUnwrap(LibPQ.shared)
        var clients: [String: LibPQ.Connection] = [:]
        for tenant in tenants { clients[tenant] = try library.connect(deployment.pgbouncer(database: database)) }

        // Interleave the tenants' transactions, each in several round trips, and record the backend.
        var backends: [String: Set<String>] = [:]
        for index in 1...rowsPerTenant {
            for tenant in tenants {
                let client = try XCTUnwrap(clients[tenant])
                _ = try client.query("BEGIN")
                _ = try client.query("SELECT set_config('app.tenant_id', '\(tenant)', true)")
                _ = try client.query(
                    "INSERT INTO notes (tenant_id, note_id, body) VALUES (current_setting('app.tenant_id'), \(index), 'note \(index) of \(tenant)')"
                )
                if let pid = try client.value("SELECT pg_backend_pid()::text") { backends[tenant, default: []].insert(pid) }
                _ = try client.query("COMMIT")
            }
        }
        let allBackends = backends.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        XCTAssertEqual(allBackends.count, 1, "pool_size 1: both tenants' transactions ran on one server connection (\(backends))")

        for tenant in tenants {
            let client = try XCTUnwrap(clients[tenant])
            _ = try client.query("BEGIN")
            _ = try client.query("SELECT set_config('app.tenant_id', '\(tenant)', true)")
            let seen = try client.query("SELECT tenant_id, count(*)::text FROM notes GROUP BY tenant_id")
            _ = try client.query("COMMIT")
            XCTAssertEqual(seen, [[tenant, String(rowsPerTenant)]], "\(tenant) sees exactly its own rows")

            // Row-level security also refuses a row written for another tenant.
            let other = tenants.first { $0 != tenant } ?? ""
            _ = try client.query("BEGIN")
            _ = try client.query("SELECT set_config('app.tenant_id', '\(tenant)', true)")
            XCTAssertThrowsError(try client.query("INSERT INTO notes VALUES ('\(other)', 999, 'forged')")) { error in
                XCTAssertTrue("\(error)".contains("row-level security"), "\(error)")
            }
            _ = try client.query("ROLLBACK")

            // Once the transaction ends the setting is gone, on the very same server connection.
            XCTAssertEqual(try client.value("SELECT count(*)::text FROM notes"), "0", "no tenant set: no rows")
        }
        let total = ClusterHarness.value(deployment.direct(port: leader.port, database: database), "SELECT count(*) FROM notes")
        XCTAssertEqual(total, String(rowsPerTenant * tenants.count), "the superuser sees every tenant's rows")

        // The read-only pool reaches a replica, where the same policies hold.
        let replicaView = ClusterHarness.poll(seconds: 20) { () -> [[String]]? in
            guard let replica = try? library.connect(deployment.pgbouncer(database: database + "_ro")) else { return nil }
            _ = try? replica.query("BEGIN")
            _ = try? replica.query("SELECT set_config('app.tenant_id', 'globex', true)")
            let rows = try? replica.query("SELECT pg_is_in_recovery()::text, tenant_id, count(*)::text FROM notes GROUP BY tenant_id")
            _ = try? replica.query("COMMIT")
            return rows == [["true", "globex", String(rowsPerTenant)]] ? rows : nil
        }
        XCTAssertNotNil(replicaView, "through the ro pool globex sees its \(rowsPerTenant) rows on a replica and nothing else")

        // The hazard the pooling rules name: a plain SET outlives its transaction on the shared
        // server connection and the next client, which set no tenant, reads as that tenant.
        let acme = try XCTUnwrap(clients["acme"])
        let globex = try XCTUnwrap(clients["globex"])
        _ = try acme.query("SET app.tenant_id = 'acme'")
        let leaked = try globex.value("SELECT count(*)::text FROM notes")
        _ = try acme.query("RESET app.tenant_id")
        XCTAssertEqual(leaked, String(rowsPerTenant), "a plain SET leaks to the next client of the server connection")
        XCTAssertEqual(try globex.value("SELECT count(*)::text FROM notes"), "0", "after RESET nothing is visible")

        _ = try acme.query("BEGIN")
        _ = try acme.query("SET LOCAL app.tenant_id = 'acme'")
        _ = try acme.query("COMMIT")
        XCTAssertEqual(try globex.value("SELECT count(*)::text FROM notes"), "0", "SET LOCAL does not leak")

        // The session features TPB502 refuses leak the same way: a SQL PREPARE and a temporary table.
        _ = try acme.query("PREPARE acme_only AS SELECT 'prepared by acme'")
        XCTAssertEqual(try globex.value("EXECUTE acme_only"), "prepared by acme", "a prepared statement leaks to the next client")
        _ = try acme.query("DEALLOCATE acme_only")
        // A temporary table would leak the same way, but the application role may not create one.
        XCTAssertThrowsError(try acme.query("CREATE TEMPORARY TABLE acme_scratch (secret text)")) { error in
            XCTAssertTrue("\(error)".contains("permission denied to create temporary tables"), "\(error)")
        }
        print(
            "CLUSTER-RESULT tenancy: 2 tenants x \(rowsPerTenant) transactions on 1 server connection, each saw only its rows; plain SET and PREPARE leaked to the other client, SET LOCAL did not; no TEMPORARY for the application role"
        )
        try ClusterRoleChecks.run(deployment, database: database)

        // No sink is declared: the publication exists, and no member holds a logical slot.
        let published = try ClusterHarness.rows(
            deployment.direct(port: leader.port, database: database), "SELECT pubname FROM pg_publication ORDER BY 1")
        XCTAssertEqual(published, [[deployment.plan.replication.publications.first?.name ?? "?"]])
        XCTAssertEqual(deployment.plan.replication.slots.count, 0)
        for member in deployment.plan.clusters[0].members {
            let slots = try ClusterHarness.rows(
                deployment.direct(port: member.port, database: "postgres"),
                "SELECT slot_type, count(*)::text FROM pg_replication_slots GROUP BY slot_type ORDER BY 1")
            XCTAssertFalse(slots.contains { $0.first == "logical" }, "no logical slot on \(member.name): \(slots)")
        }
        // A slot a consumer makes for itself is not Patroni's: it is never copied to the replica,
        // so a failover loses it (a permanent slot is copied within seconds: ClusterCDCFailoverTests).
        _ = try ClusterHarness.rows(
            deployment.direct(port: leader.port, database: database),
            "SELECT 1 FROM pg_create_logical_replication_slot('own_consumer_slot', 'pgoutput')")
        let replica = try XCTUnwrap(deployment.plan.clusters[0].members.first { $0.name != leader.name })
        let copied = ClusterHarness.poll(seconds: 10, interval: 0.5) {
            ClusterHarness.value(
                deployment.direct(port: replica.port, database: "postgres"),
                "SELECT count(*)::text FROM pg_replication_slots WHERE slot_name = 'own_consumer_slot'") == "1" ? true : nil
        }
        XCTAssertNil(copied, "Patroni does not copy a slot it does not manage to the replica")
        print(
            "CLUSTER-RESULT no sink: publication, no logical slot on any member; a consumer's own slot not on the replica after 10s (5 loop_waits)"
        )
    }
}
