import Foundation
import Testing
import TopologyCompiler

/// Topologies beyond the examples, for the code paths they do not reach: foreign-key cycles,
/// pg_partman at every interval, schema-per-tenant with pg_partman, counters, snapshots,
/// audit, publication and a materialized view in every tenant's schema, and a vertical group
/// stored in its table's own database.
@Suite("more topologies on PostgreSQL", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct ExtraTopologyTests {
    static let schemaPerTenant =
        TestTopologies.base(name: "ledger") + """
            tenancy:
              mode: schema-per-tenant
              prefix: t_
              app_role: tenant_app
              tenants: [acme, globex]
              shared_tables: [currencies]
            tables:
              currencies:
                columns:
                  code: char(3)
                  name: { type: text, nullable: false }
                primary_key: code
              accounts:
                columns:
                  account_id: bigserial
                  currency: { type: char(3), nullable: false }
                  name: { type: text, nullable: false }
                primary_key: account_id
                foreign_keys:
                  - { columns: currency, references: { table: currencies } }
                counters:
                  entry_count: { counts: entries, via: account_id }
              entries:
                columns:
                  entry_id: bigint
                  account_id: bigint
                  booked_at: { type: timestamptz, nullable: false }
                  amount: { type: "numeric(12,2)", nullable: false }
                primary_key: [entry_id, booked_at]
                foreign_keys:
                  - { columns: account_id, references: { table: accounts } }
                snapshots:
                  account_name: { from: accounts.name, via: account_id }
                partitioning:
                  by: range
                  key: booked_at
                  interval: monthly
                  from: 2026-09-01
                  to: 2027-01-01
                  default: true
                  partman: { premake: 2 }
            views:
              balances:
                materialized: true
                query: SELECT account_id, sum(amount) AS balance FROM entries GROUP BY account_id
                unique_key: [account_id]
                refresh: { schedule: "*/15 * * * *", concurrently: true }
            cdc:
              publication: ledger
              slot: ledger
              plugin: pgoutput
              audit_table: ledger_audit
              tables:
                entries: { method: logical, replica_identity: full }
                accounts: trigger

            """

    static let partmanIntervals =
        TestTopologies.base(name: "intervals") + """
            tables:
              by_day:
                columns: { id: bigint, at: { type: timestamptz, nullable: false } }
                primary_key: [id, at]
                partitioning: { by: range, key: at, interval: daily, from: 2026-11-20, to: 2026-12-05, default: true, partman: { premake: 3 } }
              by_week:
                columns: { id: bigint, at: { type: timestamptz, nullable: false } }
                primary_key: [id, at]
                partitioning: { by: range, key: at, interval: weekly, from: 2026-10-05, to: 2026-12-28, default: true, partman: { premake: 2 } }
              by_month:
                columns: { id: bigint, on_day: { type: date, nullable: false } }
                primary_key: [id, on_day]
                partitioning: { by: range, key: on_day, interval: monthly, from: 2026-06-01, to: 2026-10-01, default: true, partman: { premake: 2 } }
              by_quarter:
                columns: { id: bigint, on_day: { type: date, nullable: false } }
                primary_key: [id, on_day]
                partitioning: { by: range, key: on_day, interval: quarterly, from: 2026-01-01, to: 2027-01-01, default: true, partman: { premake: 2 } }
              by_year:
                columns: { id: bigint, at: { type: timestamptz, nullable: false } }
                primary_key: [id, at]
                partitioning: { by: range, key: at, interval: yearly, from: 2024-01-01, to: 2026-01-01, default: true, partman: { premake: 1 } }

            """

    static let vertical =
        TestTopologies.base(name: "people") + """
            tables:
              people:
                columns:
                  person_id: bigserial
                  name: { type: text, nullable: false }
                  secret: text
                  bio: text
                  avatar: bytea
                primary_key: person_id
                vertical:
                  private: { columns: [secret], database: people }
                  profile: { columns: [bio, avatar], database: people_profiles }

            """

    static let cases: [(String, String)] = [
        ("foreign-key cycle", PostgresBackendCycle.yaml),
        ("pg_partman at every interval", partmanIntervals),
        ("schema per tenant with pg_partman, counters, audit, publication and a materialized view", schemaPerTenant),
        ("vertical groups, one in the table's own database", vertical),
    ]

    @Test("applies cleanly, twice, pg_partman maintenance runs, and the catalog matches the plan", arguments: 0..<4)
    func applies(_ index: Int) async throws {
        let (label, yaml) = Self.cases[index]
        guard let port = PostgresServer.requirePort(), let plan = TestPlans.plan(yaml: yaml, file: "\(label).yaml") else { return }
        try await Deployment.with(plan, port: port) { deployment in
            #expect(!deployment.plan.databases.isEmpty)
            for database in deployment.plan.databases {
                guard try await deployment.deploy(database) else { continue }
                let again = try await deployment.apply(database, to: database.name)
                #expect(again.status == 0 && again.stderr.isEmpty, "\(label), second apply: \(again.stderr)")
                let managed = try await deployment.psql.check(
                    "SELECT count(*) FROM pg_extension WHERE extname = 'pg_partman'", database: database.name)
                if managed.lines == ["1"] {
                    // More premade partitions than the script made: pg_partman creates new children now.
                    let grown = try await deployment.psql.check(
                        """
                        SELECT count(*) FROM pg_inherits;
                        UPDATE partman.part_config SET premake = premake + 3;
                        SELECT partman.run_maintenance(p_analyze := false);
                        UPDATE partman.part_config SET premake = premake - 3;
                        SELECT count(*) FROM pg_inherits;
                        """, database: database.name)
                    #expect(
                        grown.lines.count == 2 && grown.lines.first != grown.lines.last, "pg_partman made new partitions: \(grown.lines)")
                }
                try await CatalogCheck(deployment: deployment, database: database, actual: database.name).run()
            }
        }
    }
}

/// The foreign-key cycle topology of the unit tests.
enum PostgresBackendCycle {
    static let yaml =
        TestTopologies.base(name: "cycle") + """
            tables:
              employees:
                columns: { employee_id: bigint, department_id: bigint }
                primary_key: [employee_id]
                foreign_keys:
                  - { columns: [department_id], references: { table: departments } }
              departments:
                columns: { department_id: bigint, head_id: bigint }
                primary_key: [department_id]
                foreign_keys:
                  - { columns: [head_id], references: { table: employees } }

            """
}
