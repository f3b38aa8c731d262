import Foundation
import Testing
import TopologyCompiler

/// The Debezium heartbeat on a real server: ecommerce's connector captures only the quiet
/// `products`, in a database where `orders` is busy. pgoutput sends a consumer nothing for the
/// busy table, so a consumer that confirms what it receives (Debezium) confirms nothing and its
/// slot holds all that WAL; the generated `heartbeat.action.query`, run as the CDC role, writes a
/// change the consumer receives, and confirming it moves the slot past the busy WAL.
@Suite("Debezium heartbeat on PostgreSQL", .enabled(if: PostgresServer.shouldRun, PostgresServer.skipReason))
struct HeartbeatTests {
    @Test("the heartbeat query runs as the CDC role only, and its event lets the slot advance past a busy table's WAL")
    func heartbeatAdvancesTheSlot() async throws {
        guard let port = PostgresServer.requirePort(), let plan = try TestPlans.plan(example: "ecommerce.yaml") else { return }
        try await Deployment.with(plan, port: port) { deployment in
            let plan = deployment.plan
            guard let slotPlan = plan.replication.slots.first,
                let database = plan.databases.first(where: { $0.name == slotPlan.database }),
                try await deployment.deploy(database),
                let publication = plan.replication.publications.first(where: { $0.database == database.name })
            else {
                Issue.record("ecommerce has a slot on a deployed database")
                return
            }
            let connector = try #require(DebeziumBackend().artifacts(for: plan).first)
            let json = try #require(JSONSerialization.jsonObject(with: Data(connector.contents)) as? [String: Any])
            let config = try #require(json["config"] as? [String: String])
            let heartbeat = try #require(config["heartbeat.action.query"])
            let cdc = plan.roles.changeDataCapture
            #expect(config["database.user"] == cdc)
            let psql = deployment.psql
            let db = database.name
            let slot = "heartbeat_\(deployment.suffix)"

            try await psql.check(
                """
                INSERT INTO products (product_id, name, price) VALUES (1, 'Lamp', 20);
                INSERT INTO users (user_id, email) VALUES (1, 'a@example.org');
                """, database: db)
            // The CDC role creates and reads the slot, as the connector does.
            try await Self.check(
                psql, "SELECT pg_create_logical_replication_slot(\(literal(slot)), 'pgoutput') \\g /dev/null", database: db, user: cdc)
            let start = try await psql.check(
                "SELECT restart_lsn, confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = \(literal(slot))", database: "postgres"
            ).rows
            try await psql.check(
                """
                INSERT INTO orders (order_id, user_id, product_id, total, created_at)
                SELECT g, 1, 1, 10, timestamptz '2026-01-01' + g * interval '1 second' FROM generate_series(1, 20000) g
                """, database: db)
            // A checkpoint logs the running transactions, from which decoding may move restart_lsn.
            try await psql.check("CHECKPOINT", database: db)
            let busyEnd = try await psql.check("SELECT pg_current_wal_lsn()", database: db).stdout.trimmingCharacters(
                in: .whitespacesAndNewlines)
            let heldBefore = try await psql.check(
                "SELECT pg_current_wal_lsn() - restart_lsn FROM pg_replication_slots WHERE slot_name = \(literal(slot))",
                database: "postgres"
            ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let peek =
                "SELECT lsn, get_byte(data, 0) FROM pg_logical_slot_peek_binary_changes(\(literal(slot)), NULL, NULL, 'proto_version', '1', 'publication_names', \(literal(publication.name)))"
            let quiet = try await Self.check(psql, peek, database: db, user: cdc).rows
            #expect(quiet.isEmpty, "the busy table's 20000 rows give the consumer nothing to receive or confirm: \(quiet.prefix(3))")

            // Only the CDC role may run the heartbeat; it may do nothing else to the table.
            let app = plan.roles.application
            let denied = try await psql.sql(heartbeat, database: db, user: app)
            #expect(denied.status != 0 && denied.stderr.contains("permission denied"), "the application cannot beat: \(denied.stderr)")
            for forbidden in [
                "INSERT INTO public.\(DebeziumCatalog.heartbeatTable) (id) VALUES (2)",
                "DELETE FROM public.\(DebeziumCatalog.heartbeatTable)", "UPDATE public.\(DebeziumCatalog.heartbeatTable) SET id = 2",
                "UPDATE products SET price = 1",
            ] {
                let result = try await psql.sql(forbidden, database: db, user: cdc)
                #expect(result.status != 0 && result.stderr.contains("permission denied"), "\(forbidden): \(result.stderr)")
            }
            let beat = try await psql.sql(heartbeat, database: db, user: cdc)
            #expect(beat.status == 0 && beat.stderr.isEmpty, "the connector's heartbeat runs as \(cdc): \(beat.stderr)")

            // The consumer receives the heartbeat's update and confirms its commit.
            let messages = try await Self.check(psql, peek, database: db, user: cdc).rows
            let kinds = messages.compactMap { $0.count == 2 ? UInt8($0[1]) : nil }.map { Character(UnicodeScalar($0)) }
            #expect(kinds.contains("U"), "an Update of the heartbeat row is decoded: \(kinds)")
            let commit = try #require(messages.last { $0.count == 2 && $0[1] == "67" }?[0], "a Commit message")
            try await Self.check(
                psql, "SELECT pg_replication_slot_advance(\(literal(slot)), \(literal(commit))) \\g /dev/null", database: db, user: cdc)
            let moved = try await psql.check(
                "SELECT (confirmed_flush_lsn > \(literal(busyEnd)))::text, (restart_lsn > \(literal(start.first?.first ?? "0/0")))::text FROM pg_replication_slots WHERE slot_name = \(literal(slot))",
                database: "postgres"
            ).rows
            #expect(moved.first?.first == "true", "the confirmed position passes the busy table's WAL (\(busyEnd)): \(moved)")
            #expect(moved.first?.last == "true", "the slot holds back less WAL than before: \(moved)")
            let held = try await psql.check(
                "SELECT pg_current_wal_lsn() - restart_lsn FROM pg_replication_slots WHERE slot_name = \(literal(slot))",
                database: "postgres"
            ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            print(
                "heartbeat: no event for the busy table (slot held \(heldBefore) bytes); after one heartbeat the slot confirmed \(commit), past the busy WAL end \(busyEnd), and holds \(held) bytes"
            )
        }
    }

    /// Runs SQL as `user`, expecting success without messages.
    @discardableResult
    static func check(
        _ psql: PSQL, _ text: String, database: String, user: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws -> PSQLOutput {
        let output = try await psql.sql(text, database: database, user: user)
        #expect(output.status == 0 && output.stderr.isEmpty, "psql as \(user): \(output.stderr)", sourceLocation: sourceLocation)
        return output
    }
}
