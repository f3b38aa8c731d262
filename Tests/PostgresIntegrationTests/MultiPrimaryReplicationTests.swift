import Foundation
import Testing
import TopologyCompiler
import TopologyLocalCluster

/// Multi-primary groups on two real PostgreSQL 16 servers, each standing where the plan puts its
/// cluster's read-write frontend: the generated scripts are applied in `sql/placement.json`'s
/// order, the slots Patroni would keep permanently are created from the generated Patroni
/// configuration's list, and the subscriptions authenticate with the password file the
/// generated make-peer-pgpass.sh writes. Then both members take writes and must converge.
@Suite(.serialized, .enabled(if: Postgres16Server.shouldRun, "TOPOC_PG16_BIN is not set (scripts/install-deps.sh prepares it)"))
struct MultiPrimaryReplicationTests {
    /// A two-cluster group, one member each, replicating `items` and `tags`.
    static func topology(policy: String, basePort: Int) -> String {
        """
        version: 1
        topology: mp\(policy == "last-write-wins" ? "lww" : "fww")
        postgres: 16
        guarantees: { consistency: eventual, partition: AP, rpo: 5s, rto: 1m }
        backup: {}
        secrets:
          superuser: { env: MP_SUPERUSER_PASSWORD }
          replication: { env: MP_REPLICATION_PASSWORD }
          app: { env: MP_APP_PASSWORD }
          rest_api: { env: MP_API_PASSWORD }
        regions: [us-east, eu-west]
        clusters:
          east: { members: 1, region: us-east }
          west: { members: 1, region: eu-west }
        multi_primary:
          both-ways:
            clusters: [east, west]
            conflict: \(policy)
            timestamp_column: updated_at
        tables:
          items:
            columns:
              item_id: bigint
              label: { type: text, nullable: false }
              updated_at: { type: timestamptz, nullable: false, default: now() }
            primary_key: item_id
          tags:
            columns:
              item_id: bigint
              tag: text
              note: text
              updated_at: { type: timestamptz, nullable: false, default: now() }
            primary_key: [item_id, tag]
          events:
            columns:
              event_id: bigint
              day: { type: date, nullable: false }
              what: text
              updated_at: { type: timestamptz, nullable: false, default: now() }
            primary_key: [event_id, day]
            partitioning: { by: range, key: day, interval: monthly, from: 2026-01-01, to: 2026-04-01 }
        deployment:
          local: { base_port: \(basePort + (Int(ProcessInfo.processInfo.environment["TOPOC_TEST_PORT_OFFSET"] ?? "") ?? 0)) }
        """
    }

    /// Two running members of a group, with the generated files.
    struct Group {
        var plan: Plan
        var servers: [String: Postgres16Server]
        var output: URL
        var database: String

        func server(_ cluster: String) -> Postgres16Server {
            guard let server = servers[cluster] else { preconditionFailure("no server for \(cluster)") }
            return server
        }

        func stop() {
            for server in servers.values { server.stop() }
            try? FileManager.default.removeItem(at: output)
        }

        /// Every row of a table on a member, ordered, as text.
        func rows(_ cluster: String, _ table: String) -> String {
            server(cluster).psql(database, sql: "SELECT string_agg(t::text, ';' ORDER BY t::text) FROM (SELECT * FROM \(table)) t")
        }

        /// Waits until both members hold the same rows of every table; returns whether they do
        /// (looked at once more after the time is up: a task of a loaded suite can wake late).
        func converge(seconds: Double = 20) async throws -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while true {
                if ["items", "tags", "events"].allSatisfy({ rows("east", $0) == rows("west", $0) }) { return true }
                if Date() >= deadline { return false }
                try await Task.sleep(for: .milliseconds(200))
            }
        }

