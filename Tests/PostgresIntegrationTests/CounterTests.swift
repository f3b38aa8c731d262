import Foundation
import Testing
import TopologyCompiler

/// Counter columns stay exact and snapshots are copied, under a mixed batch and under four
/// concurrent sessions.
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
                result.append("UPDATE children SET note = 'touched' WHERE child_id = \(id)")
            default:
                let index = Int(random.next() % UInt64(owned.count))
                result.append("DELETE FROM children WHERE child_id = \(owned.remove(at: index))")
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

    @Test("four concurrent sessions: exact counts; only a cross-partition move may lose a deadlock")
    func concurrentSessions() async throws {
        guard let port = PostgresServer.requirePort(), let plan = TestPlans.plan(yaml: Self.yaml) else { return }
        try await Deployment.with(plan, port: port) { deployment in
            guard let db = try await Self.prepared(deployment) else { return }
            let psql = deployment.psql
            var files: [URL] = []
            for session in 1...4 {
                let url = PSQL.scratchFile("sql")
                try (Self.statements(session: session, count: 600).joined(separator: ";\n") + ";\n").write(
                    to: url, atomically: true, encoding: .utf8)
                files.append(url)
            }
            let outputs = try await withThrowingTaskGroup(of: PSQLOutput.self) { group in
                for file in files {
                    group.addTask { try await psql.run(file: file, database: db, quietNotices: true) }
                }
                var outputs: [PSQLOutput] = []
                for try await output in group { outputs.append(output) }
                return outputs
            }
            for file in files { try? FileManager.default.removeItem(at: file) }
            // A move across partitions is a DELETE on one partition and an INSERT on another, so its
            // two counter updates cannot be taken in key order: two sessions moving rows between the
            // same parents in opposite directions may deadlock. PostgreSQL then rolls one statement
            // back whole (SQLSTATE 40P01, which applications retry), so the counts stay exact; any
            // other error fails the test.
            for output in outputs {
                let errors = output.stderr.split(separator: "\n").filter { $0.contains("ERROR:") }
                let onlyDeadlocks = !errors.isEmpty && errors.allSatisfy { $0.contains("deadlock detected") }
                #expect(output.status == 0 && output.stderr.isEmpty || onlyDeadlocks, "session: \(output.stderr)")
            }
            #expect(try await psql.check(Self.wrongCounts, database: db).lines == ["0"])
            let contended = try await psql.check("SELECT sum(child_count) > 0 FROM parents", database: db)
            #expect(contended.lines == ["t"])
        }
    }
}
