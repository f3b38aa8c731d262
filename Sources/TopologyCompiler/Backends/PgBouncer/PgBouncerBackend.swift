/// Writes PgBouncer's configuration and the script that makes its auth_file at deploy time.
///
/// Every database gets a read-write pool at its cluster's HAProxy rw frontend and a `<db>_ro`
/// pool at the ro frontend. Authentication is SCRAM-SHA-256. The auth_file holds only PgBouncer's
/// own users (its `auth_user` and its admin console user), written at deploy time by
/// `make-userlist.sh` from their variables; every client role is looked up with `auth_query`
/// through a function that answers only for members of the clients group, so no superuser and
/// no application password is ever in PgBouncer's files (docs/roles.md).
public struct PgBouncerBackend: Backend {
    public init() {}

    public var name: String { "pgbouncer" }
    public var summary: String {
        "cluster/pgbouncer/pgbouncer.ini, pgbouncer_hba.conf and make-userlist.sh: rw and <db>_ro pools over HAProxy"
    }

    public func artifacts(for plan: Plan) -> [Artifact] {
        // CloudNativePG runs PostgreSQL, its pooler and its state on the kubernetes target.
        guard plan.target != .kubernetes else { return [] }
        return [
            Artifact(path: ClusterLayout.pgbouncerPath, contents: PgBouncerConfig.text(plan: plan), producer: name),
            Artifact(path: ClusterLayout.pgbouncerHBAPath, contents: PgBouncerHBA.text(plan: plan), producer: name),
            Artifact(path: ClusterLayout.userlistScriptPath, contents: UserlistScript.text(plan: plan), producer: name),
        ]
    }
}

/// One PgBouncer pool: a name clients connect to and the frontend it forwards to.
public struct PgBouncerPool: Sendable, Equatable {
    /// The name clients use as database name.
    public var name: String
    /// The real database.
    public var database: String
    /// The cluster that holds it.
    public var cluster: String
    /// Whether the pool goes to replicas.
    public var readOnly: Bool
    /// The frontend's host and port.
    public var host: String
    public var port: Int

    /// Every pool of a plan: `<db>` and `<db>_ro`, with the cluster's name appended
    /// (`<db>_<cluster>`) when several clusters hold a database of the same name.
    ///
    /// The roles each pool's budget counts are ``PgBouncerBudget/users(of:in:)``: only
    /// pgbouncer.ini needs them, and they are worked out from every database's tables.
    public static func pools(of plan: Plan) -> [PgBouncerPool] {
        var pools: [PgBouncerPool] = []
        let frontends = ClusterLayout.frontends(of: plan)
        let names = poolNames(of: plan.databases.map { ($0.name, $0.cluster) })
        for (database, name) in zip(plan.databases, names) {
            guard let frontend = frontends[database.cluster] else { continue }
            pools.append(
                PgBouncerPool(
                    name: name.readWrite, database: database.name, cluster: database.cluster, readOnly: false,
                    host: frontend.host, port: frontend.readWritePort))
            pools.append(
                PgBouncerPool(
                    name: name.readOnly, database: database.name, cluster: database.cluster, readOnly: true,
                    host: frontend.host, port: frontend.readOnlyPort))
        }
        return pools
    }

    /// The database name of PgBouncer's admin console, which no pool may take.
    public static let adminConsoleDatabase = "pgbouncer"

    /// The suffix of a database's read-only pool.
    public static let readOnlySuffix = "_ro"

    /// The names of each database's two pools, in the order given: `<db>` and `<db>_ro`, or
    /// `<db>_<cluster>` and `<db>_<cluster>_ro` when several clusters hold a database of that
    /// name. The one source of pool names: the pools and the validator's TPB506 use it.
    ///
    /// - Parameter databases: Every database, with the cluster that holds it.
    /// - Returns: The read-write and read-only pool names of each.
    public static func poolNames(of databases: [(name: String, cluster: String)]) -> [(readWrite: String, readOnly: String)] {
        var counts: [String: Int] = [:]
        for database in databases { counts[database.name, default: 0] += 1 }
        return databases.map { database in
            let base =
                (counts[database.name] ?? 0) > 1
                ? "\(database.name)_\(ClusterLayout.token(database.cluster).replacingOccurrences(of: "-", with: "_"))"
                : database.name
            return (base, base + readOnlySuffix)
        }
    }

    /// The pool's `pool_size` and `reserve_pool` (the read-only pool is sized like the read-write
    /// one, without reserve, when the topology declares no `read_only` pool).
    public func size(in pooler: PlanPooler) -> (size: Int, reserve: Int) {
        readOnly
            ? (pooler.readOnlyPoolSize ?? pooler.readWritePoolSize, pooler.readOnlyReserve ?? 0)
            : (pooler.readWritePoolSize, pooler.readWriteReserve)
    }

    /// `max_db_connections` of the pool: the pool of each of `users` full.
    public func maxDBConnections(in pooler: PlanPooler, users: Int) -> Int {
        let (size, reserve) = size(in: pooler)
        return PgBouncerBudget.cap(poolSize: size, reserve: reserve, users: users)
    }
}

