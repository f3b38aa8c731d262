import Foundation
import TopologyCompiler

/// The programs a local deployment runs, found on the usual system paths.
public struct LocalTools: Sendable {
    public var etcd: String
    public var patroni: String
    public var haproxy: String
    public var pgbouncer: String
    public var shell: String
    /// Python 3 (Patroni's interpreter), which runs HAProxy's staleness agent.
    public var python: String

    /// Finds every program, or names the missing ones and the packages that bring them.
    public static func find(plan: Plan) throws -> LocalTools {
        var missing: [String] = []
        func locate(_ name: String, package: String) -> String {
            for directory in ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/bin", "/sbin"] {
                let path = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
            missing.append("\(name) (Debian package \(package))")
            return name
        }
        let tools = LocalTools(
            etcd: locate("etcd", package: "etcd-server"), patroni: locate("patroni", package: "patroni"),
            haproxy: locate("haproxy", package: "haproxy"), pgbouncer: locate("pgbouncer", package: "pgbouncer"),
            shell: locate("sh", package: "dash"), python: locate("python3", package: "python3"))
        if ProcessSpawner.isRoot { _ = locate("setpriv", package: "util-linux") }
        let initdb = ClusterLayout.binDirectory(plan) + "/initdb"
        if !FileManager.default.isExecutableFile(atPath: initdb) {
            missing.append(
                plan.localPostgresBin == nil
                    ? "\(initdb) (Debian package postgresql-\(plan.postgresVersion); the topology asks for PostgreSQL \(plan.postgresVersion); "
                        + "binaries installed elsewhere are named by deployment.local.postgres_bin)"
                    : "\(initdb) (deployment.local.postgres_bin)")
        }
        guard missing.isEmpty else {
            throw LocalClusterError("topoc up needs programs that are not installed: \(missing.joined(separator: ", "))")
        }
        return tools
    }

    /// The environment of a server: a cleared one with only these variables. An inherited
    /// `PGPASSWORD` would override Patroni's pgpass and keep replicas in "creating replica".
    public static func serverEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            "HOME": ProcessSpawner.isRoot ? "/var/lib/postgresql" : (ProcessInfo.processInfo.environment["HOME"] ?? "/tmp"),
            "LANG": "C.UTF-8",
        ]
        environment.merge(extra) { _, new in new }
        return environment
    }
}