        /// Stops or restarts applying on both members (to write conflicting versions on purpose).
        func subscriptions(enabled: Bool) {
            for link in plan.multiPrimaryGroups[0].links {
                server(link.subscriber).psql(database, sql: "ALTER SUBSCRIPTION \"\(link.subscription)\" \(enabled ? "ENABLE" : "DISABLE")")
            }
        }
    }

    /// Builds the artifacts, starts a PostgreSQL 16 server per cluster on its rw frontend's port
    /// and deploys as `topoc up` would.
    static func deploy(policy: String, basePort: Int) async throws -> Group? {
        guard let bin = Postgres16Server.binDirectory else {
            Issue.record("CI requires the multi-primary tests: TOPOC_PG16_BIN is not set (scripts/install-deps.sh)")
            return nil
        }
        let compiled = CompilerDriver.compile(
            bytes: Array(topology(policy: policy, basePort: basePort).utf8), file: "multi-primary.yaml", target: .local)
        let plan = try #require(compiled.plan, "\(compiled.diagnostics)")
        let group = try #require(plan.multiPrimaryGroups.first)
        let output = URL(fileURLWithPath: "/tmp/topoc-mp-out-\(UUID().uuidString.prefix(8))")
        for artifact in CompilerDriver.artifacts(for: plan, only: ["postgres", "patroni"]) {
            let url = output.appendingPathComponent(artifact.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(artifact.contents).write(to: url)
        }
        var servers: [String: Postgres16Server] = [:]
        do {
            for cluster in group.clusters {
                let frontend = try #require(plan.pooler.frontends.first { $0.cluster == cluster })
                let server = try Postgres16Server(bin: bin, port: frontend.readWritePort, name: cluster)
                servers[cluster] = server
                // The deploy-time password file, written by the generated script as the server user.
                let made = Subprocess.run(
                    ProcessSpawner.asServerUser([
                        "/bin/sh", output.appendingPathComponent(ClusterLayout.peerPassfileScriptPath).path, server.dataDirectory.path,
                    ]),
                    environment: Postgres16Server.environment.merging([plan.secrets.multiPrimary: Postgres16Server.password]) { $1 })
                #expect(made.status == 0, "make-peer-pgpass.sh: \(made.error)")
                // As Patroni would on the first leader: the generated post-bootstrap.sh creates the
                // roles and sets each login role's password from its variable (psql's \getenv).
                var secrets = Postgres16Server.environment
                secrets["PGPASSWORD"] = Postgres16Server.password
                for secret in ClusterLayout.loginSecrets(plan) { secrets[secret.variable] = Postgres16Server.password }
                let bootstrapped = Subprocess.run(
                    [
                        "/bin/sh", output.appendingPathComponent(ClusterLayout.postBootstrapPath(cluster: cluster)).path,
                        "postgresql://postgres@127.0.0.1:\(frontend.readWritePort)/postgres",
                    ], environment: secrets, timeout: 60)
                #expect(bootstrapped.status == 0, "post-bootstrap.sh: \(bootstrapped.error)")
            }
        } catch {
            for server in servers.values { server.stop() }
            throw error
        }
        let deployed = Group(plan: plan, servers: servers, output: output, database: group.database)
        // placement.json's steps in order; before the subscriptions, the slots Patroni keeps.
        let manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("sql/placement.json"))) as? [String: Any]
        let steps = (manifest?["steps"] as? [[String: Any]]) ?? []
        var slotsCreated = false
        for step in steps {
            let script = try #require(step["script"] as? String)
            let cluster = try #require(step["cluster"] as? String)
            let database = try #require(step["database"] as? String)
            if script.hasSuffix("multi-primary-subscriptions.sql") && !slotsCreated {
                slotsCreated = true
                for planCluster in plan.clusters {
                    let patroni = try String(
                        contentsOf: output.appendingPathComponent(
                            ClusterLayout.patroniPath(cluster: planCluster.name, member: planCluster.members[0].name)),
                        encoding: .utf8)
                    for slot in ClusterLayout.slots(of: planCluster, in: plan) {
                        #expect(patroni.contains("\(slot.name):"), "Patroni keeps \(slot.name) as a permanent slot")
                        deployed.server(planCluster.name).psql(
                            slot.database, sql: "SELECT pg_create_logical_replication_slot('\(slot.name)', '\(slot.plugin)')")
                    }
                }
            }
            deployed.server(cluster).psql(database, file: output.appendingPathComponent(script).path)
        }
        #expect(slotsCreated, "placement.json runs the subscriptions")
        // Both apply workers stream from their publisher.
        let deadline = Date().addingTimeInterval(20)
        var streaming = false
        while !streaming {
            streaming = group.clusters.allSatisfy {
                deployed.server($0).psql(
                    group.database, sql: "SELECT count(*) FROM pg_stat_subscription WHERE pid IS NOT NULL AND relid IS NULL") == "1"
            }
            if streaming || Date() >= deadline { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(streaming, "both subscriptions run:\n\(servers.values.map { $0.log().suffix(1500) }.joined(separator: "\n---\n"))")
        return deployed
    }

    @Test("last-write-wins: both members take writes, converge, and the later version of a row wins either way")
    func lastWriteWins() async throws {
        guard let group = try await Self.deploy(policy: "last-write-wins", basePort: 31400) else { return }
        defer { group.stop() }
        try await checkReplicationBothWays(group)

        // Concurrent updates of one row: the later stamp wins on both members, whichever member wrote it.
        for (first, second, item) in [("east", "west", 1), ("west", "east", 2)] {
            group.subscriptions(enabled: false)
            group.server(first).psql(group.database, sql: "UPDATE items SET label = 'by \(first)' WHERE item_id = \(item)")
            try await Task.sleep(for: .milliseconds(20))
            group.server(second).psql(group.database, sql: "UPDATE items SET label = 'by \(second)' WHERE item_id = \(item)")
            group.subscriptions(enabled: true)
            #expect(try await group.converge(), "members converge after concurrent updates of item \(item)")
            for cluster in ["east", "west"] {
                #expect(
                    group.server(cluster).psql(group.database, sql: "SELECT label FROM items WHERE item_id = \(item)") == "by \(second)")
            }
        }

        // The same key inserted on both members: the later insert wins, replication goes on.
        #expect(try await insertOneKeyOnBoth(group) == "east later")

        // A partitioned table: rows reach the other member's partitions, and a concurrent update
        // of one row is settled there too (the triggers are cloned onto every partition).
        group.server("east").psql(group.database, sql: "INSERT INTO events VALUES (1, '2026-01-15', 'a'), (2, '2026-02-15', 'b')")
        #expect(try await group.converge())
        #expect(
            group.server("west").psql(group.database, sql: "SELECT count(*) FROM events_p2026_02") == "1",
            "the row of February is in February's partition")
        group.subscriptions(enabled: false)
        group.server("east").psql(group.database, sql: "UPDATE events SET what = 'east' WHERE event_id = 2")
        try await Task.sleep(for: .milliseconds(20))
        group.server("west").psql(group.database, sql: "UPDATE events SET what = 'west later' WHERE event_id = 2")
        group.subscriptions(enabled: true)
        #expect(try await group.converge())
        #expect(group.server("east").psql(group.database, sql: "SELECT what FROM events WHERE event_id = 2") == "west later")

        // Change data capture on the first member alone sees every member's writes, each once:
        // a pgoutput slot on east decodes west's insert (applied there) and east's own.
        let publication = group.plan.multiPrimaryGroups[0].publication
        group.server("east").psql(group.database, sql: "SELECT pg_create_logical_replication_slot('cdc_probe', 'pgoutput')")
        group.server("west").psql(group.database, sql: "INSERT INTO items (item_id, label) VALUES (500, 'from west')")
        group.server("east").psql(group.database, sql: "INSERT INTO items (item_id, label) VALUES (501, 'from east')")
        #expect(try await group.converge())
        let inserts = group.server("east").psql(
            group.database,
            sql: """
                SELECT count(*) FROM pg_logical_slot_peek_binary_changes('cdc_probe', NULL, NULL,
                    'proto_version', '1', 'publication_names', '\(publication)') WHERE get_byte(data, 0) = 73
                """)
        #expect(inserts == "2", "one consumer on east sees both members' inserts once each")
        group.server("east").psql(group.database, sql: "SELECT pg_drop_replication_slot('cdc_probe')")
        try await checkHealthy(group)
    }

    @Test("first-write-wins: two inserts of one key keep the earlier row; updates still follow the stamp")
    func firstWriteWins() async throws {
        guard let group = try await Self.deploy(policy: "first-write-wins", basePort: 31450) else { return }
        defer { group.stop() }
        try await checkReplicationBothWays(group)
        #expect(try await insertOneKeyOnBoth(group) == "west first")
        group.server("east").psql(group.database, sql: "UPDATE items SET label = 'renamed on east' WHERE item_id = 3")
        #expect(try await group.converge())
        #expect(group.server("west").psql(group.database, sql: "SELECT label FROM items WHERE item_id = 3") == "renamed on east")
        try await checkHealthy(group)
    }

    /// Inserts one key on west, then on east, while neither applies; returns the note both hold
    /// once they have converged (nil when they do not).
    private func insertOneKeyOnBoth(_ group: Group) async throws -> String? {
        group.subscriptions(enabled: false)
        group.server("west").psql(group.database, sql: "INSERT INTO tags VALUES (7, 'dup', 'west first')")
        try await Task.sleep(for: .milliseconds(20))
        group.server("east").psql(group.database, sql: "INSERT INTO tags VALUES (7, 'dup', 'east later')")
        group.subscriptions(enabled: true)
        guard try await group.converge() else { return nil }
        return group.server("east").psql(group.database, sql: "SELECT note FROM tags WHERE item_id = 7 AND tag = 'dup'")
    }

    /// Inserts on both members, deletes on one, and the stamp of local writes.
    private func checkReplicationBothWays(_ group: Group) async throws {
        group.server("east").psql(
            group.database, sql: "INSERT INTO items (item_id, label) SELECT g, 'east ' || g FROM generate_series(1, 50) g")
        group.server("west").psql(
            group.database,
            sql: "INSERT INTO items (item_id, label, updated_at) SELECT g, 'west ' || g, '2001-01-01' FROM generate_series(51, 100) g")
        group.server("west").psql(group.database, sql: "INSERT INTO tags VALUES (1, 'a', 'x'), (2, 'b', 'y')")
        #expect(try await group.converge(), "each member holds the other's rows")
        #expect(group.server("east").psql(group.database, sql: "SELECT count(*) FROM items") == "100")
        #expect(
            group.server("east").psql(group.database, sql: "SELECT count(*) FROM items WHERE updated_at < '2020-01-01'") == "0",
            "a local write is stamped with clock_timestamp(), whatever the client sent")
        group.server("east").psql(group.database, sql: "DELETE FROM items WHERE item_id = 100")
        #expect(try await group.converge())
        #expect(group.server("west").psql(group.database, sql: "SELECT count(*) FROM items WHERE item_id = 100") == "0")
    }

    /// No apply errors, and nothing comes back around: the subscriptions take only changes that
    /// originate on their publisher, and the rows stay as they are once converged. (The conflict
    /// triggers alone would also drop an echoed row version, as it equals the local one.)
    private func checkHealthy(_ group: Group) async throws {
        for cluster in ["east", "west"] {
            #expect(group.server(cluster).psql(group.database, sql: "SELECT string_agg(suborigin, ',') FROM pg_subscription") == "none")
            let errors = group.server(cluster).psql(
                group.database, sql: "SELECT coalesce(sum(apply_error_count + sync_error_count), 0) FROM pg_stat_subscription_stats")
            #expect(errors == "0", "\(cluster) applied everything without error:\n\(group.server(cluster).log().suffix(2000))")
        }
        let versions = { (cluster: String) in
            group.server(cluster).psql(group.database, sql: "SELECT string_agg(xmin::text, ',' ORDER BY item_id) FROM items")
        }
        let before = ["east", "west"].map(versions)
        try await Task.sleep(for: .seconds(2))
        #expect(["east", "west"].map(versions) == before, "no change loops between the members (origin = none)")
    }
}
