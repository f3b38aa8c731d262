import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

/// docker-compose.yml: validated by docker-compose itself and read back to check its services.
struct ComposeBackendTests {
    /// Writes every artifact of a plan into a fresh folder and returns the cluster folder.
    private func materialize(_ plan: Plan) -> URL {
        let root = URL(fileURLWithPath: ClusterBackendSupport.write("", name: "unused")).deletingLastPathComponent()
        for artifact in CompilerDriver.artifacts(
            for: plan, only: ["etcd", "patroni", "haproxy", "pgbouncer", "compose", "debezium", "deploy"])
        {
            let url = root.appendingPathComponent(artifact.path)
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? Data(artifact.contents).write(to: url)
        }
        return root.appendingPathComponent(ClusterLayout.root)
    }

    /// docker-compose itself, or nil (recorded as a failure under CI) when it is not installed.
    private func dockerCompose() -> String? {
        let program = "/usr/bin/docker-compose"
        guard FileManager.default.isExecutableFile(atPath: program) else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("docker-compose is missing under CI (scripts/install-deps.sh installs it)")
            }
            return nil
        }
        return program
    }

    /// The environment compose interpolates: every secret's variable set.
    private func environment(_ plan: Plan) -> [String: String] {
        var environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        for variable in LocalSecrets.variables(of: plan) { environment[variable] = "not-a-real-password" }
        if plan.tls?.usesDefaultDirectory == true { environment[ComposeFile.tlsDirectoryVariable] = "/etc/ssl/topoc" }
        return environment
    }

    /// Every example's compose file, and the test topology's, passes `docker-compose config`; an
    /// unset secret makes compose refuse.
    @Test(arguments: ["#demo"] + (try PlanTestSupport.exampleNames()))
    func dockerComposeAcceptsTheFile(example: String) throws {
        guard let program = dockerCompose() else { return }
        let plan = try #require(
            example == "#demo" ? ClusterBackendSupport.plan(target: .compose) : try PlanTestSupport.plan(example: example))
        let folder = materialize(plan)
        var environment = environment(plan)
        let checked = Subprocess.run([program, "config", "-q"], environment: environment, directory: folder, timeout: 60)
        #expect(checked.status == 0, "\(plan.topology): \(checked.error)")
        if plan.tls != nil {
            var withoutFolder = environment
            withoutFolder.removeValue(forKey: ComposeFile.tlsDirectoryVariable)
            let refused = Subprocess.run([program, "config", "-q"], environment: withoutFolder, directory: folder, timeout: 60)
            #expect(refused.status != 0, "compose refuses to run without \(ComposeFile.tlsDirectoryVariable)")
        }
        environment.removeValue(forKey: plan.secrets.superuser)
        let unset = Subprocess.run([program, "config", "-q"], environment: environment, directory: folder, timeout: 60)
        #expect(unset.status != 0, "compose refuses to run without \(plan.secrets.superuser)")
    }

    /// A multi-region topology: one network per region; a member joins its own region's only,
    /// etcd (unless it is a region's own), HAProxy and PgBouncer join every region's. Read back from compose's resolved config.
    @Test(arguments: ["global-geo.yaml", "multi-primary-ap.yaml", "global-composite.yaml"])
    func regionsGetTheirOwnNetworks(example: String) throws {
        guard let program = dockerCompose() else { return }
        let plan = try #require(try PlanTestSupport.plan(example: example))
        #expect(plan.regions.count >= 2)
        let folder = materialize(plan)
        let resolved = Subprocess.run([program, "config"], environment: environment(plan), directory: folder, timeout: 60)
        #expect(resolved.status == 0, "\(resolved.error)")
        guard let compose = ClusterBackendSupport.pyyaml(resolved.output) else { return }
        let networks = try #require(ClusterBackendSupport.dig(compose, "networks") as? [String: Any])
        #expect(Set(networks.keys) == Set(plan.regions.map { "region-\($0)" }))
        let services = try #require(ClusterBackendSupport.dig(compose, "services") as? [String: Any])
        func joined(_ service: String) -> Set<String> {
            Set(((ClusterBackendSupport.dig(services, service, "networks") as? [String: Any]) ?? [:]).keys)
        }
        let everyRegion = Set(networks.keys)
        for shared in plan.etcd.filter({ $0.region == nil }).map(\.name) + [plan.pooler.host] + plan.pooler.frontends.map(\.host) {
            #expect(joined(shared) == everyRegion, "\(shared) reaches every region")
        }
        // A region's own etcd cluster (multi-primary groups across regions) joins its region's network only.
        for member in plan.etcd {
            guard let region = member.region else { continue }
            #expect(joined(member.name) == ["region-\(region)"], "\(member.name) joins only its region's network")
        }
        for cluster in plan.clusters {
            for member in cluster.members {
                let region = try #require(member.region, "\(member.name) has a region")
                #expect(joined(member.name) == ["region-\(region)"], "\(member.name) joins only its region's network")
            }
        }
    }

    /// A multi-primary member writes its subscriptions' password file before Patroni starts, and
    /// each publisher's Patroni keeps its peers' slots as permanent slots.
    @Test func multiPrimaryMembersWriteThePasswordFileAndKeepThePeersSlots() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "multi-primary-ap.yaml"))
        let group = try #require(plan.multiPrimaryGroups.first)
        #expect(group.links.count == 2)
        let artifacts = ClusterBackendSupport.artifacts(plan)
        #expect(artifacts[ClusterLayout.peerPassfileScriptPath]?.contains(plan.secrets.multiPrimary) == true)
        #expect(artifacts[ClusterLayout.peerPassfileScriptPath]?.contains("PATRONI_SUPERUSER_PASSWORD") == false, "not the superuser's")
        // Every member holds every change: one Debezium connector, on the group's first cluster,
        // sees each change once.
        let connectors = artifacts.keys.filter { $0.hasPrefix("cluster/debezium/") }
        #expect(connectors == ["cluster/debezium/\(group.clusters[0])/\(plan.replication.slots[0].name).json"])
        let text = try #require(artifacts[ClusterLayout.composePath])
        guard let compose = ClusterBackendSupport.pyyaml(text) else { return }
        for cluster in plan.clusters {
            for member in cluster.members {
                let command = try #require(ClusterBackendSupport.dig(compose, "services", member.name, "command") as? [String])
                #expect(command.count == 3 && command[0] == "sh" && command[1] == "-c")
                #expect(
                    command.last?.hasPrefix("sh /etc/topoc/patroni/make-peer-pgpass.sh '\(member.dataDirectory)' && exec patroni ") == true)
                let volumes = try #require(ClusterBackendSupport.dig(compose, "services", member.name, "volumes") as? [String])
                #expect(volumes.contains("./patroni/make-peer-pgpass.sh:/etc/topoc/patroni/make-peer-pgpass.sh:ro"))
            }
            let patroni = try #require(artifacts[ClusterLayout.patroniPath(cluster: cluster.name, member: cluster.members[0].name)])
            for link in group.links where link.publisher == cluster.name {
                #expect(patroni.contains("    \(link.slot):\n"), "\(cluster.name) keeps \(link.slot)")
            }
        }
    }

    /// Without regions everything shares compose's default network.
    @Test func singleRegionUsesTheDefaultNetwork() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "ecommerce.yaml"))
        #expect(plan.regions.isEmpty)
        let text = try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.composePath])
        #expect(!text.contains("networks:"))
    }

    @Test func servicesHealthchecksAndMounts() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .compose))
        let artifacts = ClusterBackendSupport.artifacts(plan)
        let text = try #require(artifacts[ClusterLayout.composePath])
        guard let compose = ClusterBackendSupport.pyyaml(text) else { return }
        let services = try #require(ClusterBackendSupport.dig(compose, "services") as? [String: Any])
        let expected = [
            "etcd1", "etcd2", "etcd3", "main-0", "main-1", "main-2", "haproxy", "schema", "pgbouncer", "zookeeper", "kafka", "connect",
        ]
        #expect(Set(services.keys) == Set(expected))
        for member in plan.clusters[0].members {
            let service = try #require(services[member.name] as? [String: Any])
            let test = ClusterBackendSupport.dig(service, "healthcheck", "test") as? [String]
            #expect(test == ["CMD-SHELL", "curl -fsS -o /dev/null 'http://localhost:\(member.restPort)/health'"])
            let volumes = try #require(service["volumes"] as? [String])
            let path = ClusterLayout.patroniPath(cluster: "main", member: member.name)
            let mount = try #require(volumes.first { $0.hasSuffix(".yml:ro") })
            let source = String(mount.prefix { $0 != ":" })
            #expect(artifacts["cluster/" + source.dropFirst(2)] != nil, "\(member.name) mounts \(source), which the Patroni backend wrote")
            #expect(source == "./" + path.dropFirst("cluster/".count))
            let command = try #require(service["command"] as? [String])
            #expect(command == ["patroni", "/etc/topoc/" + path.dropFirst("cluster/".count)])
            let environment = try #require(service["environment"] as? [String: String])
            #expect(environment["PATRONI_SUPERUSER_PASSWORD"] == "${DEMO_SUPERUSER_PASSWORD:?set DEMO_SUPERUSER_PASSWORD}")
            #expect(environment["PATRONI_REPLICATION_PASSWORD"] == "${DEMO_REPLICATION_PASSWORD:?set DEMO_REPLICATION_PASSWORD}")
            #expect(environment["PATRONI_RESTAPI_PASSWORD"] == "${DEMO_API_PASSWORD:?set DEMO_API_PASSWORD}")
        }
        for (name, service) in services {
            #expect((service as? [String: Any])?["ports"] == nil, "\(name) publishes nothing on the host")
        }
        #expect(ClusterBackendSupport.dig(services, "connect", "environment", "CONNECT_CONFIG_PROVIDERS") as? String == "env")
        #expect(artifacts[ClusterLayout.dockerfilePath]?.contains("\nFROM \(ImagePins.baseImage)\n") == true)
        #expect(artifacts[ClusterLayout.dockerfilePath]?.contains("postgresql-15-cron") == true)
    }

    @Test func publishesOnlyPgBouncerOnTheDeclaredAddress() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "single-node.yaml"))
        #expect(plan.pooler.publishAddress == "127.0.0.1")
        let text = try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.composePath])
        guard let compose = ClusterBackendSupport.pyyaml(text) else { return }
        let services = try #require(ClusterBackendSupport.dig(compose, "services") as? [String: Any])
        for (name, service) in services {
            let ports = (service as? [String: Any])?["ports"] as? [String]
            if name == plan.pooler.host {
                #expect(ports == ["127.0.0.1:\(plan.pooler.port):\(plan.pooler.port)"])
            } else {
                #expect(ports == nil, "\(name) publishes nothing on the host")
            }
        }
        let local = try #require(try PlanTestSupport.plan(example: "single-node.yaml", target: .local))
        #expect(local.pooler.publishAddress == nil)
    }

    @Test func localTargetHasNoComposeFile() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .local))
        #expect(ClusterBackendSupport.artifacts(plan)[ClusterLayout.composePath] == nil)
    }
}
