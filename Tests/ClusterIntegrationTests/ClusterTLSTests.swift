import Foundation
import TopologyCompiler
import TopologyLocalCluster
import XCTest

/// TLS end to end on a running cluster (`tls:` in the topology, `topoc up`'s throwaway CA):
/// under `require` every plaintext client is refused — at PgBouncer, at each PostgreSQL member,
/// at Patroni's REST API and at etcd — while TLS clients, replication and HAProxy's health checks
/// work; under `verify-full` a client that trusts the CA reaches the leader through PgBouncer and
/// through HAProxy, one that trusts another CA is refused, and a failover under load works as
/// it does without TLS. Ports 32200-32399 (plus TOPOC_TEST_PORT_OFFSET).
final class ClusterTLSTests: XCTestCase {
    /// The suite's asynchronous cluster with `tls.mode: mode`; with `maxStaleness`, HAProxy's
    /// read-only frontend checks replicas through staleness-agent.py (which polls Patroni over HTTPS).
    static func topology(name: String, basePort: Int, mode: String, maxStaleness: String? = nil) -> String {
        var yaml = TestTopologies.topology(name: name, basePort: basePort, synchronous: false)
        if let maxStaleness {
            yaml = yaml.replacingOccurrences(
                of: "  consistency: eventual\n", with: "  consistency: eventual\n  max_staleness: \(maxStaleness)\n")
        }
        return yaml + "tls:\n  mode: \(mode)\n"
    }

    /// The read-only pool reaches a replica: HAProxy's replica checks pass over HTTPS.
    private func checkReadOnlyPool(_ deployment: ClusterHarness.Deployment) {
        let database = deployment.plan.databases[0].name
        let replica = ClusterHarness.poll(seconds: 15) {
            ClusterHarness.value(deployment.pgbouncer(database: database + "_ro"), "SELECT pg_is_in_recovery()::text") == "true"
                ? true : nil
        }
        XCTAssertNotNil(replica, "the ro pool reaches a replica (HAProxy's checks of the replicas pass over HTTPS)")
    }

    /// Waits (up to 90 s) until the deployment's ports are free: HAProxy's health checks of an
    /// earlier deployment connect from ephemeral ports, and one left in TIME-WAIT (60 s on Linux,
    /// plus timer slack) on a port of this deployment keeps etcd or a member from binding it.
    static func waitForPorts(basePort: Int) {
        let first = basePort + ClusterHarness.portOffset
        let started = Date()
        let free = ClusterHarness.poll(seconds: 90, interval: 1) {
            (first..<(first + 20)).allSatisfy { LoopbackHTTP.isFree(port: $0) } ? true : nil
        }
        let waited = Date().timeIntervalSince(started)
        if waited > 1 {
            print(
                "CLUSTER-RESULT tls ports \(first)+: waited \(String(format: "%.0f", waited))s for TIME-WAIT (\(free == true ? "free" : "still busy"))"
            )
        }
    }

    /// The error of a connection attempt, or nil when it connects and answers.
    private func refusal(_ conninfo: String) -> String? {
        guard let library = LibPQ.shared else { return "no libpq" }
        do {
            let connection = try library.connect(conninfo)
            defer { connection.close() }
            _ = try connection.value("SELECT 1")
            return nil
        } catch {
            return error.message
        }
    }

