import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

/// The Patroni configuration of every member, read back with PyYAML.
struct PatroniBackendTests {
    @Test func oneConfigurationPerMemberWithDecidedSettings() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .compose))
        let artifacts = ClusterBackendSupport.artifacts(plan)
        let cluster = plan.clusters[0]
        for member in cluster.members {
            let text = try #require(artifacts[ClusterLayout.patroniPath(cluster: cluster.name, member: member.name)])
            guard let yaml = ClusterBackendSupport.pyyaml(text) else { continue }
            let dig = { (keys: [String]) in keys.reduce(yaml as Any?) { ($0 as? [String: Any])?[$1] } }
            #expect(dig(["scope"]) as? String == cluster.name)
            #expect(dig(["name"]) as? String == member.name)
            #expect(dig(["restapi", "listen"]) as? String == "0.0.0.0:8008")
            #expect(dig(["restapi", "connect_address"]) as? String == "\(member.name):8008")
            #expect(dig(["restapi", "authentication", "username"]) as? String == "patroni")
            #expect(dig(["restapi", "authentication", "password"]) == nil, "the REST password comes from PATRONI_RESTAPI_PASSWORD")
            #expect(dig(["etcd3", "hosts"]) as? [String] == ["etcd1:2379", "etcd2:2379", "etcd3:2379"])
            #expect(dig(["postgresql", "data_dir"]) as? String == member.dataDirectory)
            #expect(dig(["postgresql", "connect_address"]) as? String == "\(member.name):5432")
            #expect(dig(["postgresql", "authentication", "superuser", "password"]) == nil)
            #expect(dig(["tags", "nofailover"]) as? Bool == member.noFailover)
            #expect(dig(["watchdog", "mode"]) as? String == "automatic")
            #expect(dig(["bootstrap", "dcs", "ttl"]) as? Int == 30)
            #expect(dig(["bootstrap", "dcs", "loop_wait"]) as? Int == 10)
            #expect(dig(["bootstrap", "dcs", "retry_timeout"]) as? Int == 10)
            #expect(dig(["bootstrap", "dcs", "synchronous_mode"]) as? Bool == true)
            #expect(dig(["bootstrap", "dcs", "synchronous_mode_strict"]) as? Bool == true)
            #expect(dig(["bootstrap", "dcs", "synchronous_node_count"]) as? Int == 1)
            #expect(dig(["bootstrap", "dcs", "maximum_lag_on_failover"]) as? Int == 1_048_576)
            #expect(dig(["bootstrap", "dcs", "postgresql", "use_slots"]) as? Bool == true)
            for wipe in ["remove_data_directory_on_rewind_failure", "remove_data_directory_on_diverged_timelines"] {
                #expect(dig(["bootstrap", "dcs", "postgresql", wipe]) as? Bool == false, "\(wipe): never wipe unreplicated commits")
            }
            #expect(dig(["postgresql", "authentication", "rewind", "username"]) as? String == plan.roles.rewind)
            let parameters = try #require(dig(["bootstrap", "dcs", "postgresql", "parameters"]) as? [String: Any])
            #expect(parameters["wal_level"] as? String == "logical", "the plan captures changes logically")
            #expect(parameters["shared_preload_libraries"] as? String == "pg_cron", "a view refreshes on a schedule")
            #expect(parameters["cron.database_name"] as? String == "postgres", "where cron.sql creates the extension")
            #expect(parameters["cron.use_background_workers"] as? String == "on", "jobs need no password")
            #expect(parameters["max_worker_processes"] as? String == "16")
            #expect(parameters["max_connections"] as? String == "150")
            #expect(parameters["max_wal_senders"] as? String == "12")
            #expect(parameters["synchronous_commit"] as? String == cluster.decided.synchronousCommit)
            let slot = try #require(dig(["bootstrap", "dcs", "slots", "demo_orders_debezium"]) as? [String: Any])
            #expect(slot["type"] as? String == "logical")
            #expect(slot["database"] as? String == "demo")
            #expect(slot["plugin"] as? String == "pgoutput")
            let hba = try #require(dig(["postgresql", "pg_hba"]) as? [String])
            #expect(hba.contains("host replication replicator 0.0.0.0/0 scram-sha-256"))
            #expect(hba.allSatisfy { !$0.contains(" md5") && !$0.contains(" trust") })
        }
    }

    @Test(arguments: [2, 4, 5])
    func multiPrimaryMembersGetAnApplyWorkerPerPeer(clusters: Int) throws {
        let names = (0..<clusters).map { "c\($0)" }
        let yaml = """
            topology: mesh
            postgres: 16
            guarantees: { partition: AP }
            clusters:
            \(names.map { "  \($0): { members: 1 }" }.joined(separator: "\n"))
            multi_primary:
              mesh: { clusters: [\(names.joined(separator: ", "))], conflict: application }
            tables:
              items: { columns: { id: bigint }, primary_key: id }
            rules: { THA315: off }

            """
        let plan = try #require(PlanTestSupport.plan(yaml))
        let parameters = Dictionary(
            uniqueKeysWithValues: PatroniConfig.parameters(cluster: plan.clusters[0], plan: plan).map { ($0.key, $0.value) })
        #expect(parameters["wal_level"] == "logical")
        if clusters - 1 > 3 {
            #expect(parameters["max_logical_replication_workers"] == String(clusters + 1))
            #expect(parameters["max_worker_processes"] == String(clusters + 9))
        } else {
            #expect(parameters["max_logical_replication_workers"] == nil, "PostgreSQL's default 4 is enough")
        }
    }

    @Test func asynchronousClusterAndWatchdogOff() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .compose, synchronous: false, watchdog: "off"))
        let text = try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.patroniPath(cluster: "main", member: "main-0")])
        guard let yaml = ClusterBackendSupport.pyyaml(text) else { return }
        #expect(ClusterBackendSupport.dig(yaml, "bootstrap", "dcs", "synchronous_mode") as? Bool == false)
        #expect(ClusterBackendSupport.dig(yaml, "bootstrap", "dcs", "synchronous_node_count") == nil)
        #expect(ClusterBackendSupport.dig(yaml, "bootstrap", "dcs", "maximum_lag_on_failover") as? Int == 2 * 1_048_576)
        #expect(ClusterBackendSupport.dig(yaml, "watchdog", "mode") as? String == "off")
        #expect(ClusterBackendSupport.dig(yaml, "watchdog", "device") == nil)
    }

    @Test func localTargetUsesLoopbackPortsAndPathsRelativeToTheOutputFolder() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .local))
        let artifacts = ClusterBackendSupport.artifacts(plan)
        for member in plan.clusters[0].members {
            let text = try #require(artifacts[ClusterLayout.patroniPath(cluster: "main", member: member.name)])
            guard let yaml = ClusterBackendSupport.pyyaml(text) else { continue }
            #expect(ClusterBackendSupport.dig(yaml, "restapi", "listen") as? String == "127.0.0.1:\(member.restPort)")
            #expect(ClusterBackendSupport.dig(yaml, "postgresql", "listen") as? String == "127.0.0.1:\(member.port)")
            #expect(ClusterBackendSupport.dig(yaml, "postgresql", "data_dir") as? String == "../" + member.dataDirectory)
            #expect(ClusterBackendSupport.dig(yaml, "etcd3", "hosts") as? [String] == ["127.0.0.1:\(plan.etcd[0].clientPort)"])
            #expect(
                ClusterBackendSupport.dig(yaml, "bootstrap", "post_bootstrap") as? String
                    == "sh 'cluster/patroni/main/post-bootstrap.sh'",
                "a shell word: Patroni splits post_bootstrap with shlex.split")
        }
        let etcd = try #require(artifacts[ClusterLayout.etcdPath(member: "etcd1")])
        guard let yaml = ClusterBackendSupport.pyyaml(etcd) else { return }
        #expect(ClusterBackendSupport.dig(yaml, "listen-client-urls") as? String == "http://127.0.0.1:\(plan.etcd[0].clientPort)")
        #expect(ClusterBackendSupport.dig(yaml, "initial-cluster") as? String == "etcd1=http://127.0.0.1:\(plan.etcd[0].peerPort)")
        #expect(ClusterBackendSupport.dig(yaml, "enable-grpc-gateway") as? Bool == true)
    }

    @Test func postBootstrapScriptCreatesRoleAndDatabasesWithoutAPassword() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .compose))
        let script = try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.postBootstrapPath(cluster: "main")])
        #expect(script.contains("CREATE ROLE \"\(plan.roles.application)\" LOGIN"))
        #expect(script.contains("CREATE ROLE \"\(plan.roles.owner)\" NOLOGIN"))
        #expect(script.contains("CREATE DATABASE %I"))
        #expect(script.contains("<<'SQL'"), "a quoted here-document: the shell expands nothing in the SQL")
        for secret in ClusterLayout.loginSecrets(plan) {
            #expect(script.contains("${\(secret.variable):?"), "\(secret.role)'s password is required")
            #expect(script.contains("\\getenv"), "psql reads \(secret.variable) itself")
        }
        let syntax = Subprocess.run(["/bin/sh", "-n", ClusterBackendSupport.write(script, name: "post-bootstrap.sh")], environment: [:])
        #expect(syntax.status == 0, "\(syntax.error)")
    }
}
