import Foundation
import TopologyCompiler

/// How the live check reaches one PostgreSQL server (or PgBouncer's admin console): psql, as one
/// role, either to `127.0.0.1:port` with a password from the run folder, or through a libpq
/// connection string the operator gives (its password from the operator's own environment or
/// password file). The database is chosen per query.
public struct LiveConnection: Sendable {
    /// Where the server is.
    public enum Address: Sendable, Equatable {
        /// `127.0.0.1:port`, as `user` with `password`.
        case loopback(port: Int, user: String, password: String)
        /// A libpq connection string without a database (`host=... port=... user=...` or a URI).
        case conninfo(String)
    }

    /// The address.
    public var address: Address
    /// The psql binary.
    public var program: String

    /// Creates a connection.
    public init(_ address: Address, program: String = "/usr/bin/psql") {
        self.address = address
        self.program = program
    }

    /// A short name for messages (never the password).
    public var label: String {
        switch address {
        case .loopback(let port, let user, _): "\(user)@127.0.0.1:\(port)"
        case .conninfo: "the --dsn connection"
        }
    }

    /// Runs `sql` in `database`; rows of unaligned, tuples-only output.
    public func query(database: String, sql: String, timeout: Double = 20) -> PSQL.Result {
        switch address {
        case .loopback(let port, let user, let password):
            var psql = PSQL(program: program, password: password)
            psql.user = user
            return psql.run(port: port, database: database, sql: sql, timeout: timeout)
        case .conninfo(let conninfo):
            // The database comes from PGDATABASE: libpq takes a variable only for what the
            // connection string leaves out, and `--dsn` refuses strings that name a database.
            var environment = ["PATH": "/usr/bin:/bin", "PGCONNECT_TIMEOUT": "3", "LANG": "C.UTF-8", "PGAPPNAME": "topoc-check"]
            let passed = [
                "HOME", "PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGSERVICEFILE", "PGSSLMODE", "PGSSLROOTCERT", "PGSSLCERT", "PGSSLKEY",
            ]
            for name in passed { environment[name] = ProcessInfo.processInfo.environment[name] }
            environment["PGDATABASE"] = database
            let arguments = [program, "--no-psqlrc", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c", sql]
            return Subprocess.run(arguments, environment: environment, timeout: timeout)
        }
    }

    /// Whether a connection string names a database (which `--dsn` refuses: the check chooses
    /// the database of each query).
    public static func namesDatabase(_ conninfo: String) -> Bool {
        let text = conninfo.trimmingCharacters(in: .whitespaces)
        for scheme in ["postgresql://", "postgres://"] where text.hasPrefix(scheme) {
            let rest = text.dropFirst(scheme.count)
            let beforeQuery = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if let slash = beforeQuery.firstIndex(of: "/"), beforeQuery[beforeQuery.index(after: slash)...].isEmpty == false {
                return true
            }
            return rest.contains("dbname=")
        }
        return text.range(of: #"(^|\s)dbname\s*="#, options: .regularExpression) != nil
    }
}
