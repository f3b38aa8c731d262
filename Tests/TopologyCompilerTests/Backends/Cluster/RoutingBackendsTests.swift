import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

/// HAProxy, PgBouncer, Debezium and the README.
struct RoutingBackendsTests {
    @Test func haproxyFollowsTheLeaderAndBoundsReplicaLag() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .local))
        let config = try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.haproxyPath])
        let frontend = try #require(plan.pooler.frontends.first)
        // Check timing from Patroni's: loop_wait 10 s -> a check every 5 s while up, three failures
        // before the sessions of a leader are cut (one slow REST reply does not cut them).
        let cluster = plan.clusters[0]
        #expect(cluster.failover.loopWait == 10)
        let timing = "    default-server inter 5s fastinter 1s downinter 1s rise 1 fall 3 on-marked-down shutdown-sessions"
        #expect(
            config.contains(
                "listen main_rw\n    bind 127.0.0.1:\(frontend.readWritePort)\n\(timing)\n    option httpchk GET /primary\n    http-check expect status 200"
            ))
        #expect(
            config.contains(
                "listen main_ro\n    bind 127.0.0.1:\(frontend.readOnlyPort)\n\(timing)\n    balance roundrobin\n    option httpchk GET /replica?lag=1048576"
            ))
        #expect(!config.contains("fall 2") && !config.contains("fall 1"), "no single slow reply cuts a healthy leader's sessions")
        for member in plan.clusters[0].members {
            #expect(config.contains("server \(member.name) 127.0.0.1:\(member.port) check port \(member.restPort)\n"))
            #expect(
                config.contains(
                    "server \(member.name) 127.0.0.1:\(member.port) check port \(member.restPort) on-marked-up shutdown-backup-sessions\n"))
            // The fallback: each member as a backup that is up while the rw frontend sees it lead.
            #expect(config.contains("server \(member.name).leader 127.0.0.1:\(member.port) backup track main_rw/\(member.name)\n"))
        }
        #expect(ClusterBackendSupport.artifacts(plan)[HAProxyBackend.stalenessAgentPath] == nil, "no max_staleness, no staleness agent")
        #expect(plan.pooler.stalenessAgentPort == nil)
        Self.haproxyAccepts(config)
    }

    /// `haproxy -c` accepts the configuration (the real parser), where HAProxy is installed.
    static func haproxyAccepts(_ config: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/haproxy") || ProcessInfo.processInfo.environment["CI"] != nil
        else { return }
        // HAProxy loads every `ca-file` while checking: run it where the configuration's CA paths
        // (relative to the output folder) hold a real CA certificate.
        let folder = URL(fileURLWithPath: ClusterBackendSupport.write("", name: "unused")).deletingLastPathComponent()
            .appendingPathComponent("generated")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? config.write(to: folder.appendingPathComponent("haproxy.cfg"), atomically: true, encoding: .utf8)
        let words = config.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        for (index, word) in words.enumerated() where word == "ca-file" && index + 1 < words.count {
            let ca = folder.appendingPathComponent(words[index + 1]).standardizedFileURL
            try? FileManager.default.createDirectory(at: ca.deletingLastPathComponent(), withIntermediateDirectories: true)
            let made = Subprocess.run(
                [
                    "/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                    ca.path + ".key", "-out", ca.path, "-days", "1", "-subj", "/CN=test CA",
                ], environment: ["PATH": "/usr/bin:/bin"])
            #expect(made.status == 0, "\(made.error)", sourceLocation: sourceLocation)
        }
        let check = Subprocess.run(["/usr/sbin/haproxy", "-c", "-f", "haproxy.cfg"], environment: [:], directory: folder)
        #expect(check.status == 0, "\(check.output)\(check.error)", sourceLocation: sourceLocation)
    }

    /// Strong consistency and single members: the read-only frontend follows the leader, exactly
    /// like the read-write one (no standby is sure to have replayed an acknowledged commit).
    @Test(arguments: ["single-node.yaml", "saas-shared-schema.yaml", "global-geo.yaml"])
    func readOnlyFrontendFollowsTheLeader(example: String) throws {
        let plan = try #require(try PlanTestSupport.plan(example: example, target: .local))
        let config = try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.haproxyPath])
        for cluster in plan.clusters {
            let section = ClusterLayout.token(cluster.name)
            let ro = try #require(config.range(of: "listen \(section)_ro\n"))
            let body = String(config[ro.upperBound...]).components(separatedBy: "\n\n")[0]
            #expect(body.contains("    option httpchk GET /primary\n"), "\(example) \(cluster.name): \(body)")
            #expect(!body.contains("/replica") && !body.contains("backup"), "\(example) \(cluster.name)")
        }
        #expect(plan.clusters.allSatisfy { $0.decided.synchronousCommit == "on" }, "no remote_apply")
        Self.haproxyAccepts(config)
    }

    /// `max_staleness`: replicas are checked by asking the staleness agent (bytes and time), the
    /// leader is the fallback, and the check interval is at most half the bound.
    @Test func readOnlyFrontendEnforcesMaxStalenessThroughTheAgent() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "primary-replicas.yaml", target: .local))
        let artifacts = ClusterBackendSupport.artifacts(plan)
        let config = try #require(artifacts[ClusterLayout.haproxyPath])
        let agentPort = try #require(plan.pooler.stalenessAgentPort)
        #expect(agentPort > (plan.pooler.frontends.map(\.readOnlyPort).max() ?? 0), "taken after every other port")
        #expect(!config.contains("external-check"), "no interpreter forked per check")
        #expect(
            config.contains(
                "    default-server inter 2s fastinter 1s downinter 1s rise 1 fall 3 on-marked-down shutdown-sessions\n    balance roundrobin\n"
                    + "    # Asks staleness-agent.py (it polls Patroni); no answer marks the replica down.\n    option tcp-check\n"
                    + "    tcp-check connect addr 127.0.0.1 port \(agentPort)\n    tcp-check send-lf \"%[be_name]/%[srv_name]\\n\"\n"
                    + "    tcp-check expect rstring ^up\n    server main-0 127.0.0.1:26102 check on-marked-up shutdown-backup-sessions\n"
            ))
        let script = try #require(artifacts[HAProxyBackend.stalenessAgentPath])
        #expect(script.hasPrefix("#!/usr/bin/python3\n"))
        let member = plan.clusters[0].members[1]
        #expect(script.contains("LISTEN = (\"127.0.0.1\", \(agentPort))\n"))
        #expect(script.contains("\"main_ro\":{\"lag_bytes\":1048576,\"max_staleness_ms\":5000,\"members\":{"))
        #expect(script.contains("\"\(member.name)\":[\"127.0.0.1\",\(member.restPort)]"))
        let compiled = Subprocess.run(
            ["/usr/bin/python3", "-m", "py_compile", ClusterBackendSupport.write(script, name: "staleness-agent.py")], environment: [:])
        #expect(compiled.status == 0, "\(compiled.error)")
        Self.haproxyAccepts(config)
        // Compose: the agent runs in the HAProxy container, on its loopback.
        let compose = try #require(try PlanTestSupport.plan(example: "primary-replicas.yaml", target: .compose))
        #expect(compose.pooler.stalenessAgentPort == nil)
        let composeConfig = try #require(ClusterBackendSupport.artifacts(compose)[ClusterLayout.haproxyPath])
        #expect(composeConfig.contains("    tcp-check connect addr 127.0.0.1 port \(StalenessAgentScript.composePort)\n"))
    }

    @Test func pgbouncerPoolsPointAtTheFrontends() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .compose))
        let ini = try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.pgbouncerPath])
        // Per (database, user) pool: PgBouncer's auth_user, the application and read-only roles.
        #expect(ini.contains("demo = host='haproxy' port=5000 dbname='demo' pool_size=20 reserve_pool=4 max_db_connections=72\n"))
        #expect(ini.contains("demo_ro = host='haproxy' port=5001 dbname='demo' pool_size=16 reserve_pool=4 max_db_connections=60\n"))
        #expect(ini.contains(";; demo: 3 users x (20 + 4 reserve): app_pgbouncer_auth, app, app_readonly\n"))
        #expect(!ini.contains("max_prepared_statements"), "PgBouncer 1.18 (the default) has no such setting")
        for line in [
            "auth_type = hba", "auth_hba_file = /etc/topoc/pgbouncer/pgbouncer_hba.conf", "pool_mode = transaction",
            "max_client_conn = 500",
            "ignore_startup_parameters = extra_float_digits", "auth_file = /tmp/pgbouncer/userlist.txt",
            "auth_user = app_pgbouncer_auth", "auth_query = SELECT usename, passwd FROM \"topoc_pgbouncer\".\"lookup\"($1)",
            "admin_users = pgbouncer_admin", "stats_users = pgbouncer_admin",
        ] {
            #expect(ini.contains(line + "\n"), "\(line)")
        }
    }

    @Test func pgbouncerRefusesTheSuperuserAndItsOwnAuthUserAsClients() throws {
        let plan = try #require(ClusterBackendSupport.plan(target: .compose))
        let hba = try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.pgbouncerHBAPath])
        let lines = hba.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        let firstAllow = try #require(lines.firstIndex { $0.hasPrefix("host all all") })
        for refused in [plan.roles.superuser, plan.roles.poolerAuth, plan.roles.poolerAdmin] {
            let index = try #require(lines.firstIndex { $0.hasPrefix("host all \(refused) ") && $0.hasSuffix(" reject") })
            #expect(index < firstAllow, "\(refused) is refused before the catch-all line")
        }
        #expect(lines.contains("host pgbouncer \(plan.roles.poolerAdmin) 0.0.0.0/0 scram-sha-256"))
        #expect(lines.allSatisfy { $0.hasSuffix(" reject") || $0.hasSuffix(" scram-sha-256") }, "no trust, no md5")
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
            environment: ["PATH": "/usr/bin:/bin", "TOPOC_POOLER_AUTH_PASSWORD": "s\"q 'x", "TOPOC_POOLER_ADMIN_PASSWORD": "adm$pw"])
        #expect(made.status == 0, "\(made.error)")
        let expected = "\"app_pgbouncer_auth\" \"s\"\"q 'x\"\n\"pgbouncer_admin\" \"adm$pw\"\n"
        #expect((try? String(contentsOfFile: out, encoding: .utf8)) == expected, "PgBouncer's own two users, no superuser, no client role")
        let mode = (try? FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        let broken = Subprocess.run(
            ["/bin/sh", script, out],
            environment: ["PATH": "/usr/bin:/bin", "TOPOC_POOLER_AUTH_PASSWORD": "two\nlines", "TOPOC_POOLER_ADMIN_PASSWORD": "adm$pw"])
        #expect(broken.status != 0)
        #expect(broken.error.contains("TOPOC_POOLER_AUTH_PASSWORD holds a line break"), "\(broken.error)")
        #expect((try? String(contentsOfFile: out, encoding: .utf8)) == expected, "the previous auth_file is left as it was")
    }

    @Test func makePeerPgpassEscapesThePasswordAndRefusesALineBreak() throws {
        let plan = try #require(try PlanTestSupport.plan(example: "multi-primary-ap.yaml"))
        let script = ClusterBackendSupport.write(
            try #require(ClusterBackendSupport.artifacts(plan)[ClusterLayout.peerPassfileScriptPath]), name: "make-peer-pgpass.sh")
        let data = URL(fileURLWithPath: script).deletingLastPathComponent().appendingPathComponent("member/data").path
        let file = URL(fileURLWithPath: data).deletingLastPathComponent().appendingPathComponent(ClusterLayout.peerPassfileName).path
        #expect(Subprocess.run(["/bin/sh", script, data], environment: ["PATH": "/usr/bin:/bin"]).status != 0, "needs the password")
        let made = Subprocess.run(
            ["/bin/sh", script, data], environment: ["PATH": "/usr/bin:/bin", plan.secrets.multiPrimary: #"p:w\d"#])
        #expect(made.status == 0, "\(made.error)")
        #expect((try? String(contentsOfFile: file, encoding: .utf8)) == "*:*:*:\(plan.roles.multiPrimary):" + #"p\:w\\d"# + "\n")
        let mode = (try? FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        let broken = Subprocess.run(
            ["/bin/sh", script, data], environment: ["PATH": "/usr/bin:/bin", plan.secrets.multiPrimary: "two\nlines"])
        #expect(broken.status != 0)
        #expect(broken.error.contains("holds a line break"), "\(broken.error)")
        #expect(
            (try? String(contentsOfFile: file, encoding: .utf8)) == "*:*:*:\(plan.roles.multiPrimary):" + #"p\:w\\d"# + "\n",
            "the previous file stays")
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
        #expect(config["publication.autocreate.mode"] == "disabled", "the publication is topoc's; the CDC role cannot alter it")
        #expect(config["database.user"] == plan.roles.changeDataCapture)
        #expect(config["table.include.list"] == "public.orders,public.\(DebeziumCatalog.heartbeatTable)", "and the heartbeat table")
        #expect(config["topic.prefix"] == "demo")
        #expect(config["snapshot.mode"] == "initial")
        #expect(config["database.hostname"] == "haproxy")
        #expect(config["database.port"] == "5000", "the read-write frontend")
        #expect(config["database.password"] == "${env:\(plan.secrets.changeDataCapture)}", "never the superuser's password")
    }

    @Test func readmeSaysHowToBringEachArtifactUp() throws {
        // The kubernetes target writes no cluster/README.md: docs/kubernetes.md says how to apply it.
        for target in DeploymentTarget.validatedByDefault {
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
