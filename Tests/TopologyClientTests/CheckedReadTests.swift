import Foundation
import Logging
import PostgresNIO
import TopologyRuntime
import XCTest

@testable import TopologyClient

/// The client's checked path (a read-only pool that picks the replica itself, as on Kubernetes)
/// on a real PostgreSQL 15 (the DDL tests' server, `TOPOC_PG_PORT`): the replica check's query
/// runs as an unprivileged role, and a pool that hands out a primary never serves a read below
/// `strong` (the leader does). Replicas that pass the check are the cluster suite's part
/// (`ClusterConsistencyClientTests`, `--read-path checked-ro-pool`).
final class CheckedReadTests: XCTestCase {
    private var runner: Task<Void, Never>?

    override func tearDown() {
        runner?.cancel()
        super.tearDown()
    }

    /// A cluster of two members without member frontends whose read-only pool is the test server
    /// (a primary), as `routing.json` describes a CloudNativePG cluster.
    private func client(port: Int, poolMode: String) throws -> TopologyClient {
        let json = """
            {"topology": "t", "poolMode": "\(poolMode)", "pooler": {"host": "127.0.0.1", "port": \(port)},
             "clusters": [{"name": "c", "members": [{"host": "a", "port": 5432}, {"host": "b", "port": 5432}],
                           "pooler": {"host": "127.0.0.1", "port": \(port)}, "readOnlyPooler": {"host": "127.0.0.1", "port": \(port)},
                           "databases": [{"name": "postgres", "pool": "postgres", "readOnlyPool": "postgres"}]}]}
            """
        let (client, runner) = try TestServerClient.make(json, attemptTimeout: .seconds(5), giveUpAfter: .seconds(10))
        self.runner = runner
        return client
    }

    func testAClusterWithoutMemberFrontendsReadsThroughTheCheckedPoolUnlessStatementPooling() throws {
        let port = try TestServerClient.serverPort()
        XCTAssertTrue(try client(port: port, poolMode: "transaction").pools(of: "postgres").checksReadOnlyPool)
        XCTAssertFalse(
            try client(port: port, poolMode: "statement").pools(of: "postgres").checksReadOnlyPool,
            "statement pooling cannot keep a check and a read on one server")
    }

    func testTheGeneratedRoutingLeadsTheClientToCheckedReadsOnKubernetesOnly() throws {
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TopologyCompilerTests/Golden")
        var checkedClusters = 0
        for example in try FileManager.default.contentsOfDirectory(atPath: golden.path).sorted() {
            for target in ["local", "compose", "kubernetes"] {
                let file = golden.appendingPathComponent("\(example)/\(target)/routing.json")
                guard FileManager.default.fileExists(atPath: file.path) else { continue }
                let topology = try ClientTopology.load(from: file)
                for cluster in topology.clusters {
                    let checked = cluster.readsThroughCheckedPool(poolMode: topology.poolMode)
                    if target == "kubernetes" {
                        let replicated = (cluster.members?.count ?? 0) > 1 && cluster.readOnlyPooler != nil
                        XCTAssertEqual(checked, replicated && topology.poolMode != "statement", "\(example) \(cluster.name)")
                        if checked { checkedClusters += 1 }
                    } else {
                        XCTAssertFalse(checked, "\(example)/\(target) \(cluster.name) reads through its member frontends")
                    }
                }
            }
        }
        XCTAssertGreaterThan(checkedClusters, 0, "some Kubernetes golden has a replicated cluster with a read-only Pooler")
    }

    func testAPoolThatHandsOutAPrimaryNeverServesAReadBelowStrong() async throws {
        let port = try TestServerClient.serverPort()
        let client = try client(port: port, poolMode: "transaction")
        let session = ClientSession()
        _ = try await client.write(database: "postgres", session: session) { connection in
            try await connection.query("SELECT 1", logger: connection.logger)
        }
        XCTAssertFalse(session.token(on: "c").isEmpty)
        for level in [ConsistencyLevel.readYourWrites, .causal, .eventual] {
            let (answer, report) = try await client.read(database: "postgres", consistency: level, session: session) { connection in
                var value = 0
                for try await one in try await connection.query("SELECT 1", logger: connection.logger).decode(Int.self) { value = one }
                return value
            }
            XCTAssertEqual(answer, 1)
            XCTAssertEqual(report.server, .leader, "\(level): the pool reached a primary, so the leader serves")
        }
        // The leader watch reads the leader's position over SQL (no Patroni API on Kubernetes).
        let deadline = ContinuousClock.now + .seconds(5)
        while client.leaderWatch.position(of: 0) == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        let position = try XCTUnwrap(client.leaderWatch.position(of: 0), "the leader's position was read")
        XCTAssertGreaterThanOrEqual(position.timeline, 1)
        XCTAssertGreaterThan(position.lsn, LSN.zero)
    }

    func testTheReplicaCheckRunsAsAnUnprivilegedRole() async throws {
        let port = try TestServerClient.serverPort()
        let role = "topoc_check_\(UInt32.random(in: 0...UInt32.max))"
        let logger = Logger(label: "checked-read-test")
        func connect(_ user: String) async throws -> PostgresConnection {
            let configuration = PostgresConnection.Configuration(
                host: "127.0.0.1", port: port, username: user, password: nil, database: "postgres", tls: .disable)
            return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        }
        let admin = try await connect("postgres")
        try await admin.query(PostgresQuery(unsafeSQL: "CREATE ROLE \(role) LOGIN NOSUPERUSER NOINHERIT"), logger: logger)
        do {
            let plain = try await connect(role)
            let (sample, server) = try await TopologyClient.sample(plain)
            try? await plain.close()
            XCTAssertFalse(sample.inRecovery, "the test server is a primary")
            XCTAssertNil(sample.replayLSN, "a server that never was a standby has replayed nothing")
            XCTAssertGreaterThanOrEqual(sample.checkpointTimeline, 1, "pg_control_checkpoint() is open to every role")
            XCTAssertEqual(server, "127.0.0.1:\(port)")
        } catch {
            XCTFail("the check as \(role): \(String(reflecting: error))")
        }
        try await admin.query(PostgresQuery(unsafeSQL: "DROP ROLE \(role)"), logger: logger)
        try? await admin.close()
    }
}
