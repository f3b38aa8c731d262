import Foundation
import Testing
import TopologyCompiler

/// Counter columns stay exact and snapshots are copied, under a mixed batch and under eight
/// concurrent sessions that move rows of every kind without deadlocking.
@Suite("counters and snapshots on PostgreSQL", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct CounterTests {
    static let yaml =
        TestTopologies.base(name: "counting") + """
            tables:
              parents:
                columns:
                  parent_id: bigint
                  name: { type: text, nullable: false }
                primary_key: [parent_id]
                counters:
                  child_count: { counts: children, via: parent_id }
              children:
                columns:
                  child_id: bigint
                  created_at: { type: timestamptz, nullable: false }
                  parent_id: bigint
                  note: text
                primary_key: [child_id, created_at]
                foreign_keys:
                  - { columns: [parent_id], references: { table: parents } }
                snapshots:
                  parent_name: { from: parents.name, via: parent_id }
                partitioning:
                  by: range
                  key: created_at
                  ranges:
                    - { name: y2025, from: "2025-01-01", to: "2026-01-01" }
                    - { name: y2026, from: "2026-01-01", to: "2027-01-01" }
                  default: true

            """

    static let parents = 12

    /// Rows where the counter differs from a recount.
    static let wrongCounts = """
        SELECT count(*) FROM parents p
        WHERE p.child_count <> (SELECT count(*) FROM children c WHERE c.parent_id = p.parent_id)
        """

    /// A random statement of one session over the children it owns.
    static func statements(session: Int, count: Int) -> [String] {
        var random = TestKeys(seed: UInt64(1000 + session))
        var owned: [Int] = []
        var next = session * 1_000_000
        var result: [String] = []
        func parent() -> String {
            random.next() % 8 == 0 ? "NULL" : String(Int(random.next() % UInt64(parents)) + 1)
        }
        func date() -> String {
            ["'2025-06-01'", "'2026-03-01'", "'2030-01-01'"][Int(random.next() % 3)]
        }
        for _ in 0..<count {
            let choice = owned.isEmpty ? 0 : random.next() % 10
            switch choice {
            case 0...3:
                next += 1
                owned.append(next)
                result.append("INSERT INTO children (child_id, created_at, parent_id) VALUES (\(next), \(date()), \(parent()))")
            case 4...6:
                let id = owned[Int(random.next() % UInt64(owned.count))]
                result.append("UPDATE children SET parent_id = \(parent()) WHERE child_id = \(id)")
            case 7:
                let id = owned[Int(random.next() % UInt64(owned.count))]
                result.append("UPDATE children SET created_at = \(date()), parent_id = \(parent()) WHERE child_id = \(id)")
            case 8:
                let id = owned[Int(random.next() % UInt64(owned.count))]
                if random.next() % 2 == 0 {
                    result.append("UPDATE children SET note = 'touched' WHERE child_id = \(id)")
                } else {
                    result.append("UPDATE children SET created_at = \(date()) WHERE child_id = \(id)")
                }
            default:
                let index = Int(random.next() % UInt64(owned.count))
                result.append("DELETE FROM children WHERE child_id = \(owned.remove(at: index))")
            }
        }
        return result
    }

    /// A session's rows moved around by single-row UPDATEs of every kind (within a partition and
    /// across partitions, to another parent or the same one) among the first three parents, so
    /// sessions contend on the same parent rows.
    static func moves(session: Int, count: Int) -> [String] {
        var random = TestKeys(seed: UInt64(2000 + session))
        let ids = (1...10).map { session * 1_000_000 + $0 }
        let dates = ["'2025-06-01'", "'2025-07-01'", "'2026-03-01'", "'2030-01-01'"]
        var result = ids.map { id in
            "INSERT INTO children (child_id, created_at, parent_id) VALUES (\(id), '2025-06-01', \(id % 3 + 1))"
        }
        for _ in 0..<count {
            let id = ids[Int(random.next() % UInt64(ids.count))]
            let parent = Int(random.next() % 3) + 1
            let date = dates[Int(random.next() % UInt64(dates.count))]
            switch random.next() % 3 {
            case 0: result.append("UPDATE children SET parent_id = \(parent) WHERE child_id = \(id)")
            case 1: result.append("UPDATE children SET created_at = \(date) WHERE child_id = \(id)")
            default: result.append("UPDATE children SET created_at = \(date), parent_id = \(parent) WHERE child_id = \(id)")
            }
        }
        return result
    }

    /// Deploys the topology and inserts the parents.
    static func prepared(_ deployment: Deployment) async throws -> String? {
        guard let database = deployment.plan.databases.first, try await deployment.deploy(database) else { return nil }
        let values = (1...parents).map { "(\($0), 'parent \($0)')" }.joined(separator: ", ")
        try await deployment.psql.check("INSERT INTO parents (parent_id, name) VALUES \(values)", database: database.name)
        return database.name
    }

    @Test("a mixed batch of inserts, moves (also across partitions), NULLs and deletes keeps every count exact")
    func mixedBatch() async throws {
        guard let port = PostgresServer.requirePort(), let plan = TestPlans.plan(yaml: Self.yaml) else { return }
        try await Deployment.with(plan, port: port) { deployment in
            guard let db = try await Self.prepared(deployment) else { return }
            let psql = deployment.psql
            try await psql.check(Self.statements(session: 0, count: 1500).joined(separator: ";\n") + ";", database: db)
            #expect(try await psql.check(Self.wrongCounts, database: db).lines == ["0"])
            let totals = try await psql.check(
                "SELECT sum(child_count) FROM parents; SELECT count(*) FROM children WHERE parent_id IS NOT NULL; SELECT count(*) FROM children WHERE parent_id IS NULL",
                database: db)
            #expect(totals.lines.count == 3 && totals.lines[0] == totals.lines[1] && totals.lines[2] != "0")

            let snapshots = try await psql.check(
                """
                SELECT count(*) FROM children c LEFT JOIN parents p ON p.parent_id = c.parent_id
                WHERE c.parent_name IS DISTINCT FROM p.name;
                UPDATE parents SET name = 'renamed' WHERE parent_id = 1;
                SELECT count(*) FROM children WHERE parent_name = 'renamed';
                SELECT col_description('children'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = 'children'::regclass AND attname = 'parent_name')) LIKE 'Snapshot of parents.name%';
                """, database: db)
            #expect(snapshots.lines == ["0", "0", "t"], "snapshots copy the source at insert or move, and keep it")

            let broken = try await psql.check(
                """
                ALTER TABLE children DISABLE TRIGGER parents_child_count_counter;
                INSERT INTO children (child_id, created_at, parent_id) VALUES (-1, '2025-06-01', 2);
                ALTER TABLE children ENABLE TRIGGER parents_child_count_counter;
                \(Self.wrongCounts);
                """, database: db)
            #expect(broken.lines == ["1"], "the recount notices a count the trigger did not maintain")
        }
    }

    /// Test instrumentation: every update of a parent row sleeps 5 ms while holding its lock, so two
    /// parent updates of one move are far apart and an unordered pair of moves deadlocks reliably.
    static func widenRaceWindow(_ deployment: Deployment, database: String) async throws {
        try await deployment.psql.check(
            """
            CREATE FUNCTION public.test_slow_parent() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.005); RETURN NULL; END $$;
            CREATE TRIGGER test_slow_parent AFTER UPDATE ON parents FOR EACH ROW EXECUTE FUNCTION public.test_slow_parent();
            """, database: database)
    }

    /// Runs `sessions` concurrent psql sessions of random statements and returns each session's errors.
    static func concurrentErrors(
        _ deployment: Deployment, database: String, sessions: Int, statements: (Int) -> [String]
    ) async throws -> [[Substring]] {
        let psql = deployment.psql
        var files: [URL] = []
        for session in 1...sessions {
            let url = PSQL.scratchFile("sql")
            try (statements(session).joined(separator: ";\n") + ";\n").write(
                to: url, atomically: true, encoding: .utf8)
            files.append(url)
        }
        defer { for file in files { try? FileManager.default.removeItem(at: file) } }
        let outputs = try await withThrowingTaskGroup(of: PSQLOutput.self) { group in
            for file in files {
                group.addTask { try await psql.run(file: file, database: database, quietNotices: true) }
            }
            var outputs: [PSQLOutput] = []
            for try await output in group { outputs.append(output) }
            return outputs
        }
        return outputs.map { output in output.stderr.split(separator: "\n").filter { $0.contains("ERROR:") } }
    }

    @Test("eight concurrent sessions moving rows of every kind: no deadlock, exact counts")
    func concurrentSessions() async throws {
        guard let port = PostgresServer.requirePort(), let plan = TestPlans.plan(yaml: Self.yaml) else { return }
        try await Deployment.with(plan, port: port) { deployment in
            guard let db = try await Self.prepared(deployment) else { return }
            let psql = deployment.psql
            // Moves within a partition, across partitions (a DELETE then an INSERT for PostgreSQL),
            // across parents and across both, from 8 sessions, half of them on the same 3 parents,
            // with the window between a move's two parent updates widened to 5 ms.
            try await Self.widenRaceWindow(deployment, database: db)
            let errors = try await Self.concurrentErrors(deployment, database: db, sessions: 8) { session in
                session % 2 == 0 ? Self.moves(session: session, count: 200) : Self.statements(session: session, count: 300)
            }
            let failed = errors.flatMap { $0 }
            #expect(failed.isEmpty, "errors: \(failed.prefix(5))")
            #expect(try await psql.check(Self.wrongCounts, database: db).lines == ["0"])
            let contended = try await psql.check("SELECT sum(child_count) > 0 FROM parents", database: db)
            #expect(contended.lines == ["t"])
        }
    }

    /// Transactions of two moves each: each move locks its two parents in key order, but the
    /// second move's parents are locked after the first's, so two such transactions can wait for
    /// each other (what docs/topology.md says the lock trigger cannot prevent). PostgreSQL rolls
    /// one back whole (40P01) and the counts stay exact. Each session stops at its first error.
    static func transactionsOfTwoMoves(session: Int, count: Int) -> [String] {
        var random = TestKeys(seed: UInt64(3000 + session))
        let ids = [session * 1_000_000 + 1, session * 1_000_000 + 2]
        var result = ids.map { id in
            "INSERT INTO children (child_id, created_at, parent_id) VALUES (\(id), '2025-06-01', \(id % 3 + 1))"
        }
        for _ in 0..<count {
            let first = Int(random.next() % 3) + 1
            let second = Int(random.next() % 3) + 1
            result.append(
                "BEGIN; UPDATE children SET parent_id = \(first) WHERE child_id = \(ids[0]); "
                    + "UPDATE children SET parent_id = \(second) WHERE child_id = \(ids[1]); COMMIT")
        }
        return result
    }

    @Test("transactions of several moves can still deadlock; one is rolled back whole and the counts stay exact")
    func transactionsOfSeveralMovesCanDeadlock() async throws {
        guard let port = PostgresServer.requirePort(), let plan = TestPlans.plan(yaml: Self.yaml) else { return }
        try await Deployment.with(plan, port: port) { deployment in
            guard let db = try await Self.prepared(deployment) else { return }
            try await Self.widenRaceWindow(deployment, database: db)
            let errors = try await Self.concurrentErrors(deployment, database: db, sessions: 8) { session in
                Self.transactionsOfTwoMoves(session: session, count: 100)
            }.flatMap { $0 }
            let deadlocks = errors.filter { $0.contains("deadlock detected") }.count
            print("counter load, transactions of two moves: \(deadlocks) of 8 sessions ended by a deadlock")
            #expect(deadlocks > 0, "two-move transactions on 3 shared parents are meant to deadlock")
            #expect(deadlocks == errors.count, "errors other than deadlocks: \(errors.prefix(3))")
            #expect(try await deployment.psql.check(Self.wrongCounts, database: db).lines == ["0"])
        }
    }

    @Test("without the lock-ordering trigger the same load deadlocks (the test above can fail)")
    func deadlocksWithoutLockOrder() async throws {
        guard let port = PostgresServer.requirePort(), let plan = TestPlans.plan(yaml: Self.yaml) else { return }
        try await Deployment.with(plan, port: port) { deployment in
            guard let db = try await Self.prepared(deployment) else { return }
            let lock = PlanNames.counterLockTrigger(table: "parents", column: "child_count")
            try await deployment.psql.check("ALTER TABLE children DISABLE TRIGGER \(lock)", database: db)
            try await Self.widenRaceWindow(deployment, database: db)
            let errors = try await Self.concurrentErrors(deployment, database: db, sessions: 8) { session in
                Self.moves(session: session, count: 200)
            }.flatMap { $0 }
            let deadlocks = errors.filter { $0.contains("deadlock detected") }.count
            print("counter load without lock ordering: \(deadlocks) deadlocks in \(8 * 200) moves")
            #expect(deadlocks > 0, "the load is meant to provoke deadlocks when the parents are locked old-then-new")
            #expect(deadlocks == errors.count, "errors other than deadlocks: \(errors.prefix(3))")
            // A statement that lost a deadlock was rolled back whole: the counts are still exact.
            #expect(try await deployment.psql.check(Self.wrongCounts, database: db).lines == ["0"])
        }
    }
}
