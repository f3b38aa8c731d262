import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

/// The compose file's readiness and resource settings, read back with PyYAML (docker-compose's own
/// YAML reader); `scripts/test-compose.sh` runs the same file under podman.
struct ComposeReadinessTests {
    private func services(_ plan: Plan) throws -> [String: [String: Any]] {
        let text = try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.composePath])
        let compose = try #require(ClusterBackendSupport.pyyaml(text))
        let services = try #require(ClusterBackendSupport.dig(compose, "services") as? [String: Any])
        return services.compactMapValues { $0 as? [String: Any] }
    }

    /// The condition of each dependency of a service.
    private func conditions(_ service: [String: Any]?) -> [String: String] {
        ((service?["depends_on"] as? [String: Any]) ?? [:]).compactMapValues { ($0 as? [String: Any])?["condition"] as? String }
    }

    /// Every long-running service has a shell healthcheck (the exec form breaks under
    /// podman-compose), and each waits for what it needs: members for a healthy etcd, the schema
    /// service for healthy members, PgBouncer for a healthy HAProxy and a completed schema,
    /// Connect for a healthy Kafka and HAProxy.
    @Test func everyServiceHasAHealthcheckAndWaitsForWhatItNeeds() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .compose))
        let services = try services(plan)
        for (name, service) in services where name != ComposeSchemaService.name {
            let test = ClusterBackendSupport.dig(service, "healthcheck", "test") as? [String]
            #expect(test?.count == 2 && test?.first == "CMD-SHELL", "\(name) has a CMD-SHELL healthcheck")
        }
        #expect(services[ComposeSchemaService.name]?["healthcheck"] == nil, "a one-shot service has no healthcheck")
        #expect(services[ComposeSchemaService.name]?["restart"] as? String == "no")
        let etcd = Dictionary(uniqueKeysWithValues: plan.etcd.map { ($0.name, "service_healthy") })
        let members = plan.clusters.flatMap(\.members)
        for member in members {
            #expect(conditions(services[member.name]) == etcd, "\(member.name) waits for a healthy etcd")
        }
        #expect(
            conditions(services[ComposeSchemaService.name])
                == Dictionary(uniqueKeysWithValues: members.map { ($0.name, "service_healthy") }))
        #expect(
            conditions(services[plan.pooler.host])
                == ["haproxy": "service_healthy", ComposeSchemaService.name: "service_completed_successfully"])
        #expect(conditions(services["connect"]) == ["kafka": "service_healthy", "haproxy": "service_healthy"])
        #expect(conditions(services["kafka"]) == ["zookeeper": "service_healthy"])
        let haproxy = try #require(ClusterBackendSupport.dig(services, "haproxy", "healthcheck", "test") as? [String])
        #expect(haproxy.last == "pg_isready -q -t 2 -h 127.0.0.1 -p \(plan.pooler.frontends[0].readWritePort)")
        let pgbouncer = try #require(ClusterBackendSupport.dig(services, plan.pooler.host, "healthcheck", "test") as? [String])
        #expect(pgbouncer.last == "pg_isready -q -t 2 -h 127.0.0.1 -p \(plan.pooler.port)")
    }

    /// Members get a /dev/shm for parallel query; PgBouncer an open-file limit at least its
    /// expected use (max_client_conn + 10 + pool sizes with reserves per login role) and a
    /// process limit beside it; no container gets a watchdog device, even where one is required.
    @Test func shmUlimitsAndNoWatchdogDevice() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .compose, watchdog: "required"))
        let services = try services(plan)
        for member in plan.clusters.flatMap(\.members) {
            #expect(services[member.name]?["shm_size"] as? String == "1g")
        }
        let nofile = try #require(ClusterBackendSupport.dig(services, plan.pooler.host, "ulimits", "nofile") as? [String: Any])
        // PgBouncer's own estimate: max_client_conn + 10 + every (database, user) pool's servers.
        let pooler = plan.pooler
        let perUser =
            pooler.readWritePoolSize + pooler.readWriteReserve + (pooler.readOnlyPoolSize ?? pooler.readWritePoolSize)
            + (pooler.readOnlyReserve ?? 0)
        let expected = pooler.maxClientConnections + 10 + perUser * ClusterLayout.loginSecrets(plan).count
        #expect(plan.databases.count == 1 && ComposeFile.pgbouncerOpenFiles(plan: plan) == expected)
        #expect((nofile["soft"] as? Int).map { $0 >= expected && $0 % 1024 == 0 } == true, "\(nofile)")
        #expect(nofile["soft"] as? Int == nofile["hard"] as? Int)
        #expect(ClusterBackendSupport.dig(services, plan.pooler.host, "ulimits", "nproc", "hard") as? Int == 32768)
        for (name, service) in services {
            #expect(service["devices"] == nil, "\(name) maps no device")
        }
    }

    /// Without `bootstrap_servers` compose starts ZooKeeper and Kafka, with volumes, and Connect
    /// writes there; with it, compose starts neither and Connect writes to the named Kafka.
    @Test func connectWritesToTheKafkaComposeStartsOrToTheNamedOneNeverBoth() throws {
        let local = try #require(ClusterBackendSupport.plan(target: .compose))
        let started = try services(local)
        #expect(ClusterBackendSupport.dig(started, "connect", "environment", "BOOTSTRAP_SERVERS") as? String == "kafka:9092")
        #expect(ClusterBackendSupport.dig(started, "kafka", "volumes") as? [String] == ["kafka-data:/kafka/data"])
        #expect(
            ClusterBackendSupport.dig(started, "zookeeper", "volumes") as? [String]
                == ["zookeeper-data:/zookeeper/data", "zookeeper-txns:/zookeeper/txns"])
        let external = try #require(try PlanTestSupport.plan(example: "multi-primary-ap.yaml"))
        let servers = try #require(external.replication.sink?.bootstrapServers)
        let named = try services(external)
        #expect(named["kafka"] == nil && named["zookeeper"] == nil)
        #expect(ClusterBackendSupport.dig(named, "connect", "environment", "BOOTSTRAP_SERVERS") as? String == servers)
        #expect(conditions(named["connect"]).keys.contains("kafka") == false)
    }

    /// HAProxy resolves service names with the container's own resolver (Docker's and podman's
    /// alike), prefers IPv4, and the configuration passes `haproxy -c`.
    @Test func haproxyUsesTheContainersResolver() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .compose))
        let config = try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.haproxyPath])
        #expect(config.contains("resolvers compose\n    parse-resolv-conf\n"))
        #expect(!config.contains("127.0.0.11"))
        #expect(config.contains("init-addr last,libc,none resolvers compose resolve-prefer ipv4"))
        if FileManager.default.isExecutableFile(atPath: "/usr/sbin/haproxy") || ProcessInfo.processInfo.environment["CI"] != nil {
            // haproxy -c resolves server names: give it a config whose members resolve here.
            var local = config
            for member in plan.clusters.flatMap(\.members) {
                local = local.replacingOccurrences(of: " \(member.host):", with: " 127.0.0.1:")
            }
            let check = Subprocess.run(
                ["/usr/sbin/haproxy", "-c", "-f", ClusterBackendSupport.write(local, name: "haproxy.cfg")], environment: [:])
            #expect(check.status == 0, "\(check.output)\(check.error)")
        }
    }
}