/// pgbouncer.ini.
package enum PgBouncerConfig {
    /// Where PgBouncer reads its auth_file.
    static func authFile(_ plan: Plan) -> String {
        plan.target == .compose ? "/tmp/pgbouncer/userlist.txt" : "\(ClusterLayout.localRunDirectory(plan))/pgbouncer-userlist.txt"
    }

    /// Where PgBouncer reads its HBA file (relative to the output folder, PgBouncer's working
    /// directory, on the local target).
    static func hbaFile(_ plan: Plan) -> String {
        plan.target == .compose
            ? "\(ClusterLayout.containerConfigRoot)/pgbouncer/pgbouncer_hba.conf" : ClusterLayout.pgbouncerHBAPath
    }

    /// A value of a `[pgbouncer]` setting; the decoder's grammars keep topology values inside
    /// what an ini line can hold, so the fallback never writes a line break.
    static func setting(_ value: String) -> String {
        IniQuoting.settingValue(value) ?? CommentQuoting.line(value)
    }

    /// The configuration file: the `pgbouncer.ini` template over ``PgBouncerTemplateContext``.
    package static func text(plan: Plan) -> String {
        TemplateSet.renderCurrent("pgbouncer.ini", context: PgBouncerTemplateContext(plan: plan), language: .ini)
    }
}

/// pgbouncer_hba.conf: clients log in with SCRAM-SHA-256 from the deployment's networks; the
/// superuser and PgBouncer's auth_user are refused as clients (the auth_user could otherwise read
/// SCRAM secrets through the lookup function), and the admin user reaches only the admin console.
package enum PgBouncerHBA {
    /// The networks clients come from.
    static func networks(_ plan: Plan) -> [String] {
        plan.target == .compose ? ["0.0.0.0/0", "::/0"] : ["127.0.0.1/32", "::1/128"]
    }

    /// The file's text.
    package static func text(plan: Plan) -> String {
        let roles = plan.roles
        // With TLS required, logins match only TLS connections: a plaintext one matches no line.
        let login = plan.tls?.pgbouncer.mode.requiresTLS == true ? "hostssl" : "host"
        var lines = [
            "# Generated by topoc from topology '\(CommentQuoting.line(plan.topology))' (target \(plan.target.rawValue)). Do not edit.",
            "# PgBouncer reads the first line that matches a connection's database, user and address.",
        ]
        for network in networks(plan) {
            lines.append("host all \(roles.superuser) \(network) reject")
            lines.append("host all \(roles.poolerAuth) \(network) reject")
            lines.append("\(login) \(PgBouncerPool.adminConsoleDatabase) \(roles.poolerAdmin) \(network) scram-sha-256")
            lines.append("host all \(roles.poolerAdmin) \(network) reject")
        }
        for network in networks(plan) {
            lines.append("\(login) all all \(network) scram-sha-256")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// make-userlist.sh: writes PgBouncer's auth_file from environment variables.
enum UserlistScript {
    /// The script's text.
    static func text(plan: Plan) -> String {
        let users = ClusterLayout.poolerSecrets(plan).map { ($0.role, $0.variable) }
        let checks = users.map { ": \"${\($0.1):?\($0.1) must hold the password of \($0.0)}\"" }.joined(separator: "\n")
        let lineChecks = users.map {
            "case \"$\($0.1)\" in *\"$nl\"*) echo \"make-userlist.sh: \($0.1) holds a line break, which the auth_file cannot hold\" >&2; exit 1 ;; esac"
        }.joined(separator: "\n")
        let entries = users.map { "    entry \(ShellQuoting.word($0.0)) \"$\($0.1)\"" }.joined(separator: "\n")
        return """
            #!/bin/sh
            # Generated by topoc from topology '\(CommentQuoting.line(plan.topology))'. Do not edit.
            # Writes PgBouncer's auth_file (default \(CommentQuoting.line(PgBouncerConfig.authFile(plan)))) from the environment,
            # mode 0600, atomically: PgBouncer's auth_user (which logs in to run auth_query) and its admin
            # console user. Client roles are not listed: auth_query looks them up. Usage: sh make-userlist.sh [AUTH_FILE]
            set -eu
            out=${1:-}
            [ -n "$out" ] || out=\(ShellQuoting.word(PgBouncerConfig.authFile(plan)))
            \(checks)
            # A password file holds one entry per line: a password with a line break cannot be written.
            nl=$(printf '\\n_'); nl=${nl%_}
            \(lineChecks)
            # auth_file fields are double-quoted; a double quote inside is doubled.
            entry() {
                printf '"%s" "%s"\\n' "$(printf '%s' "$1" | sed 's/"/""/g')" "$(printf '%s' "$2" | sed 's/"/""/g')"
            }
            umask 077
            mkdir -p "$(dirname "$out")"
            tmp="$out.tmp.$$"
            {
            \(entries)
            } >"$tmp"
            mv -f "$tmp" "$out"

            """
    }
}
