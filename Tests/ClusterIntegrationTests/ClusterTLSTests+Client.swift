import Foundation
import PostgresNIO
import TopologyClient
import TopologyCompiler
import TopologyLocalCluster
import TopologyRuntime
import XCTest

extension ClusterTLSTests {
    /// TopologyClient on a `verify-full` deployment (issue 20): routing.json names every endpoint
    /// `verify-full`, so a client without a CA refuses to start; with the deployment's CA its
    /// monitor reads every member's REST API over HTTPS, writes go through PgBouncer over TLS
    /// and eventual reads are served by replicas through their read-only frontends over TLS;
    /// with another CA the monitor sees no member and no connection to a member is made.
    func checkTopologyClient(_ deployment: ClusterHarness.Deployment, foreignCA: String) async throws {
        let plan = deployment.plan
        let topology = try ClientTopology.load(
            from: deployment.runDirectory.appendingPathComponent("generated").appendingPathComponent("routing.json"))
        let modes = try XCTUnwrap(topology.tls, "routing.json records the TLS modes")
        XCTAssertEqual([modes.pooler, modes.members, modes.restAPI], Array(repeating: .verifyFull, count: 3))
        let cluster = try XCTUnwrap(topology.clusters.first)
        let database = try XCTUnwrap(cluster.databases?.first).name
        var configuration = ClientConfiguration(username: plan.roles.application, password: deployment.appPassword)
        XCTAssertThrowsError(try TopologyClient(topology: topology, configuration: configuration), "verify-full without a CA")

        configuration.caFile = deployment.runDirectory.appendingPathComponent("tls").appendingPathComponent(TLSFileNames.ca).path
        let client = try TopologyClient(topology: topology, configuration: configuration)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        var roles: [ReplicationRole] = []
        for _ in 0..<50 {
            await client.refreshHealth()
            roles = client.memberRoles(cluster: cluster.name).map(\.role)
            if roles.filter({ $0 == .leader }).count == 1 && roles.filter({ $0 == .replica }).count == roles.count - 1 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        XCTAssertEqual(roles.filter { $0 == .leader }.count, 1, "the monitor reads every member over HTTPS: \(roles)")
        XCTAssertEqual(roles.filter { $0 == .replica }.count, plan.clusters[0].members.count - 1, "\(roles)")

        let session = ClientSession()
        let id = Int64.random(in: 1_000_000...9_000_000)
        _ = try await client.write(database: database, session: session) { connection in
            try await connection.query("INSERT INTO events (event_id, body) VALUES (\(id), 'over tls')", logger: connection.logger)
        }
        let (read, report) = try await client.read(database: database, consistency: .readYourWrites, session: session) {
            connection in
            var found: [String] = []
            for try await (body, ssl) in try await connection.query(
                "SELECT e.body, s.ssl FROM events e, pg_stat_ssl s WHERE e.event_id = \(id) AND s.pid = pg_backend_pid()",
                logger: connection.logger
            ).decode((String, Bool).self) {
                found.append("\(body) ssl=\(ssl)")
            }
            return found
        }
        XCTAssertEqual(read, ["over tls ssl=true"], "read-your-writes sees the write, over TLS (\(report.server))")
        // Eventual reads within max_staleness go to replicas, over TLS to the member itself.
        var replicaReads = 0
        for _ in 0..<20 {
            let (ssl, served) = try await client.read(database: database, consistency: .eventual, session: ClientSession()) {
                connection in
                var value = false
                for try await ssl in try await connection.query(
                    "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", logger: connection.logger
                ).decode(Bool.self) {
                    value = ssl
                }
                return value
            }
            XCTAssertTrue(ssl, "read on \(served.server) over TLS")
            if case .replica = served.server { replicaReads += 1 }
        }
        XCTAssertGreaterThan(replicaReads, 0, "eventual reads reach replicas through their frontends")

        // A client that trusts another CA: the monitor sees nobody, a member refuses the handshake.
        configuration.caFile = foreignCA
        let untrusting = try TopologyClient(topology: topology, configuration: configuration)
        await untrusting.refreshHealth()
        XCTAssertEqual(
            Set(untrusting.memberRoles(cluster: cluster.name).map(\.role)), [.offline], "no REST API answers a foreign CA")
        // A replica's frontend (the leader's closes every connection before any handshake).
        let replica = try XCTUnwrap(client.memberRoles(cluster: cluster.name).first { $0.role == .replica }?.member)
        let member = try XCTUnwrap(cluster.replicaReads?.first { $0.member == replica })
        var direct = PostgresConnection.Configuration(
            host: member.readOnly.host, port: member.readOnly.port, username: plan.roles.application,
            password: deployment.appPassword, database: database, tls: untrusting.tls.connection(.members))
        direct.options.connectTimeout = .seconds(3)
        do {
            let connection = try await PostgresConnection.connect(configuration: direct, id: 1, logger: Logger(label: "tls-test"))
            try? await connection.close()
            XCTFail("a member's frontend accepted a client that does not trust its certificate's CA")
        } catch {
            XCTAssertTrue(String(reflecting: error).contains("CERTIFICATE_VERIFY_FAILED"), String(reflecting: error))
        }
        print(
            "CLUSTER-RESULT tls client: monitor over HTTPS saw \(roles.filter { $0 == .leader }.count) leader and "
                + "\(roles.filter { $0 == .replica }.count) replicas, \(replicaReads)/20 eventual reads on replicas over TLS")
    }
}
