import Foundation
import Testing
import TopologyCompiler

/// PostgreSQL's limits as rules (TPG126): the validator's bound is PostgreSQL's own.
@Suite("PostgreSQL limits", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct LimitTests {
    /// A topology with one table of `columns` integer columns.
    static func wide(columns: Int) -> String {
        let list = (1...columns).map { "          c\($0): integer" }.joined(separator: "\n")
        return TestTopologies.base(name: "wide") + """
            tables:
              wide:
                columns:
            \(list)
                primary_key: c1

            """
    }

    @Test("1,600 columns validate and apply; 1,601 are refused by TPG126 and by PostgreSQL alike")
    func columnsPerTable() async throws {
        let refused = CompilerDriver.compile(bytes: Array(Self.wide(columns: 1601).utf8), file: "wide.yaml", target: .local)
        #expect(refused.plan == nil)
        #expect(refused.diagnostics.contains { $0.code.code == "TPG126" && $0.message.contains("has 1601 columns") })

        guard let port = PostgresServer.requirePort(), let plan = TestPlans.plan(yaml: Self.wide(columns: 1600)) else { return }
        try await Deployment.with(plan, port: port) { deployment in
            guard let database = deployment.plan.databases.first, try await deployment.deploy(database) else { return }
            let psql = deployment.psql
            let count = try await psql.check(
                "SELECT count(*) FROM pg_attribute WHERE attrelid = 'wide'::regclass AND attnum > 0 AND NOT attisdropped",
                database: database.name)
            #expect(count.lines == ["1600"])
            let columns = (1...1601).map { "c\($0) integer" }.joined(separator: ", ")
            let url = PSQL.scratchFile("sql")
            defer { try? FileManager.default.removeItem(at: url) }
            try "CREATE TABLE too_wide (\(columns));\n".write(to: url, atomically: true, encoding: .utf8)
            let output = try await psql.run(file: url, database: database.name, quietNotices: true)
            #expect(output.stderr.contains("tables can have at most 1600 columns"), "\(output.stderr)")
        }
    }

    /// The plans whose scripts are measured: every example and the extra topologies (schema-per-tenant
    /// with pg_partman, counters, audit).
    static func measuredPlans() throws -> [(String, Plan)] {
        var plans: [(String, Plan)] = []
        for name in TestPlans.exampleNames {
            if let plan = try TestPlans.plan(example: name) { plans.append((name, plan)) }
        }
        for (label, yaml) in ExtraTopologyTests.cases {
            if let plan = TestPlans.plan(yaml: yaml, file: "\(label).yaml") { plans.append((label, plan)) }
        }
        return plans
    }

    @Test("LockBudget is an upper bound of the lock-table entries each database's script holds before COMMIT")
    func lockBudgetBoundsTheScripts() async throws {
        guard let port = PostgresServer.requirePort() else { return }
        for (label, original) in try Self.measuredPlans() {
            try await Deployment.with(original, port: port) { deployment in
                let plan = deployment.plan
                let planned = plan.tables.flatMap(\.partitions).map { literal($0.name) }.joined(separator: ", ")
                // One database per shape (shards of one template hold the same DDL; multi-primary peers share a name).
                var measured: Set<String> = []
                for database in plan.databases where database.shard ?? 0 == 0 && measured.insert(database.name).inserted {
                    let script = deployment.script(database)
                    guard let commit = script.range(of: "\nCOMMIT;\n", options: .backwards) else { continue }
                    // pg_partman's create_parent catches up from the end of the planned series to the day the
                    // script runs; the budget counts its premake window (`LockBudget.partmanWindow`, besides the
                    // template table), not the catch-up, which depends on that day. The children beyond the window,
                    // per partitioned table (each tenant schema's copy apart), are the catch-up: their locks,
                    // and their indexes' and TOAST tables', are counted apart.
                    let windows = plan.tables.compactMap { table in
                        table.schema.partitioning?.partmanPremake.map {
                            "(\(literal(table.name)), \(LockBudget.partmanWindow(premake: $0)))"
                        }
                    }
                    // Entries of the shared lock table: distinct locked objects, fast-path locks included (a
                    // backend keeps up to 16 weak relation locks outside the table, but they move into it
                    // whenever another backend takes a strong lock on a relation of the same hash partition,
                    // so how many are outside depends on what else the server runs).
                    let measure = """

                        WITH window_size (parent, size) AS (VALUES \(windows.isEmpty ? "('', 0)" : windows.joined(separator: ", "))),
                        unplanned AS (
                            SELECT c.oid, c.reltoastrelid, w.size, row_number() OVER (PARTITION BY i.inhparent ORDER BY c.relname) AS position
                            FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_class c ON c.oid = i.inhrelid
                            JOIN window_size w ON w.parent = p.relname
                            WHERE p.relkind = 'p' AND c.relname <> ALL (ARRAY[\(planned.isEmpty ? "''" : planned)]::text[])),
                        children AS (SELECT oid, reltoastrelid FROM unplanned WHERE position > size),
                        catch_up AS (
                            SELECT oid AS relation FROM children
                            UNION SELECT reltoastrelid FROM children WHERE reltoastrelid <> 0
                            UNION SELECT x.indexrelid FROM pg_index x JOIN children c ON x.indrelid IN (c.oid, c.reltoastrelid)),
                        held AS (
                            SELECT DISTINCT locktype, database, relation, page, tuple, virtualxid, transactionid, classid, objid, objsubid
                            FROM pg_locks WHERE pid = pg_backend_pid())
                        SELECT 'locks=' || count(*) || '=' || count(*) FILTER (WHERE relation IN (SELECT relation FROM catch_up)) FROM held;
                        ROLLBACK;

                        """
                    try await deployment.createDatabase(database.name)
                    let url = PSQL.scratchFile("sql")
                    defer { try? FileManager.default.removeItem(at: url) }
                    try script.replacingCharacters(in: commit, with: measure).write(to: url, atomically: true, encoding: .utf8)
                    let output = try await deployment.psql.run(file: url, database: database.name, quietNotices: true)
                    let counts = output.stdout.split(separator: "\n").first { $0.hasPrefix("locks=") }?
                        .dropFirst("locks=".count).split(separator: "=").compactMap { Int($0) }
                    let held = counts?.first
                    let catchUp = counts?.last ?? 0
                    let budget = LockBudget.locks(of: database, in: plan)
                    #expect(held != nil, "\(label) \(database.name): \(output.stderr)")
                    if let held {
                        print("lock budget \(label) \(database.name): \(held) held (\(catchUp) by pg_partman's catch-up), budget \(budget)")
                        let counted = held - catchUp
                        #expect(counted <= budget, "\(label) \(database.name): \(counted) locks held, budget \(budget)")
                        #expect(
                            budget <= 2 * counted + LockBudget.baseLocks, "\(label) \(database.name): budget \(budget) far above \(counted)"
                        )
                    }
                }
            }
        }
    }
}
