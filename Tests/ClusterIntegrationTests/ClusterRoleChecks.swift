import Foundation
import TopologyCompiler
import XCTest

/// The role model through PgBouncer on a running deployment: who PgBouncer lets in, and what each
/// login role can do once in (issue 11's attack suite, the pooler part; the PostgreSQL part is
/// Tests/PostgresIntegrationTests/AttackTests).
enum ClusterRoleChecks {
    /// The result of one attempt that must be refused.
    private struct Attempt {
        var what: String
        var refusal: String?
    }

    /// A libpq connection string to PgBouncer as `user` with `password`.
    private static func conninfo(_ deployment: ClusterHarness.Deployment, database: String, user: String, password: String) -> String {
        "host=127.0.0.1 port=\(deployment.plan.pooler.port) dbname=\(database) user=\(user) password=\(password) connect_timeout=2 sslmode=disable"
    }

    /// Runs `sql` and returns the server's or PgBouncer's refusal, or nil when it succeeded.
    private static func refusal(_ conninfo: String, _ sql: String) -> String? {
        do {
            _ = try ClusterHarness.rows(conninfo, sql)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Runs every check; fails the test when an attack succeeds or the application cannot work.
    static func run(_ deployment: ClusterHarness.Deployment, database: String) throws {
        let plan = deployment.plan
        let roles = plan.roles
        let secrets = deployment.secrets.values
        func password(_ variable: String) -> String { secrets[variable] ?? "" }
        let app = conninfo(deployment, database: database, user: roles.application, password: password(plan.secrets.app))
        let readOnly = conninfo(deployment, database: database, user: roles.readOnly, password: password(plan.secrets.readOnly))
        var attempts: [Attempt] = []
        func attack(_ what: String, _ conninfo: String, _ sql: String, expect: String) {
            let refused = refusal(conninfo, sql)
            attempts.append(Attempt(what: what, refusal: refused))
            XCTAssertNotNil(refused, "attack succeeded: \(what)")
            if let refused { XCTAssertTrue(refused.contains(expect), "\(what): expected '\(expect)', got \(refused)") }
        }

        // Who PgBouncer lets in.
        attack(
            "the superuser logs in through PgBouncer",
            conninfo(deployment, database: database, user: roles.superuser, password: password(plan.secrets.superuser)), "SELECT 1",
            expect: "FATAL")
        attack(
            "PgBouncer's auth_user logs in as a client (it could read SCRAM secrets)",
            conninfo(deployment, database: database, user: roles.poolerAuth, password: password(plan.secrets.poolerAuth)),
            "SELECT * FROM topoc_pgbouncer.lookup('\(roles.application)')", expect: "login rejected")
        attack(
            "the admin console user reaches a database",
            conninfo(deployment, database: database, user: roles.poolerAdmin, password: password(plan.secrets.poolerAdmin)),
            "SELECT 1", expect: "login rejected")
        attack(
            "the application role logs in with a wrong password",
            conninfo(deployment, database: database, user: roles.application, password: "wrong"), "SELECT 1", expect: "FATAL")

        // What the application role cannot do once in.
        attack(
            "the application role reads password hashes", app, "SELECT * FROM topoc_pgbouncer.lookup('\(roles.superuser)')",
            expect: "permission denied")
        attack("the application role becomes the owner", app, "SET ROLE \(roles.owner)", expect: "permission denied")
        attack(
            "the application role becomes the superuser", app, "SET SESSION AUTHORIZATION \(roles.superuser)", expect: "permission denied")
        attack("the application role creates a table in public", app, "CREATE TABLE public.intruder (x int)", expect: "permission denied")
        attack(
            "the application role bypasses row-level security", app, "ALTER ROLE \(roles.application) BYPASSRLS",
            expect: "must be superuser")
        attack(
            "the read-only role writes", readOnly, "INSERT INTO notes (tenant_id, note_id) VALUES ('acme', -1)", expect: "permission denied"
        )
        attack("the read-only role creates a temporary table", readOnly, "CREATE TEMP TABLE t (x int)", expect: "permission denied")

        // What must work: the admin console, the read-only role's reads (no tenant set: no rows).
        let admin = conninfo(deployment, database: "pgbouncer", user: roles.poolerAdmin, password: password(plan.secrets.poolerAdmin))
        let pools = try ClusterHarness.rows(admin, "SHOW POOLS")
        XCTAssertFalse(pools.isEmpty, "the admin console answers SHOW POOLS")
        XCTAssertEqual(try ClusterHarness.rows(readOnly, "SELECT count(*)::text FROM notes"), [["0"]], "read-only reads, RLS applies")
        XCTAssertEqual(
            try ClusterHarness.rows(app, "SELECT current_user::text"), [[roles.application]], "the application logs in as itself")

        // pgbouncer.ini says the admin console user exists only in PgBouncer.
        if let leader = deployment.view()?.leader {
            XCTAssertEqual(
                try ClusterHarness.rows(
                    deployment.direct(port: leader.port, database: "postgres"),
                    "SELECT count(*)::text FROM pg_roles WHERE rolname = '\(roles.poolerAdmin)'"), [["0"]],
                "the admin console user is not a PostgreSQL role")
        } else {
            XCTFail("no leader to check the roles on")
        }

        let refused = attempts.filter { $0.refusal != nil }.count
        print(
            "CLUSTER-RESULT roles through PgBouncer: \(refused) attacks refused, \(attempts.count - refused) succeeded; 3 positive checks (admin console, read-only reads, application login)"
        )
    }
}