    func testRequireRefusesPlaintextAtEveryComponent() throws {
        try ClusterHarness.require()
        Self.waitForPorts(basePort: 32200)
        let deployment = try ClusterHarness.up(yaml: Self.topology(name: "tlsreq", basePort: 32200, mode: "require"), name: "tlsreq")
        defer { checkDown(deployment) }
        let plan = deployment.plan
        let database = plan.databases[0].name
        XCTAssertEqual(deployment.ssl(.postgres), "sslmode=require")

        // PgBouncer: TLS in, TLS out (its server connection to PostgreSQL is encrypted too).
        let pooled = try ClusterHarness.rows(
            deployment.pgbouncer(database: database),
            "SELECT ssl::text, pg_is_in_recovery()::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        XCTAssertEqual(pooled.first, ["true", "false"], "PgBouncer reaches the leader over TLS")
        let plainPool = deployment.pgbouncer(database: database).replacingOccurrences(of: "sslmode=require", with: "sslmode=disable")
        let poolRefusal = try XCTUnwrap(refusal(plainPool), "PgBouncer refuses a plaintext client")
        XCTAssertTrue(poolRefusal.contains("SSL required"), poolRefusal)

        // Every PostgreSQL member: hostssl only.
        let view = try XCTUnwrap(deployment.view(), "Patroni's REST API answers over HTTPS")
        let leader = try XCTUnwrap(view.leader)
        for member in plan.clusters[0].members {
            let plain = deployment.direct(port: member.port, database: "postgres").replacingOccurrences(
                of: "sslmode=require", with: "sslmode=disable")
            let refused = try XCTUnwrap(refusal(plain), "\(member.name) refuses a plaintext client")
            XCTAssertTrue(refused.contains("no encryption"), refused)
            XCTAssertEqual(ClusterHarness.value(deployment.direct(port: member.port, database: "postgres"), "SHOW ssl"), "on")
        }
        // Replication is encrypted.
        let encrypted = ClusterHarness.poll(seconds: 20) { () -> String? in
            let value = ClusterHarness.value(
                deployment.direct(port: leader.port, database: "postgres"),
                "SELECT count(*) FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid) WHERE s.ssl AND r.state = 'streaming'")
            return value == "2" ? value : nil
        }
        XCTAssertEqual(encrypted, "2", "both replicas stream over TLS")

        // Patroni's REST API: HTTPS only.
        for member in plan.clusters[0].members {
            XCTAssertNotEqual(
                LoopbackHTTP.get(port: member.restPort, path: "/patroni")?.status, 200, "\(member.name)'s REST API refuses plain HTTP")
            XCTAssertEqual(
                LoopbackHTTP.get(port: member.restPort, path: "/patroni", tls: deployment.state.restTLS)?.status, 200,
                "\(member.name)'s REST API answers HTTPS")
        }
        // etcd: HTTPS with a client certificate signed by the CA, nothing else.
        let etcd = try XCTUnwrap(plan.etcd.first)
        let etcdTLS = try XCTUnwrap(deployment.state.etcdTLS)
        XCTAssertNotEqual(LoopbackHTTP.get(port: etcd.clientPort, path: "/health")?.status, 200, "etcd refuses plain HTTP")
        let anonymous = LoopbackTLS(ca: etcdTLS.ca, certificate: nil, key: nil)
        XCTAssertNotEqual(
            LoopbackHTTP.get(port: etcd.clientPort, path: "/health", tls: anonymous)?.status, 200,
            "etcd refuses a TLS client without a certificate")
        XCTAssertEqual(LoopbackHTTP.get(port: etcd.clientPort, path: "/health", tls: etcdTLS)?.status, 200)

        // patronictl reaches etcd and the REST API with the ctl section (insecure under require).
        try checkPatronictl(deployment, leader: leader.name)
        checkReadOnlyPool(deployment)
        // topoc status reads Patroni's view over HTTPS with the state file's client settings.
        let status = ClusterHarness.status(deployment)
        XCTAssertEqual(status.status, 0, status.error)
        XCTAssertTrue(status.output.contains("leader \(leader.name)"), status.output)
        print("CLUSTER-RESULT tls require: plaintext refused at PgBouncer, \(plan.clusters[0].members.count) members, REST API, etcd")
    }

    func testVerifyFullTrustsOnlyTheCAAndFailsOver() async throws {
        try ClusterHarness.require()
        Self.waitForPorts(basePort: 32300)
        let deployment = try ClusterHarness.up(
            yaml: Self.topology(name: "tlsfull", basePort: 32300, mode: "verify-full", maxStaleness: "5s"), name: "tlsfull")
        defer { checkDown(deployment) }
        let plan = deployment.plan
        let database = plan.databases[0].name
        let ca = try XCTUnwrap(ClusterLayout.tls(.pgbouncer, in: plan)?.ca)
        XCTAssertEqual(deployment.ssl(.pgbouncer), "sslmode=verify-full sslrootcert=\(ca)")
        let foreignCA = try makeForeignCA(in: deployment.folder)
        let leader = try XCTUnwrap(deployment.view()?.leader)

        // Through PgBouncer and straight through HAProxy's rw frontend: the leader, verified.
        let frontend = try XCTUnwrap(plan.pooler.frontends.first)
        let password = deployment.secrets.values[plan.secrets.app] ?? ""
        let viaHAProxy =
            "host=127.0.0.1 port=\(frontend.readWritePort) dbname=\(database) user=\(plan.roles.application) password=\(password) connect_timeout=2 sslmode=verify-full sslrootcert=\(ca)"
        for (path, conninfo) in [("PgBouncer", deployment.pgbouncer(database: database)), ("HAProxy", viaHAProxy)] {
            let rows = try ClusterHarness.rows(
                conninfo,
                "SELECT pg_is_in_recovery()::text, inet_server_port()::text, ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            XCTAssertEqual(rows.first, ["false", String(leader.port), "true"], "through \(path): the leader, over TLS")
            let untrusting = conninfo.replacingOccurrences(of: "sslrootcert=\(ca)", with: "sslrootcert=\(foreignCA)")
            let refused = try XCTUnwrap(refusal(untrusting), "through \(path): a client trusting another CA is refused")
            XCTAssertTrue(refused.contains("certificate verify failed"), refused)
            XCTAssertNotNil(refusal(conninfo.replacingOccurrences(of: "sslmode=verify-full", with: "sslmode=disable")))
        }
        // Replicas verify the leader's certificate (Patroni writes primary_conninfo from the
        // replication authentication).
        let replica = try XCTUnwrap(plan.clusters[0].members.first { $0.port != leader.port })
        let conninfo = ClusterHarness.value(deployment.direct(port: replica.port, database: "postgres"), "SHOW primary_conninfo") ?? ""
        XCTAssertTrue(conninfo.contains("sslmode=verify-full") && conninfo.contains("sslrootcert="), conninfo)
        try checkPatronictl(deployment, leader: leader.name)
        XCTAssertTrue(HAProxyBackend.usesStalenessAgent(plan), "the ro frontend asks the staleness agent")
        checkReadOnlyPool(deployment)
        try await checkTopologyClient(deployment, foreignCA: foreignCA)
        // The checker over TLS: its superuser setup and replay pause over verified TLS, maintenance
        // mode over HTTPS (PATCH /config), the load through the client.
        let verify = Subprocess.run(
            [
                ClusterHarness.topoc, "verify", "consistency", deployment.folder.appendingPathComponent("topology.yaml").path,
                "--run-dir", deployment.runDirectory.path, "--seconds", "6", "--no-kill",
            ], environment: ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"],
            directory: deployment.folder, timeout: 300)
        print(verify.output, verify.error)
        XCTAssertEqual(verify.status, 0, "topoc verify consistency on the verify-full deployment")
        XCTAssertTrue(verify.output.contains("\n0 violations"), verify.output)
        // At least one replica paused over verified TLS, and maintenance mode confirmed over HTTPS
        // (no warning on the line); how many replicas the monitor saw at that instant may vary.
        let paused = verify.output.split(separator: "\n").first { $0.contains("replay paused on") }.map(String.init) ?? ""
        XCTAssertNotNil(paused.firstMatch(of: /replay paused on [1-9][0-9]* replicas$/), "the pause over TLS: \(paused)")
        let eventual = verify.output.split(separator: "\n").first { $0.hasPrefix("  eventual:") }.map(String.init) ?? ""
        XCTAssertTrue(eventual.contains("% off the leader") && !eventual.contains(" 0 % off"), "eventual reads on replicas: \(eventual)")

        let result = try runFailover(deployment, killPostmaster: false)
        report("async tls verify-full", deployment, result, killPostmaster: false)
    }

    /// `patronictl list` with a member's configuration lists the leader: etcd over TLS with a
    /// client certificate and the REST API through the `ctl` section.
    private func checkPatronictl(_ deployment: ClusterHarness.Deployment, leader: String) throws {
        let cluster = deployment.plan.clusters[0]
        let config = ClusterLayout.patroniPath(cluster: cluster.name, member: cluster.members[0].name)
        let result = Subprocess.run(
            ["/usr/bin/patronictl", "-c", config, "list", "-f", "json"],
            environment: [
                "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                ClusterLayout.patroniRESTAPIPassword: deployment.secrets.values[deployment.plan.secrets.restAPI] ?? "",
            ], directory: deployment.runDirectory.appendingPathComponent("generated"), timeout: 30)
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("\"Member\": \"\(leader)\"") && result.output.contains("Leader"), result.output)
    }

    /// A CA that signed nothing of the deployment.
    private func makeForeignCA(in folder: URL) throws -> String {
        let certificate = folder.appendingPathComponent("foreign-ca.crt").path
        let result = Subprocess.run(
            [
                "/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", folder.appendingPathComponent("foreign-ca.key").path, "-out", certificate, "-days", "1", "-subj",
                "/CN=127.0.0.1",
            ], environment: ["PATH": "/usr/bin:/bin"], timeout: 30)
        XCTAssertEqual(result.status, 0, result.error)
        return certificate
    }
}
