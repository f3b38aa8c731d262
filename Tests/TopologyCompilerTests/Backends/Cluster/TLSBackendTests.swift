import Foundation
import Testing

@testable import TopologyCompiler

/// What a `tls:` section changes in the generated files, per mode and target. The cluster suite
/// (ClusterTLSTests) runs these files: plaintext refused, CA verified, failover under TLS.
struct TLSBackendTests {
    typealias S = ClusterBackendSupport

    static func plan(_ tls: String, target: DeploymentTarget = .local) -> Plan? {
        PlanTestSupport.plan(S.topology(synchronous: false) + "tls:\n" + tls, target: target)
    }

    static func patroni(_ artifacts: [String: String], _ plan: Plan) throws -> Any? {
        let member = try #require(plan.clusters.first?.members.first)
        return S.pyyaml(try #require(artifacts[ClusterLayout.patroniPath(cluster: "main", member: member.name)]))
    }

    @Test func verifyFullEncryptsAndVerifiesEveryHop() throws {
        let plan = try #require(Self.plan("  mode: verify-full\n"))
        let artifacts = S.artifacts(plan)
        let tls = "../.topoc/run/tls"

        let patroni = try Self.patroni(artifacts, plan)
        let hba = S.dig(patroni, "postgresql", "pg_hba") as? [String] ?? []
        #expect(hba.filter { $0.hasPrefix("host ") }.isEmpty, "no plain host line: \(hba)")
        #expect(hba.contains("hostssl replication replicator 127.0.0.1/32 scram-sha-256"))
        #expect(hba.contains("hostssl all all 127.0.0.1/32 scram-sha-256"))
        let parameters = S.dig(patroni, "bootstrap", "dcs", "postgresql", "parameters") as? [String: Any] ?? [:]
        #expect(parameters["ssl"] as? String == "on")
        // PostgreSQL reads relative paths from its data directory, which sits in the run folder.
        #expect(parameters["ssl_cert_file"] as? String == "../tls/server.crt")
        #expect(parameters["ssl_key_file"] as? String == "../tls/server.key")
        #expect(parameters["ssl_ca_file"] as? String == "../tls/ca.crt")
        #expect(parameters["ssl_min_protocol_version"] as? String == "TLSv1.2")
        for user in ["superuser", "replication", "rewind"] {
            #expect(S.dig(patroni, "postgresql", "authentication", user, "sslmode") as? String == "verify-full")
            #expect(S.dig(patroni, "postgresql", "authentication", user, "sslrootcert") as? String == "\(tls)/ca.crt")
        }
        #expect(S.dig(patroni, "restapi", "certfile") as? String == "\(tls)/server.crt")
        #expect(S.dig(patroni, "restapi", "keyfile") as? String == "\(tls)/server.key")
        #expect(S.dig(patroni, "ctl", "cacert") as? String == "\(tls)/ca.crt")
        #expect(S.dig(patroni, "ctl", "insecure") == nil)
        #expect(S.dig(patroni, "etcd3", "protocol") as? String == "https")
        #expect(S.dig(patroni, "etcd3", "cacert") as? String == "\(tls)/ca.crt")
        #expect(S.dig(patroni, "etcd3", "cert") as? String == "\(tls)/server.crt")
        #expect(S.dig(patroni, "etcd3", "key") as? String == "\(tls)/server.key")

        let etcd = S.pyyaml(try #require(artifacts[ClusterLayout.etcdPath(member: plan.etcd[0].name)]))
        for key in ["listen-client-urls", "advertise-client-urls", "listen-peer-urls", "initial-advertise-peer-urls"] {
            #expect((S.dig(etcd, key) as? String)?.hasPrefix("https://") == true, "\(key)")
        }
        #expect((S.dig(etcd, "initial-cluster") as? String)?.contains("=https://") == true)
        for section in ["client-transport-security", "peer-transport-security"] {
            #expect(S.dig(etcd, section, "cert-file") as? String == "\(tls)/server.crt")
            #expect(S.dig(etcd, section, "key-file") as? String == "\(tls)/server.key")
            #expect(S.dig(etcd, section, "trusted-ca-file") as? String == "\(tls)/ca.crt")
            #expect(S.dig(etcd, section, "client-cert-auth") as? Bool == true)
        }

        let haproxy = try #require(artifacts[ClusterLayout.haproxyPath])
        let checked = haproxy.split(separator: "\n").filter { $0.contains(" check port ") }
        #expect(!checked.isEmpty)
        #expect(checked.allSatisfy { $0.contains("check-ssl verify required ca-file \(tls)/ca.crt") }, "\(checked)")

        let ini = try #require(artifacts[ClusterLayout.pgbouncerPath])
        for line in [
            "client_tls_sslmode = require", "client_tls_cert_file = \(tls)/server.crt", "client_tls_key_file = \(tls)/server.key",
            "server_tls_sslmode = verify-full", "server_tls_ca_file = \(tls)/ca.crt", "server_tls_protocols = tlsv1.2,tlsv1.3",
        ] {
            #expect(ini.contains("\n\(line)\n"), "pgbouncer.ini lacks \(line)")
        }
        let pgbouncerHBA = try #require(artifacts[ClusterLayout.pgbouncerHBAPath])
        #expect(pgbouncerHBA.contains("\nhostssl all all 127.0.0.1/32 scram-sha-256\n"))
        #expect(!pgbouncerHBA.contains("\nhost all all "), "no plaintext login line")
        #expect(pgbouncerHBA.contains("\nhost all postgres 127.0.0.1/32 reject\n"), "reject lines match plaintext too")

        let connector = try #require(artifacts.first { $0.key.hasPrefix("cluster/debezium/") }?.value)
        #expect(connector.contains("\"database.sslmode\" : \"verify-full\"") || connector.contains("\"database.sslmode\":\"verify-full\""))
        #expect(connector.contains("database.sslrootcert"))

        let readme = try #require(artifacts[ClusterLayout.readmePath])
        #expect(readme.contains("## TLS"))
        #expect(readme.contains("throwaway CA"))
    }

    @Test func requireRefusesPlaintextWithoutVerifying() throws {
        let plan = try #require(Self.plan("  mode: require\n  min_protocol: TLSv1.3\n"))
        let artifacts = S.artifacts(plan)
        let patroni = try Self.patroni(artifacts, plan)
        #expect(S.dig(patroni, "ctl", "insecure") as? Bool == true)
        #expect(S.dig(patroni, "ctl", "cacert") == nil)
        #expect(S.dig(patroni, "postgresql", "authentication", "replication", "sslmode") as? String == "require")
        #expect(S.dig(patroni, "postgresql", "authentication", "replication", "sslrootcert") == nil)
        let parameters = S.dig(patroni, "bootstrap", "dcs", "postgresql", "parameters") as? [String: Any] ?? [:]
        #expect(parameters["ssl_min_protocol_version"] as? String == "TLSv1.3")
        let haproxy = try #require(artifacts[ClusterLayout.haproxyPath])
        #expect(haproxy.contains(" check-ssl verify none"))
        #expect(!haproxy.contains("verify required"))
        let ini = try #require(artifacts[ClusterLayout.pgbouncerPath])
        #expect(ini.contains("\nserver_tls_sslmode = require\n"))
        #expect(!ini.contains("server_tls_ca_file"))
        #expect(ini.contains("\nserver_tls_protocols = tlsv1.3\n"))
    }

    @Test func preferKeepsPlainLinesAndPerComponentModesApply() throws {
        let plan = try #require(Self.plan("  mode: prefer\n  etcd: { mode: disable }\n  pgbouncer: { mode: require }\n"))
        let artifacts = S.artifacts(plan)
        let patroni = try Self.patroni(artifacts, plan)
        let hba = S.dig(patroni, "postgresql", "pg_hba") as? [String] ?? []
        #expect(hba.contains("host all all 127.0.0.1/32 scram-sha-256"))
        #expect(!hba.contains { $0.hasPrefix("hostssl") })
        #expect(S.dig(patroni, "etcd3", "protocol") == nil, "etcd: disable")
        let etcd = try #require(artifacts[ClusterLayout.etcdPath(member: plan.etcd[0].name)])
        #expect(!etcd.contains("https://") && !etcd.contains("transport-security"))
        let pgbouncerHBA = try #require(artifacts[ClusterLayout.pgbouncerHBAPath])
        #expect(pgbouncerHBA.contains("\nhostssl all all 127.0.0.1/32 scram-sha-256\n"))
        let ini = try #require(artifacts[ClusterLayout.pgbouncerPath])
        #expect(ini.contains("\nclient_tls_sslmode = require\n"))
        #expect(ini.contains("\nserver_tls_sslmode = prefer\n"))
    }

    @Test func explicitFilesOfAComponentReplaceTheDefaults() throws {
        let plan = try #require(Self.plan("  mode: verify-full\n  etcd: { directory: /etc/etcd/pki }\n"))
        let artifacts = S.artifacts(plan)
        let etcd = S.pyyaml(try #require(artifacts[ClusterLayout.etcdPath(member: plan.etcd[0].name)]))
        #expect(S.dig(etcd, "client-transport-security", "cert-file") as? String == "/etc/etcd/pki/server.crt")
        #expect(S.dig(etcd, "client-transport-security", "trusted-ca-file") as? String == "/etc/etcd/pki/ca.crt")
        let patroni = try Self.patroni(artifacts, plan)
        #expect(S.dig(patroni, "etcd3", "cert") as? String == "/etc/etcd/pki/server.crt")
        #expect(S.dig(patroni, "restapi", "certfile") as? String == "../.topoc/run/tls/server.crt")
    }

    @Test func withoutTLSNothingChanges() throws {
        let plan = try #require(PlanTestSupport.plan(S.topology(synchronous: false), target: .local))
        #expect(plan.tls == nil)
        let disabled = try #require(Self.plan("  mode: disable\n"))
        #expect(disabled.tls == nil)
        let artifacts = S.artifacts(plan)
        for (path, text) in artifacts {
            #expect(
                !text.contains("https://") && !text.contains("hostssl") && !text.contains("_tls_") && !text.contains("## TLS"),
                "\(path) mentions TLS")
        }
    }

    @Test func composeMountsTheHostFolderEverywhereAndChecksOverHTTPS() throws {
        let plan = try #require(Self.plan("  mode: verify-full\n", target: .compose))
        let artifacts = S.artifacts(plan)
        let compose = try #require(artifacts[ClusterLayout.composePath])
        let parsed = S.pyyaml(compose)
        let services = S.dig(parsed, "services") as? [String: Any] ?? [:]
        let mount = "${TOPOC_TLS_DIR:?set TOPOC_TLS_DIR to the folder holding ca.crt, server.crt and server.key}:/etc/topoc/tls:ro"
        let servers = plan.etcd.map(\.name) + plan.clusters.flatMap { $0.members.map(\.name) } + [plan.pooler.host, "haproxy"]
        for name in servers {
            let volumes = S.dig(services, name, "volumes") as? [String] ?? []
            #expect(volumes.contains(mount), "\(name) mounts the TLS folder: \(volumes)")
        }
        let etcdCheck = (S.dig(services, plan.etcd[0].name, "healthcheck", "test") as? [String])?.last ?? ""
        #expect(etcdCheck.contains("--cacert '/etc/topoc/tls/ca.crt'") && etcdCheck.contains("https://localhost:"), "\(etcdCheck)")
        let patroni = S.pyyaml(
            try #require(artifacts[ClusterLayout.patroniPath(cluster: "main", member: plan.clusters[0].members[0].name)]))
        #expect(S.dig(patroni, "restapi", "certfile") as? String == "/etc/topoc/tls/server.crt")
        let parameters = S.dig(patroni, "bootstrap", "dcs", "postgresql", "parameters") as? [String: Any] ?? [:]
        #expect(parameters["ssl_key_file"] as? String == "/etc/topoc/tls/server.key")
        let readme = try #require(artifacts[ClusterLayout.readmePath])
        #expect(readme.contains("TOPOC_TLS_DIR"))
        for name in servers { #expect(readme.contains("`\(name)`"), "the README names \(name) for the certificate") }
    }

    @Test func stalenessAgentSpeaksHTTPSWithTheCA() throws {
        var plan = try #require(Self.plan("  mode: verify-full\n"))
        plan.guarantees.maxStaleness = "5s"
        let script = StalenessAgentScript.text(plan: plan)
        #expect(script.contains("REST_TLS = {\"ca\":\"../.topoc/run/tls/ca.crt\"}"))
        #expect(script.contains("ssl.create_default_context(cafile=REST_TLS[\"ca\"])"))
        plan.tls?.patroni.mode = .require
        #expect(StalenessAgentScript.text(plan: plan).contains("REST_TLS = {\"ca\":None}"))
        plan.tls = nil
        #expect(StalenessAgentScript.text(plan: plan).contains("REST_TLS = None"))
    }
}
