import Foundation
import Logging
import PostgresNIO
import TopologyClient
import TopologyRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// One run: set up the check's table, drive the load, inject lag and a leader kill, check.
struct ConsistencyRun {
    let spec: VerifySpec
    let progress: RunProgress

    /// The longest a run of `seconds` of load may take: 30 s for leaders, the load, one client
    /// call's retry budget past its end (40 s + 8 s), 90 s for the surviving rows, and 20 s of slack.
    static func budget(seconds: Double) -> Double { 30 + seconds + 48 + 90 + 20 }

    /// The read path as the report names it.
    static func describe(_ path: VerifySpec.ReadPath) -> String {
        switch path {
        case .routed: "TopologyClient"
        case .readOnlyPool: "PgBouncer's _ro pools (no token check)"
        case .checkedReadOnlyPool: "TopologyClient over PgBouncer's _ro pools (each replica checked in the read's transaction)"
        }
    }

    func run() async throws -> Int {
        let topology = try ClientTopology.load(from: URL(fileURLWithPath: spec.routing))
        var configuration = ClientConfiguration(username: spec.username, password: spec.password)
        configuration.readPath =
            switch spec.readPath {
            case .routed: .routed
            case .readOnlyPool: .readOnlyPool
            case .checkedReadOnlyPool: .checkedReadOnlyPool
            }
        configuration.caFile = spec.caFile
        let client = try TopologyClient(topology: topology, configuration: configuration)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        let clusters = topology.clusters.filter { ($0.replicaReads?.count ?? 0) > 1 && $0.readWrite != nil }
        guard !clusters.isEmpty else {
            print("no cluster with replicas: nothing to verify")
            return 1
        }
        progress.enter("waiting for a leader and a replica in every cluster")
        try await waitForLeaders(client, clusters)
        progress.enter("setting up the check's table")
        var databases: [(cluster: String, name: String)] = []
        for cluster in clusters {
            for database in cluster.databases ?? [] {
                try await setUp(cluster, database: database.name, tls: client.tls)
                databases.append((cluster.name, database.name))
            }
        }
        let maxStaleness = client.maxStaleness.inSeconds
        print(
            "load: \(spec.seconds) s on \(databases.count) databases of \(clusters.count) clusters, reads through \(Self.describe(spec.readPath))"
        )
        progress.enter("load")
        let recorder = Recorder(progress: progress)
        let started = Date().timeIntervalSince1970
        let deadline = started + spec.seconds
        var faults = Faults(spec: spec, client: client, clusters: clusters.map(\.name), started: started)
        await withTaskGroup(of: Void.self) { group in
            for (index, database) in databases.enumerated() {
                let base = (index + 1) * 10
                group.addTask { await Load.readYourWrites(client, database.name, session: base + 1, until: deadline, recorder) }
                group.addTask {
                    await Load.causal(client, database.name, writer: base + 2, reader: base + 3, until: deadline, recorder)
                }
                group.addTask {
                    await Load.eventual(client, database.name, session: base + 4, target: base + 1, until: deadline, recorder)
                }
            }
            group.addTask { [faults] in await faults.inject() }
            for await _ in group {}
        }
        faults.killedAt = await faults.recordedKill()
        progress.enter("reading the surviving rows at strong")
        let survivors = try await survivingRows(client, databases.map(\.name))
        let operations = await recorder.operations
        let history = ConsistencyHistory(operations: operations)
        let rpoZero = ["0", "0s", "0ms"].contains(topology.consistency?.rpo ?? "")
        let violations = history.violations(maxStaleness: maxStaleness, survivors: rpoZero ? survivors : nil)
        let killed = Set(databases.filter { $0.cluster == faults.killedAt?.cluster }.map(\.name))
        Report(
            operations: operations, history: history, violations: violations, maxStaleness: maxStaleness, rpoZero: rpoZero,
            killedDatabases: killed
        ).print(faults: faults)
        return violations.count
    }

    /// Waits until the monitor sees a leader in every cluster.
    private func waitForLeaders(_ client: TopologyClient, _ clusters: [ClientTopology.Cluster]) async throws {
        for _ in 0..<150 {
            await client.refreshHealth()
            let ready = clusters.allSatisfy { cluster in
                let roles = client.memberRoles(cluster: cluster.name)
                return roles.contains { $0.role == .leader } && roles.filter { $0.role == .replica }.count >= 1
            }
            if ready { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw VerifyError("no leader and replica seen in every cluster within 30 s")
    }

    /// Creates the check's table on the cluster's leader (as the superuser, through HAProxy's
    /// read-write frontend) and lets the application role use it.
    private func setUp(_ cluster: ClientTopology.Cluster, database: String, tls: EndpointTLS) async throws {
        guard let endpoint = cluster.readWrite else { return }
        try await Superuser.run(spec, tls: tls, host: endpoint.host, port: endpoint.port, database: database) { connection in
            let logger = connection.logger
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS public.topoc_verify (session int NOT NULL, seq int NOT NULL, PRIMARY KEY (session, seq))",
                logger: logger)
            try await connection.query("TRUNCATE public.topoc_verify", logger: logger)
            // format('%I') quotes the role name on the server.
            let rows = try await connection.query(
                "SELECT format('GRANT SELECT, INSERT ON public.topoc_verify TO %I', \(spec.username))", logger: logger)
            for try await statement in rows.decode(String.self) {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }

    /// Every sequence present at the end, by session, read at strong.
    private func survivingRows(_ client: TopologyClient, _ databases: [String]) async throws -> [Int: Set<Int>] {
        var result: [Int: Set<Int>] = [:]
        let session = ClientSession()
        for database in databases {
            // After a leader kill the cluster may still be failing over: keep asking for up to 90 s.
            var rows: [[Int]]?
            let deadline = Date().addingTimeInterval(90)
            while rows == nil {
                do {
                    rows = try await client.read(database: database, consistency: .strong, session: session) { connection in
                        var pairs: [[Int]] = []
                        let rows = try await connection.query("SELECT session, seq FROM public.topoc_verify", logger: connection.logger)
                        for try await (session, seq) in rows.decode((Int, Int).self) { pairs.append([session, seq]) }
                        return pairs
                    }.0
                } catch {
                    if Date() > deadline { throw error }
                    try await Task.sleep(for: .seconds(1))
                }
            }
            for pair in rows ?? [] { result[pair[0], default: []].insert(pair[1]) }
        }
        return result
    }
}

/// An error of the run itself (not a violation).
struct VerifyError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
