import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

/// The read-only frontends and PgBouncer's server-side cap on a running `topoc up` deployment
/// (issue 12, items 4 and 6): a strong read through `<db>_ro` never misses an acknowledged commit
/// while every standby's replay is paused; `max_staleness` is enforced as time, with the leader as
/// the fallback when no replica qualifies; a single member's `<db>_ro` works; and
/// `max_db_connections` caps the server connections of a PgBouncer database whatever login roles
/// come. Ports: bases 31600, 31700 and 31800 (plus `ClusterHarness.portOffset`).
final class ClusterReadOnlyRoutingTests: XCTestCase {
    /// The staleness bound of the eventual topology, in seconds.
    static let maxStaleness = 3.0

    /// One cluster behind PgBouncer pools of two connections per (database, user).
    static func topology(name: String, basePort: Int, members: Int, strong: Bool) -> String {
        let guarantees =
            strong
            ? "consistency: strong\n  partition: CP\n  rpo: 0\n  rto: 30s"
            : "consistency: eventual\n  partition: \(members == 1 ? "CA" : "CP")\n  rpo: 5s\n  rto: 30s\n  max_staleness: \(Int(maxStaleness))s"
        // The byte bound is far above what the test writes, so only the time bound can act.
        let replication =
            strong ? "{ mode: synchronous, sync_count: 1, strict: true }" : "{ mode: asynchronous, max_lag_on_failover: 64MB }"
        return """
            version: 1
            topology: \(name)
            postgres: 15
            guarantees:
              \(guarantees)
            \(TestTopologies.secrets(name))
            clusters:
              main:
                members: \(members)
                replication: \(replication)
                failover: { ttl: 10s, loop_wait: 2s, retry_timeout: 4s, watchdog: off }
                settings: { max_connections: 100 }
            \(TestTopologies.tightTimingSuppression)
            pooling:
              mode: transaction
              max_client_conn: 100
              read_write: { pool_size: 2 }
              read_only: { pool_size: 2 }
            tables:
              probe:
                columns:
                  id: bigint
                  at: { type: timestamptz, nullable: false, default: clock_timestamp() }
                primary_key: id
            \(strong ? "" : "rules: { \(TestTopologies.noBackupsRule) }")
            deployment:
              local:
                base_port: \(basePort + ClusterHarness.portOffset)

            """
    }

