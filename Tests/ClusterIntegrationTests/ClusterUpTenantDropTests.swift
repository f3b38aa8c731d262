import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

/// `topoc up` on a running database-per-tenant deployment from which a tenant is removed (issue
/// 14): refused without `--allow-destructive`, nothing dropped; with it, PgBouncer no longer pools
/// the tenant's database, `drop.sql` drops the database (a client connected to it through
/// PgBouncer just before) and the tenant's role, the other tenant's rows stay reachable through
/// PgBouncer as its own role, and `topoc check --live` finds no drift. Ports from 32700 + the
/// offset.
final class ClusterUpTenantDropTests: XCTestCase {
    func testUpDropsARemovedTenantsDatabaseAndRole() throws {
        try ClusterHarness.require()
        let old = Self.topology(tenants: ["north", "south"])
        let deployment = try ClusterHarness.up(yaml: old, name: "updroptenant")
        defer { checkDown(deployment) }
        let tenants = try XCTUnwrap(deployment.plan.tenancy?.tenants)
        let north = try XCTUnwrap(tenants.first { $0.name == "north" })
        let south = try XCTUnwrap(tenants.first { $0.name == "south" })
        let (northDatabase, southDatabase) = (try XCTUnwrap(north.database), try XCTUnwrap(south.database))
        let southRole = try XCTUnwrap(south.role)
        let northClient = deployment.pgbouncer(database: northDatabase, user: north.role)
        let southClient = deployment.pgbouncer(database: southDatabase, user: south.role)
        for (client, tenant) in [(northClient, "north"), (southClient, "south")] {
            for index in 1...5 {
                _ = try ClusterHarness.rows(client, "INSERT INTO visits (visit_id, note) VALUES (\(index), '\(tenant) \(index)')")
            }
        }
        let leader = try XCTUnwrap(deployment.view()?.leader)
        let admin = deployment.direct(port: leader.port, database: "postgres")
        func count(_ sql: String) -> String? { ClusterHarness.value(admin, sql) }

        let newFile = deployment.folder.appendingPathComponent("without-south.yaml")
        try Self.topology(tenants: ["north"]).write(to: newFile, atomically: true, encoding: .utf8)
        let refused = deployment.upAgain(newFile.path)
        XCTAssertEqual(refused.status, 3, refused.output + refused.error)
        XCTAssertTrue(refused.error.contains("tenant south"), refused.error)
        XCTAssertEqual(ClusterHarness.value(southClient, "SELECT count(*) FROM visits"), "5", "refused: nothing dropped")

        let dropped = deployment.upAgain(newFile.path, allowDestructive: true)
        print(dropped.output)
        XCTAssertEqual(dropped.status, 0, dropped.output + dropped.error)
        XCTAssertTrue(dropped.output.contains("applied \(MigrationArtifacts.dropPath("main"))"), dropped.output)
        XCTAssertEqual(count("SELECT count(*) FROM pg_database WHERE datname = '\(southDatabase)'"), "0", "the tenant's database")
        XCTAssertEqual(count("SELECT count(*) FROM pg_roles WHERE rolname = '\(southRole)'"), "0", "the tenant's role")
        XCTAssertEqual(ClusterHarness.value(northClient, "SELECT count(*) FROM visits"), "5", "the other tenant's rows, through PgBouncer")
        XCTAssertNil(ClusterHarness.value(southClient, "SELECT 1"), "PgBouncer no longer serves the dropped database")
        let check = deployment.checkLive(newFile.path)
        XCTAssertEqual(check.status, 0, check.output + check.error)
        let again = deployment.upAgain(newFile.path, allowDestructive: true)
        XCTAssertEqual(again.status, 0, again.output + again.error)
        XCTAssertTrue(again.output.contains("no changes"), again.output)
        print("CLUSTER-RESULT tenant drop: database \(southDatabase) and role \(southRole) dropped by topoc up; north's 5 rows kept")
    }

    /// One single-member cluster, one database per tenant.
    static func topology(tenants: [String]) -> String {
        """
        \(TestTopologies.dayTwoHeader("updroptenant"))
        clusters:
          main:
            members: 1
            failover: { watchdog: off }
        pooling:
          mode: transaction
          max_client_conn: 100
          read_write: { pool_size: 3, reserve: 0 }
        tenancy:
          mode: database-per-tenant
          prefix: t_
          app_role: drop_app
          tenants: [\(tenants.joined(separator: ", "))]
        tables:
          visits:
            columns:
              visit_id: bigint
              note: text
            primary_key: visit_id
        deployment:
          local:
            base_port: \(32700 + ClusterHarness.portOffset)
        rules: { \(TestTopologies.noBackupsRule) }

        """
    }
}
