import Foundation
import Testing
import TopologyCompiler
import TopologyLocalCluster

/// `max_slot_wal_keep_size` on a real PostgreSQL 15: a logical slot whose consumer stalled is
/// invalidated (`wal_status = 'lost'`) by a bounded write loop, and pg_wal stays bounded, instead
/// of growing with every byte written. The bound is the one topoc writes into Patroni's
/// parameters for a topology that declares it. A server of its own (it writes a few hundred MB
/// of WAL and checkpoints), on port 31520 + TOPOC_TEST_PORT_OFFSET.
@Suite("slot WAL retention on PostgreSQL 15", .enabled(if: Postgres15Binaries.bin != nil || PostgresServer.shouldRun))
struct SlotRetentionTests {

    static let port = 31520 + (Int(ProcessInfo.processInfo.environment["TOPOC_TEST_PORT_OFFSET"] ?? "") ?? 0)

    /// A topology whose cluster bounds slots to 32MB (two WAL segments; TCD211 suppressed).
    static let topology = """
        topology: retention
        clusters:
          main:
            members: 2
            settings: { max_slot_wal_keep_size: 32MB }
            suppress: [{ rule: TCD211, reason: the test wants the slot lost after a few segments }]
        tables:
          events: { columns: { id: bigint, body: text }, primary_key: id }
        cdc:
          sink: { topic_prefix: retention }
          tables: { events: logical }
        """

    @Test("a stalled logical slot is lost at the bound and pg_wal stays bounded")
    func stalledSlotIsInvalidated() throws {
        guard let bin = Postgres15Binaries.bin else {
            Issue.record("no PostgreSQL 15 server binaries in /usr/lib/postgresql/15/bin")
            return
        }
        let plan = try #require(TestPlans.plan(yaml: Self.topology))
        // The value in the generated Patroni configuration's PostgreSQL parameters.
        let patroni = try #require(PatroniBackend().artifacts(for: plan).first { $0.path.hasSuffix(".yml") })
        let line = try #require(
            String(decoding: patroni.contents, as: UTF8.self).split(separator: "\n").first { $0.contains("max_slot_wal_keep_size:") })
        let bound = String(line.split(separator: ":").last ?? "").trimmingCharacters(in: CharacterSet(charactersIn: " '\""))
        #expect(bound == "32MB")
        let server = try Postgres16Server(bin: bin, port: Self.port, name: "retention")
        defer { server.stop() }
        // The generated bound, and checkpoints only when asked (max_wal_size as small as allowed).
        server.psql("postgres", sql: "ALTER SYSTEM SET max_slot_wal_keep_size = '\(bound)'")
        server.psql("postgres", sql: "ALTER SYSTEM SET max_wal_size = '32MB'")
        server.psql("postgres", sql: "ALTER SYSTEM SET min_wal_size = '32MB'")
        server.psql("postgres", sql: "SELECT pg_reload_conf()")
        #expect(server.psql("postgres", sql: "SHOW max_slot_wal_keep_size") == bound)
        server.psql("postgres", sql: "CREATE TABLE events (id bigint PRIMARY KEY, body text)")
        server.psql("postgres", sql: "CREATE PUBLICATION retention FOR TABLE events")
        server.psql("postgres", sql: "SELECT pg_create_logical_replication_slot('stalled', 'pgoutput')")
        let start = server.psql("postgres", sql: "SELECT pg_current_wal_lsn()")

        // Write about 8MB of WAL per round, checkpoint, look at the slot: at most 40 rounds.
        var status = ""
        var rounds = 0
        while rounds < 40 && status != "lost" {
            rounds += 1
            server.psql(
                "postgres",
                sql:
                    "INSERT INTO events SELECT g, repeat('x', 900) FROM generate_series(\(rounds * 10_000), \(rounds * 10_000 + 7_999)) g")
            server.psql("postgres", sql: "CHECKPOINT")
            status = server.psql("postgres", sql: "SELECT wal_status FROM pg_replication_slots WHERE slot_name = 'stalled'")
        }
        let written = Int64(server.psql("postgres", sql: "SELECT pg_current_wal_lsn() - '\(start)'::pg_lsn")) ?? 0
        server.psql("postgres", sql: "CHECKPOINT")
        let walBytes = Int64(server.psql("postgres", sql: "SELECT sum(size) FROM pg_ls_waldir()")) ?? -1
        print(
            "slot retention: slot '\(status)' after \(rounds) rounds, \(written >> 20) MB of WAL written, pg_wal holds \(walBytes >> 20) MB"
        )
        #expect(status == "lost", "the stalled slot is invalidated within 40 rounds of 8MB")
        #expect(written > 32 << 20, "more WAL was written than the bound")
        #expect(walBytes <= 128 << 20, "pg_wal stays within the bound plus max_wal_size and a few segments")
        // The consumer can no longer read the slot: it must start again from a new one.
        var environment = Postgres16Server.environment
        environment["PGPASSWORD"] = Postgres16Server.password
        let read = Subprocess.run(
            [
                PostgresServer.psqlPath, "-X", "-At", "-h", "127.0.0.1", "-p", String(Self.port), "-U", "postgres", "-d", "postgres", "-c",
                "SELECT count(*) FROM pg_logical_slot_get_binary_changes('stalled', NULL, NULL, 'proto_version', '1', 'publication_names', 'retention')",
            ], environment: environment, timeout: 30)
        #expect(read.status != 0 && read.error.contains("can no longer get changes"), "\(read.error)")
    }
}

/// Debian's PostgreSQL 15 server binaries, if installed.
enum Postgres15Binaries {
    static let bin: String? = {
        let path = "/usr/lib/postgresql/15/bin"
        return FileManager.default.isExecutableFile(atPath: "\(path)/postgres") ? path : nil
    }()
}
