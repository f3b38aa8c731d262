import Foundation
import Testing

@testable import TopologyCompiler

/// HAProxy, PgBouncer, Debezium and the README.
struct RoutingBackendsTests {
    @Test func haproxyFollowsTheLeaderAndBoundsReplicaLag() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .local))
        let config = try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.haproxyPath])
        let frontend = try #require(plan.pooler.frontends.first)
        #expect(
            config.contains(
                "listen main_rw\n    bind 127.0.0.1:\(frontend.readWritePort)\n    option httpchk GET /primary\n    http-check expect status 200"
            ))
        #expect(
            config.contains(
                "listen main_ro\n    bind 127.0.0.1:\(frontend.readOnlyPort)\n    balance roundrobin\n    option httpchk GET /replica?lag=1048576"
            ))
        #expect(config.contains("on-marked-down shutdown-sessions"))
        for member in plan.clusters[0].members {
            #expect(config.contains("server \(member.name) 127.0.0.1:\(member.port) check port \(member.restPort)"))
        }
        if FileManager.default.isExecutableFile(atPath: "/usr/sbin/haproxy") {
            let check = Subprocess.run(
                ["/usr/sbin/haproxy", "-c", "-f", ClusterBackendSupport.write(config, name: "haproxy.cfg")], environment: [:])
            #expect(check.status == 0, "\(check.output)\(check.error)")
        }
    }

    @Test func pgbouncerPoolsPointAtTheFrontends() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .compose))
        let ini = try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.pgbouncerPath])
        #expect(ini.contains("demo = host=haproxy port=5000 dbname=demo pool_size=20 reserve_pool=4"))
        #expect(ini.contains("demo_ro = host=haproxy port=5001 dbname=demo pool_size=40 reserve_pool=8"))
        for line in [
            "auth_type = scram-sha-256", "pool_mode = transaction", "max_client_conn = 500",
            "ignore_startup_parameters = extra_float_digits", "auth_file = /tmp/pgbouncer/userlist.txt",
        ] {
            #expect(ini.contains(line + "\n"), "\(line)")
        }
    }

    @Test func makeUserlistWritesQuotedEntriesFromTheEnvironment() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .compose))
        let script = ClusterBackendSupport.write(
            try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.userlistScriptPath]), name: "make-userlist.sh")
        let out = URL(fileURLWithPath: script).deletingLastPathComponent().appendingPathComponent("auth/userlist.txt").path
        let missing = Subprocess.run(["/bin/sh", script, out], environment: ["PATH": "/usr/bin:/bin"])
        #expect(missing.status != 0, "refuses to run without the secrets")
        let made = Subprocess.run(
            ["/bin/sh", script, out],
            environment: ["PATH": "/usr/bin:/bin", "DEMO_SUPERUSER_PASSWORD": "s\"q 'x", "DEMO_APP_PASSWORD": "app$pw"])
        #expect(made.status == 0, "\(made.error)")
        #expect((try? String(contentsOfFile: out, encoding: .utf8)) == "\"postgres\" \"s\"\"q 'x\"\n\"app\" \"app$pw\"\n")
        let mode = (try? FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        let broken = Subprocess.run(
            ["/bin/sh", script, out],
            environment: ["PATH": "/usr/bin:/bin", "DEMO_SUPERUSER_PASSWORD": "two\nlines", "DEMO_APP_PASSWORD": "app$pw"])
        #expect(broken.status != 0)
        #expect(broken.error.contains("DEMO_SUPERUSER_PASSWORD holds a line break"), "\(broken.error)")
        #expect(
            (try? String(contentsOfFile: out, encoding: .utf8)) == "\"postgres\" \"s\"\"q 'x\"\n\"app\" \"app$pw\"\n",
            "the previous auth_file is left as it was")
    }

    @Test func makePeerPgpassEscapesThePasswordAndRefusesALineBreak() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "multi-primary-ap.yaml"))
        let script = ClusterBackendSupport.write(
            try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.peerPassfileScriptPath]), name: "make-peer-pgpass.sh")
        let data = URL(fileURLWithPath: script).deletingLastPathComponent().appendingPathComponent("member/data").path
        let file = URL(fileURLWithPath: data).deletingLastPathComponent().appendingPathComponent(ClusterLayout.peerPassfileName).path
        #expect(Subprocess.run(["/bin/sh", script, data], environment: ["PATH": "/usr/bin:/bin"]).status != 0, "needs the password")
        let made = Subprocess.run(
            ["/bin/sh", script, data], environment: ["PATH": "/usr/bin:/bin", "PATRONI_SUPERUSER_PASSWORD": #"p:w\d"#])
        #expect(made.status == 0, "\(made.error)")
        #expect((try? String(contentsOfFile: file, encoding: .utf8)) == #"*:*:*:postgres:p\:w\\d"# + "\n")
        let mode = (try? FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        let broken = Subprocess.run(
            ["/bin/sh", script, data], environment: ["PATH": "/usr/bin:/bin", "PATRONI_SUPERUSER_PASSWORD": "two\nlines"])
        #expect(broken.status != 0)
        #expect(broken.error.contains("holds a line break"), "\(broken.error)")
        #expect((try? String(contentsOfFile: file, encoding: .utf8)) == #"*:*:*:postgres:p\:w\\d"# + "\n", "the previous file stays")
    }

    @Test func debeziumConnectorReadsThePermanentSlotThroughTheLeader() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .compose))
        let text = try #require(
            ClusterBackendSupport.artifacts(plan)[ClusterLayout.debeziumPath(cluster: "main", slot: "demo_orders_debezium")])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let config = try #require(json["config"] as? [String: String])
        #expect(config["connector.class"] == "io.debezium.connector.postgresql.PostgresConnector")
        #expect(config["plugin.name"] == "pgoutput")
        #expect(config["slot.name"] == "demo_orders_debezium")
        #expect(config["publication.name"] == "demo_orders")
        #expect(config["publication.autocreate.mode"] == "filtered")
        #expect(config["table.include.list"] == "public.orders")
        #expect(config["topic.prefix"] == "demo")
        #expect(config["snapshot.mode"] == "initial")
        #expect(config["database.hostname"] == "haproxy")
        #expect(config["database.port"] == "5000", "the read-write frontend")
        #expect(config["database.password"] == "${env:DEMO_SUPERUSER_PASSWORD}")
    }

    @Test func readmeSaysHowToBringEachArtifactUp() throws {
        for target in DeploymentTarget.allCases {
            let plan = try #require(ClusterBackendSupport.plan(target: target))
            let readme = try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.readmePath])
            for variable in ["DEMO_SUPERUSER_PASSWORD", "DEMO_REPLICATION_PASSWORD", "DEMO_APP_PASSWORD", "DEMO_API_PASSWORD"] {
                #expect(readme.contains(variable))
            }
            #expect(readme.contains(target == .compose ? "docker-compose up -d" : "topoc up"))
            #expect(readme.contains("/connectors"), "Debezium registration")
        }
    }
}