    /// Waits until the leader streams to `count` replicas.
    private func waitForStreaming(_ deployment: ClusterHarness.Deployment, leaderPort: Int, count: Int) {
        let streaming = ClusterHarness.poll(seconds: 30) { () -> Bool? in
            ClusterHarness.value(
                deployment.direct(port: leaderPort, database: "postgres"),
                "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == String(count) ? true : nil
        }
        XCTAssertNotNil(streaming, "\(count) replicas stream")
    }

    /// Patroni 3.0.2 resumes a paused WAL replay on PostgreSQL 14+ at every loop of a replica
    /// (it takes the pause for one caused by a parameter change) unless the cluster is in
    /// maintenance mode: the tests that pause replay put the cluster in maintenance mode first
    /// (`PATCH /config {"pause": ...}`) and wait until every member reports it. Leaving maintenance
    /// mode before `topoc down` matters: a paused Patroni leaves PostgreSQL running when stopped.
    private func setMaintenance(_ deployment: ClusterHarness.Deployment, _ on: Bool) throws {
        let cluster = deployment.plan.clusters[0]
        let password = deployment.secrets.values[deployment.plan.secrets.restAPI] ?? ""
        let result = Subprocess.run(
            [
                "/usr/bin/curl", "-sS", "-f", "-u", "\(ClusterLayout.restAPIUser):\(password)", "-X", "PATCH", "-H",
                "Content-Type: application/json", "-d", "{\"pause\": \(on)}", "http://127.0.0.1:\(cluster.members[0].restPort)/config",
            ], environment: ["PATH": "/usr/bin:/bin"], timeout: 10)
        guard result.status == 0 else { throw HarnessError("PATCH /config pause=\(on): \(result.output)\(result.error)") }
        let reported = ClusterHarness.poll(seconds: 15) { () -> Bool? in
            cluster.members.allSatisfy { member in
                let text = LoopbackHTTP.get(port: member.restPort, path: "/patroni")?.text ?? ""
                return text.contains("\"pause\": true") == on
            } ? true : nil
        }
        guard reported != nil else { throw HarnessError("not every member reports pause=\(on)") }
    }

    private func setReplay(_ deployment: ClusterHarness.Deployment, member: PlanMember, paused: Bool) throws {
        _ = try ClusterHarness.rows(
            deployment.direct(port: member.port, database: "postgres"),
            paused ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()")
    }

    // MARK: Strong

    /// Strong consistency: `<db>_ro` follows the leader, so with every standby's replay paused (the
    /// synchronous standby has flushed each commit but replays none), each commit acknowledged
    /// through `<db>` is read back through `<db>_ro`.
    func testStrongReadsThroughTheReadOnlyPoolNeverMissAnAcknowledgedCommit() throws {
        try ClusterHarness.require()
        let deployment = try ClusterHarness.up(
            yaml: Self.topology(name: "rostrong", basePort: 31800, members: 3, strong: true), name: "rostrong")
        defer { checkDown(deployment) }
        let database = deployment.plan.databases[0].name
        let cluster = deployment.plan.clusters[0]
        let leader = try XCTUnwrap(deployment.view()?.leader)
        waitForStreaming(deployment, leaderPort: leader.port, count: 2)
        XCTAssertEqual(
            ClusterHarness.value(deployment.direct(port: leader.port, database: "postgres"), "SHOW synchronous_commit"), "on",
            "strong reads go to the leader: no remote_apply")
        let sync = ClusterHarness.poll(seconds: 20) { deployment.view()?.syncStandbys.first }
        let syncStandby = try XCTUnwrap(sync.flatMap { standby in cluster.members.first { $0.name == standby.name } })
        let standbys = cluster.members.filter { $0.name != leader.name }
        try setMaintenance(deployment, true)
        defer { try? setMaintenance(deployment, false) }
        for standby in standbys { try setReplay(deployment, member: standby, paused: true) }
        defer { for standby in standbys { try? setReplay(deployment, member: standby, paused: false) } }

        var missed: [Int] = []
        var notOnLeader = 0
        for id in 1...30 {
            _ = try ClusterHarness.rows(deployment.pgbouncer(database: database), "INSERT INTO probe (id) VALUES (\(id))")
            let read = try ClusterHarness.rows(
                deployment.pgbouncer(database: database + "_ro"),
                "SELECT count(*)::text, pg_is_in_recovery()::text FROM probe WHERE id = \(id)")
            if read.first?.first != "1" { missed.append(id) }
            if read.first?.last != "false" { notOnLeader += 1 }
        }
        // The standbys lag: the synchronous one has every commit flushed and none replayed, and
        // Patroni's /synchronous still answers 200 for it (a check on it would have sent reads there).
        let onSync = ClusterHarness.value(deployment.direct(port: syncStandby.port, database: database), "SELECT count(*) FROM probe")
        let synchronousCheck = LoopbackHTTP.get(port: syncStandby.restPort, path: "/synchronous")?.status
        print(
            "CLUSTER-RESULT strong ro: 30 commits through \(database), read back through \(database)_ro: \(missed.count) missed, \(notOnLeader) answered by a standby; the paused synchronous standby \(syncStandby.name) shows \(onSync ?? "?") rows, its /synchronous answers \(synchronousCheck.map(String.init) ?? "nothing")"
        )
        XCTAssertEqual(missed, [], "a read through the read-only pool missed acknowledged commits")
        XCTAssertEqual(notOnLeader, 0, "strong reads are served by the leader")
        XCTAssertEqual(onSync, "0", "the synchronous standby has replayed none of them")
        XCTAssertEqual(synchronousCheck, 200, "Patroni's /synchronous accepts the lagging standby")
    }

    // MARK: Eventual, max_staleness

    /// One read through `<db>_ro`: the answering port, whether it is a standby, and how old the
    /// newest row it sees is (its clock minus the leader's commit stamp; one machine, one clock).
    struct Read {
        var at: Date
        var port: Int
        var standby: Bool
        var staleness: Double
    }

    /// A read on a new connection: through PgBouncer's `<db>_ro` pool by default (which reuses its
    /// server connections), or straight to HAProxy's read-only frontend (a new server session
    /// each time, so the round robin visits every replica that is up).
    private func read(_ deployment: ClusterHarness.Deployment, database: String, throughHAProxy: Bool = false) -> Read? {
        let frontend = deployment.plan.pooler.frontends[0].readOnlyPort
        guard
            let row = try? ClusterHarness.rows(
                throughHAProxy ? deployment.direct(port: frontend, database: database) : deployment.pgbouncer(database: database + "_ro"),
                "SELECT inet_server_port()::text, pg_is_in_recovery()::text, extract(epoch FROM clock_timestamp() - max(at))::text FROM probe",
                timeout: 5
            ).first, row.count == 3, let port = Int(row[0]), let staleness = Double(row[2])
        else { return nil }
        return Read(at: Date(), port: port, standby: row[1] == "true", staleness: staleness)
    }

    /// Eventual consistency with `max_staleness: 3s`: a replica whose replay is paused leaves
    /// `<db>_ro` within the bound plus HAProxy's detection (one check interval and two one-second
    /// rechecks) although Patroni's byte check still accepts it; with both replicas paused the
    /// leader serves `<db>_ro`; resumed, the replicas serve again. Then PgBouncer's cap.
    func testMaxStalenessIsEnforcedAsTimeWithTheLeaderAsFallback() throws {
        try ClusterHarness.require()
        let deployment = try ClusterHarness.up(
            yaml: Self.topology(name: "rostale", basePort: 31600, members: 3, strong: false), name: "rostale")
        defer { checkDown(deployment) }
        let database = deployment.plan.databases[0].name
        let cluster = deployment.plan.clusters[0]
        let leader = try XCTUnwrap(deployment.view()?.leader)
        waitForStreaming(deployment, leaderPort: leader.port, count: 2)
        let replicas = cluster.members.filter { $0.name != leader.name }
        try setMaintenance(deployment, true)
        defer { try? setMaintenance(deployment, false) }
        defer { for replica in replicas { try? setReplay(deployment, member: replica, paused: false) } }

        let writer = ProbeWriter(conninfo: deployment.pgbouncer(database: database))
        writer.start()
        defer { writer.stop() }
        // Replicas serve the read-only pool while they keep up.
        let servedByReplica = ClusterHarness.poll(seconds: 20) { () -> Bool? in
            read(deployment, database: database).flatMap { $0.standby ? true : nil }
        }
        XCTAssertNotNil(servedByReplica, "a replica serves the read-only pool")

        // Detection: the check interval (half the bound, at most loop_wait/2 = 1s), then two
        // one-second rechecks (fall 3), plus the check's own run and the writer's 0.1s period.
        let bound = Self.maxStaleness + 1 + 2 + 1
        let first = replicas[0]
        // Straight to HAProxy, the round robin reaches both replicas.
        let before = (0..<6).compactMap { _ in read(deployment, database: database, throughHAProxy: true) }
        XCTAssertEqual(Set(before.map(\.port)), Set(replicas.map(\.port)), "both replicas serve the read-only frontend")
        try setReplay(deployment, member: first, paused: true)
        let pausedAt = Date()
        var reads: [Read] = []
        while Date().timeIntervalSince(pausedAt) < bound + 6 {
            if let read = read(deployment, database: database, throughHAProxy: true) { reads.append(read) }
            if let read = read(deployment, database: database) { reads.append(read) }
            usleep(200_000)
        }
        let late = reads.filter { $0.at.timeIntervalSince(pausedAt) > bound }
        let fromPausedLate = late.filter { $0.port == first.port }
        let stalest = reads.map(\.staleness).max() ?? -1
        let lastOnPaused = reads.last { $0.port == first.port }.map { $0.at.timeIntervalSince(pausedAt) } ?? 0
        // Patroni's byte check alone would still accept the paused replica.
        let byteCheck = LoopbackHTTP.get(port: first.restPort, path: "/replica?lag=\(ClusterLayout.replicaLagBound(of: cluster))")?.status
        print(
            "CLUSTER-RESULT max_staleness \(Int(Self.maxStaleness))s: \(first.name) replay paused; \(reads.count) reads through \(database)_ro, stalest \(String(format: "%.2f", stalest))s, last read on \(first.name) \(String(format: "%.1f", lastOnPaused))s after the pause (bound \(bound)s); Patroni's byte check on it answers \(byteCheck.map(String.init) ?? "nothing")"
        )
        XCTAssertFalse(late.isEmpty, "reads succeed after the paused replica left")
        XCTAssertEqual(fromPausedLate.count, 0, "the paused replica still served reads \(bound)s after the pause")
        XCTAssertLessThanOrEqual(stalest, bound, "a read was older than max_staleness plus the detection time")
        XCTAssertEqual(byteCheck, 200, "the byte bound alone keeps the stale replica")

        // Both replicas stale: the leader serves the read-only pool.
        try setReplay(deployment, member: replicas[1], paused: true)
        let bothPausedAt = Date()
        var fallback: [Read] = []
        var failed = 0
        while Date().timeIntervalSince(bothPausedAt) < bound + 5 {
            for throughHAProxy in [true, false] {
                if let read = read(deployment, database: database, throughHAProxy: throughHAProxy) {
                    fallback.append(read)
                } else {
                    failed += 1
                }
            }
            usleep(200_000)
        }
        let settled = fallback.filter { $0.at.timeIntervalSince(bothPausedAt) > bound }
        print(
            "CLUSTER-RESULT ro fallback: both replicas paused; \(fallback.count) reads, \(failed) failed; after \(bound)s \(settled.count) reads, \(settled.filter { !$0.standby }.count) on the leader, stalest \(String(format: "%.2f", settled.map(\.staleness).max() ?? -1))s"
        )
        XCTAssertFalse(settled.isEmpty, "the read-only pool answers with no replica eligible")
        XCTAssertTrue(settled.allSatisfy { !$0.standby && $0.port == leader.port }, "the leader serves the read-only pool")
        XCTAssertLessThanOrEqual(fallback.map(\.staleness).max() ?? 0, bound)

        for replica in replicas { try setReplay(deployment, member: replica, paused: false) }
        let back = ClusterHarness.poll(seconds: 20) { () -> Bool? in
            read(deployment, database: database).flatMap { $0.standby ? true : nil }
        }
        XCTAssertNotNil(back, "resumed replicas serve the read-only pool again")
        writer.stop()
        XCTAssertGreaterThan(writer.committed, 50, "the writer committed throughout: \(writer.lastError)")

        try checkServerCap(deployment, leader: leader.port)
    }

    // MARK: PgBouncer's cap

    /// `max_db_connections` of `<db>` is 3 users x 2 = 6 (auth_user, application, read-only). Two
    /// more login roles in the clients group, which the topology does not know, log in too: 12
    /// clients (3 per role) each hold a transaction for 2 s. The leader never sees more than 6 connections to
    /// the database, and PgBouncer makes a pool below its pool_size wait (the cap, not pool_size).
    private func checkServerCap(_ deployment: ClusterHarness.Deployment, leader: Int) throws {
        let plan = deployment.plan
        let database = plan.databases[0].name
        let ini = try String(
            contentsOf: deployment.runDirectory.appendingPathComponent("generated").appendingPathComponent(ClusterLayout.pgbouncerPath),
            encoding: .utf8)
        XCTAssertTrue(ini.contains("\(database) = host=") && ini.contains("pool_size=2 reserve_pool=0 max_db_connections=6\n"), ini)

        let superuser = deployment.direct(port: leader, database: database)
        let extras = ["rocap_extra_a", "rocap_extra_b"]
        for role in extras {
            _ = try ClusterHarness.rows(
                superuser, "CREATE ROLE \(role) LOGIN PASSWORD 'extra-\(role)' IN ROLE \(plan.roles.clients)")
            _ = try ClusterHarness.rows(superuser, "GRANT CONNECT ON DATABASE \(database) TO \(role)")
        }
        var clients: [String] = []
        for user in [plan.roles.application, plan.roles.readOnly] {
            clients += Array(repeating: deployment.pgbouncer(database: database, user: user), count: 3)
        }
        for role in extras {
            clients += Array(
                repeating:
                    "host=127.0.0.1 port=\(plan.pooler.port) dbname=\(database) user=\(role) password=extra-\(role) connect_timeout=5 sslmode=disable",
                count: 3)
        }
        let users = [plan.roles.application, plan.roles.readOnly, plan.roles.poolerAuth] + extras
        let admin =
            "host=127.0.0.1 port=\(plan.pooler.port) dbname=pgbouncer user=\(plan.roles.poolerAdmin) password=\(deployment.secrets.values[plan.secrets.poolerAdmin] ?? "") connect_timeout=2 sslmode=disable"

        let group = DispatchGroup()
        let failures = FailureList()
        let started = Date()
        for conninfo in clients {
            group.enter()
            Thread {
                defer { group.leave() }
                do { _ = try ClusterHarness.rows(conninfo, "SELECT pg_sleep(2)", timeout: 60) } catch {
                    failures.append("\(error)")
                }
            }.start()
        }
        var peak = 0
        var cappedWaits = 0
        let list = users.map { "'\($0)'" }.joined(separator: ", ")
        while group.wait(timeout: .now() + 0.2) == .timedOut {
            if let count = ClusterHarness.value(
                deployment.direct(port: leader, database: "postgres"),
                "SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database)' AND usename IN (\(list))"
            ).flatMap(Int.init) {
                peak = max(peak, count)
            }
            // SHOW POOLS: database, user, cl_active, cl_waiting, (1.18: cl_cancel_req,) sv_active,
            // sv_idle, sv_used, sv_tested, sv_login, maxwait, ...
            if let pools = try? ClusterHarness.rows(admin, "SHOW POOLS") {
                if peak > 0 && cappedWaits == 0 { print("SHOW POOLS: \(pools.filter { $0.first == database })") }
                for row in pools where row.count > 9 && row[0] == database {
                    let waiting = Int(row[3]) ?? 0
                    let servers = row[5...9].compactMap { Int($0) }.reduce(0, +)
                    if waiting > 0 && servers < 2 { cappedWaits += 1 }
                }
            }
        }
        let seconds = Date().timeIntervalSince(started)
        // auth_query runs in the client's database, through a pool of PgBouncer's auth_user.
        let poolUsers = Set(((try? ClusterHarness.rows(admin, "SHOW POOLS")) ?? []).filter { $0.first == database }.map { $0[1] })
        XCTAssertTrue(poolUsers.contains(plan.roles.poolerAuth), "SHOW POOLS lists the auth_user's pool: \(poolUsers.sorted())")
        print(
            "CLUSTER-RESULT pgbouncer cap: \(clients.count) clients of 5 login roles on \(database) (max_db_connections=6): peak \(peak) server connections in pg_stat_activity, \(cappedWaits) samples of a pool waiting below its pool_size, \(failures.all.count) failures, \(String(format: "%.1f", seconds))s"
        )
        XCTAssertEqual(failures.all, [], "every client is served, in turn")
        XCTAssertLessThanOrEqual(peak, 6, "max_db_connections caps the server connections of \(database)")
        XCTAssertGreaterThan(peak, 3, "the pools were busy")
        XCTAssertGreaterThan(cappedWaits, 0, "a pool waited below its pool_size: the cap, not pool_size, held it")
        XCTAssertGreaterThanOrEqual(seconds, 4, "12 sessions of 2 s over 6 server connections take at least 4 s")
    }

    // MARK: The PgBouncer release

    /// A topology that declares a PgBouncer newer than the installed one is refused before any
    /// process starts (PgBouncer 1.18 would refuse the ini's max_prepared_statements).
    func testUpRefusesAnOlderPgBouncerThanDeclared() throws {
        try ClusterHarness.require()
        let yaml = Self.topology(name: "ronewer", basePort: 31700, members: 1, strong: false)
            .replacingOccurrences(
                of: "  mode: transaction\n",
                with: "  mode: transaction\n  pgbouncer_version: 1.21\n  session_features: [prepared-statements]\n")
        XCTAssertThrowsError(try ClusterHarness.up(yaml: yaml, name: "ronewer", timeout: 60)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("the topology declares PgBouncer 1.21 (pooling.pgbouncer_version), but"), text)
            XCTAssertTrue(text.contains("is 1.18"), text)
        }
    }

    // MARK: A single member

    /// One member: `<db>_ro` follows the leader, so it has a server and answers.
    func testSingleMemberReadOnlyPoolReachesTheLeader() throws {
        try ClusterHarness.require()
        let deployment = try ClusterHarness.up(
            yaml: Self.topology(name: "rosingle", basePort: 31700, members: 1, strong: false), name: "rosingle")
        defer { checkDown(deployment) }
        let database = deployment.plan.databases[0].name
        let leader = try XCTUnwrap(deployment.view()?.leader)
        _ = try ClusterHarness.rows(deployment.pgbouncer(database: database), "INSERT INTO probe (id) VALUES (1)")
        let read = ClusterHarness.poll(seconds: 10) {
            try? ClusterHarness.rows(
                deployment.pgbouncer(database: database + "_ro"),
                "SELECT count(*)::text, pg_is_in_recovery()::text, inet_server_port()::text FROM probe")
        }
        print("CLUSTER-RESULT single member ro: \(String(describing: read))")
        XCTAssertEqual(read, [["1", "false", String(leader.port)]], "the read-only pool of a single member reaches it")
    }
}

/// Messages collected from several threads.
final class FailureList: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    func append(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}

/// Commits a numbered row every 0.1 s through one connection string, reconnecting after failures.
final class ProbeWriter: @unchecked Sendable {
    private let conninfo: String
    private let lock = NSLock()
    private var count = 0
    private var error = ""
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
    private var running = false

    init(conninfo: String) { self.conninfo = conninfo }

    var committed: Int { lock.withLock { count } }
    var lastError: String { lock.withLock { error } }

    func start() {
        running = true
        Thread { [self] in
            var id: Int64 = 1_000_000
            var connection: LibPQ.Connection?
            while !lock.withLock({ stopping }) {
                do {
                    if connection == nil { connection = try LibPQ.shared?.connect(conninfo) }
                    id += 1
                    _ = try connection?.query("INSERT INTO probe (id) VALUES (\(id))", timeout: 5)
                    lock.withLock { count += 1 }
                } catch let failure {
                    connection = nil
                    lock.withLock { error = "\(failure)" }
                }
                usleep(100_000)
            }
            finished.signal()
        }.start()
    }

    func stop() {
        guard running else { return }
        running = false
        lock.withLock { stopping = true }
        finished.wait()
    }
}
