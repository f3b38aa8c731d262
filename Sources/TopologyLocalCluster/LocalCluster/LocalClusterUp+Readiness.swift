import Foundation
import TopologyCompiler

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waiting for readiness and applying the DDL.
extension LocalClusterUp {
    func waitForClusters(state: LocalClusterState, psql: PSQL) throws {
        var last: [String: String] = [:]
        var lastPrint = Date.distantPast
        // Ready only when it stays so for a second: Patroni may be handing the synchronous role over.
        var readySince: Date?
        try waitUntil("every cluster has a leader and streaming replicas", seconds: timeout, state: state) {
            var ready = true
            for cluster in plan.clusters {
                let readiness = ClusterProbe.readiness(
                    restPorts: cluster.members.map(\.restPort), expectedReplicas: cluster.members.count - 1,
                    synchronousStandbys: Self.synchronousStandbys(cluster),
                    slots: ClusterLayout.slots(of: cluster, in: plan).map(\.name), psql: psql,
                    tls: LoopbackTLS.towards(.patroni, in: plan))
                ready = ready && readiness.isReady
                if last[cluster.name] != readiness.summary || Date().timeIntervalSince(lastPrint) > 10 {
                    say("\(cluster.name): \(readiness.summary)")
                    last[cluster.name] = readiness.summary
                    lastPrint = Date()
                }
            }
            guard ready else {
                readySince = nil
                return false
            }
            let since = readySince ?? Date()
            readySince = since
            return Date().timeIntervalSince(since) >= 1
        }
    }

    /// Proves the whole client path as the application would take it: logged in as the
    /// application role (looked up by PgBouncer's auth_query), through PgBouncer and HAProxy, each
    /// cluster's first rw pool reaches its leader and its ro pool a replica (once HAProxy's checks
    /// have marked them up). A tenant's database is probed as the tenant's role.
    func waitForPools(state: LocalClusterState, secrets: LocalSecrets) throws {
        var psql = PSQL(plan: plan, password: "")
        let pools = PgBouncerPool.pools(of: plan)
        for cluster in plan.clusters {
            // The ro pool of a strong or single-member cluster follows the leader (ReadOnlyRoute).
            let readOnlyOnReplicas: Bool
            if case .replicas = ReadOnlyRoute.of(cluster, in: plan) { readOnlyOnReplicas = true } else { readOnlyOnReplicas = false }
            for pool in pools.filter({ $0.cluster == cluster.name }).prefix(2) {
                let replicas = pool.readOnly && readOnlyOnReplicas
                let expected = replicas ? "t" : "f"
                try waitUntil(
                    "pool \(pool.name) reaches the \(replicas ? "replicas" : "leader") of \(cluster.name)", seconds: 30, state: state
                ) {
                    let login = Self.login(for: pool, in: plan)
                    psql.user = login.role
                    psql.password = secrets.values[login.variable] ?? ""
                    let result = psql.run(port: plan.pooler.port, database: pool.name, sql: "SELECT pg_is_in_recovery()", timeout: 5)
                    return result.status == 0 && result.output.trimmingCharacters(in: .whitespacesAndNewlines) == expected
                }
                say("pool \(pool.name) -> \(replicas ? "a replica" : "the leader") of \(cluster.name)")
            }
        }
    }

    /// The role (and its password's variable) a client uses for a pool: the tenant's role in a
    /// tenant's database, else the application role.
    static func login(for pool: PgBouncerPool, in plan: Plan) -> ClusterLayout.LoginSecret {
        if let database = plan.databases.first(where: { $0.name == pool.database && $0.cluster == pool.cluster }),
            database.kind == .tenant, let tenant = plan.tenancy?.tenants.first(where: { $0.name == database.tenant }),
            let role = tenant.role, let variable = tenant.passwordVariable
        {
            return ClusterLayout.LoginSecret(role: role, variable: variable)
        }
        return ClusterLayout.LoginSecret(role: plan.roles.application, variable: plan.secrets.app)
    }

    // MARK: DDL

    /// Applies the postgres backend's scripts through each cluster's leader, in the order of
    /// `sql/placement.json` (the scripts are safe to apply again), when this topoc has that backend.
    func applyDDL(state: LocalClusterState, psql: PSQL) throws {
        guard BackendRegistry.backend(named: "postgres") != nil else {
            say("DDL: skipped (this topoc has no postgres backend)")
            return
        }
        for step in DDLStep.steps(in: layout.generated, plan: plan) {
            guard let cluster = plan.clusters.first(where: { $0.name == step.cluster }),
                let leader = ClusterProbe.view(restPorts: cluster.members.map(\.restPort), tls: LoopbackTLS.towards(.patroni, in: plan))?
                    .leader
            else { throw LocalClusterError("DDL: cluster \(step.cluster) has no leader") }
            let file = layout.generated.appendingPathComponent(step.script).path
            let result = psql.run(port: leader.port, database: step.database, file: file, timeout: 300)
            guard result.status == 0 else {
                throw LocalClusterError("DDL \(step.script) failed on \(leader.name): \(result.error)")
            }
            say("DDL: applied \(step.script) to \(step.cluster)/\(step.database) on leader \(leader.name)")
        }
    }

    // MARK: Waiting

    func waitUntil(_ what: String, seconds: Double, state: LocalClusterState, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return }
            if let dead = state.processes.first(where: { !ProcessSpawner.isRunning($0.process) }) {
                throw LocalClusterError("\(dead.kind) \(dead.name) exited while waiting until \(what)")
            }
            usleep(250_000)
        }
        throw LocalClusterError("timed out after \(Int(seconds))s waiting until \(what)")
    }

    /// The first lines of a log file that report an error: PostgreSQL's `ERROR`, `FATAL` and
    /// `PANIC`, Patroni's `ERROR` and `CRITICAL`, and psql's `psql:` lines, at most `limit`.
    static func firstErrors(_ path: String, limit: Int = 8) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        let markers = ["ERROR:", "FATAL:", "PANIC:", "CRITICAL:", "psql:"]
        let found = text.split(separator: "\n").lazy.filter { line in markers.contains { line.contains($0) } }
        return found.prefix(limit).map(String.init)
    }

    /// The last lines of a log file.
    static func tail(_ path: String, lines: Int = 15) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "  (no log)" }
        return text.split(separator: "\n").suffix(lines).map { "  " + $0 }.joined(separator: "\n")
    }
}
