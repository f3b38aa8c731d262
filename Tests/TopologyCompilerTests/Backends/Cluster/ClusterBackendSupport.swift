import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

/// Shared helpers of the cluster backend tests: plans, artifacts and a YAML reader that is the
/// one Patroni uses (PyYAML, YAML 1.1), so quoting is checked against the real consumer.
enum ClusterBackendSupport {
    /// The cluster backends (the kubernetes one writes the kubernetes target's, the others the
    /// compose and local targets').
    static let backends: [any Backend] = [
        EtcdBackend(), PatroniBackend(), HAProxyBackend(), PgBouncerBackend(), ComposeBackend(), KubernetesBackend(),
        DebeziumBackend(), DeployBackend(),
    ]

    /// Every cluster artifact of a plan, by path.
    static func artifacts(_ plan: Plan) -> [String: String] {
        var result: [String: String] = [:]
        for artifact in backends.flatMap({ $0.artifacts(for: plan) }) {
            #expect(result[artifact.path] == nil, "two artifacts at \(artifact.path)")
            result[artifact.path] = String(decoding: artifact.contents, as: UTF8.self)
        }
        return result
    }

    /// A small topology: one 3-member cluster, a CDC slot with a Debezium sink and a scheduled view.
    static func topology(synchronous: Bool = true, nofailover: Bool = true, watchdog: String = "automatic") -> String {
        """
        version: 1
        topology: demo
        postgres: 15
        guarantees:
          consistency: read-your-writes
          partition: CP
          rpo: \(synchronous ? "0" : "5s")
          rto: 60s
        secrets:
          superuser: { env: DEMO_SUPERUSER_PASSWORD }
          replication: { env: DEMO_REPLICATION_PASSWORD }
          app: { env: DEMO_APP_PASSWORD }
          rest_api: { env: DEMO_API_PASSWORD }
        clusters:
          main:
            members:
              - {}
              - {}
              - { nofailover: \(nofailover) }
            replication: \(synchronous ? "{ mode: synchronous, sync_count: 1, strict: true }" : "{ mode: asynchronous, max_lag_on_failover: 2MB }")
            failover: { ttl: 30s, loop_wait: 10s, retry_timeout: 10s, watchdog: \(watchdog) }
            settings: { max_connections: 150, max_wal_senders: 12, max_replication_slots: 12 }
        pooling:
          mode: transaction
          max_client_conn: 500
          read_write: { pool_size: 20, reserve: 4 }
          read_only: { pool_size: 16, reserve: 4 }
        tables:
          orders:
            columns:
              order_id: bigint
              total: { type: "numeric(12,2)", nullable: false }
              created_at: { type: timestamptz, nullable: false, default: now() }
            primary_key: order_id
        views:
          daily:
            materialized: true
            query: SELECT date_trunc('day', created_at) AS day, sum(total) AS total FROM orders GROUP BY 1
            unique_key: [day]
            refresh: { schedule: "0 * * * *", concurrently: true }
        cdc:
          publication: demo_orders
          slot: demo_orders_debezium
          plugin: pgoutput
          sink: { topic_prefix: demo, snapshot_mode: initial }
          tables:
            orders: { method: logical }
        \(synchronous ? "" : "rules: { TBK701: off } # these tests are about Patroni, not backups (BackupBackendTests)")
        deployment:
          local:
            base_port: 34000

        """
    }

    /// Plans the small topology.
    static func plan(target: DeploymentTarget, synchronous: Bool = true, watchdog: String = "automatic") -> Plan? {
        PlanTestSupport.plan(topology(synchronous: synchronous, watchdog: watchdog), target: target)
    }

    /// Parses YAML with PyYAML (what Patroni and docker-compose 1.x read) into JSON values;
    /// nil when python3 with PyYAML is not installed.
    static func pyyaml(_ text: String) -> Any? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return nil }
        let result = Subprocess.run(
            ["/usr/bin/python3", "-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", write(text)],
            environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"], timeout: 30)
        guard result.status == 0 else {
            if result.error.contains("No module named 'yaml'") { return nil }
            Issue.record("PyYAML rejects the document: \(result.error)\n\(text)")
            return nil
        }
        return try? JSONSerialization.jsonObject(with: Data(result.output.utf8), options: [.fragmentsAllowed])
    }

    /// Writes text to a fresh temporary file and returns its path.
    static func write(_ text: String, name: String = "file.yml") -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("topoc-backend-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try? text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Follows a path of keys through nested dictionaries.
    static func dig(_ value: Any?, _ keys: String...) -> Any? {
        var current = value
        for key in keys { current = (current as? [String: Any])?[key] }
        return current
    }
}
