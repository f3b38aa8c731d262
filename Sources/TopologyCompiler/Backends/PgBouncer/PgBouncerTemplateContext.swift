/// The context of the `pgbouncer.ini` template (docs/templates.md). Every string is already
/// written for PgBouncer's ini file: setting values through ``IniQuoting/settingValue(_:)``,
/// connection-string values through ``IniQuoting/connectionValue(_:)``, comment text through
/// ``CommentQuoting``.
public struct PgBouncerTemplateContext: Encodable, Sendable {
    /// The version of this contract; it changes when a field is renamed or removed.
    public var contextVersion = 1
    /// The topology's name (comment text).
    public var topology: String
    /// The deployment target.
    public var target: String
    /// One `[databases]` entry per pool.
    public var pools: [Pool]
    /// `listen_addr`.
    public var listenAddr: String
    /// `listen_port`.
    public var listenPort: Int
    /// `auth_hba_file`.
    public var authHBAFile: String
    /// `auth_file`.
    public var authFile: String
    /// `auth_user`: the role that runs `auth_query`.
    public var authUser: String
    /// `auth_query`.
    public var authQuery: String
    /// `admin_users` and `stats_users`.
    public var adminUser: String
    /// PgBouncer's version (comment text).
    public var version: String
    /// `pool_mode`.
    public var poolMode: String
    /// `max_client_conn`.
    public var maxClientConn: Int
    /// `default_pool_size`.
    public var defaultPoolSize: Int
    /// `reserve_pool_size`.
    public var reservePoolSize: Int
    /// The TLS setting lines (with their comments), none without TLS.
    public var tlsSettings: [String]
    /// `max_prepared_statements`, or null.
    public var maxPreparedStatements: Nullable<Int>

    /// One pool.
    public struct Pool: Encodable, Sendable {
        /// The name clients connect to.
        public var name: String
        /// How many users the pool is sized for.
        public var userCount: Int
        /// The users, comma-separated (comment text).
        public var users: String
        /// `host=` (quoted).
        public var host: String
        /// `port=`.
        public var port: Int
        /// `dbname=` (quoted).
        public var dbname: String
        /// `pool_size=`.
        public var poolSize: Int
        /// `reserve_pool=`.
        public var reservePool: Int
        /// `max_db_connections=`.
        public var maxDBConnections: Int
    }
}

extension PgBouncerTemplateContext {
    /// The context of a plan.
    init(plan: Plan) {
        let pooler = plan.pooler
        topology = CommentQuoting.line(plan.topology)
        target = plan.target.rawValue
        let pools = PgBouncerPool.pools(of: plan)
        self.pools = zip(pools, PgBouncerBudget.users(of: pools, in: plan)).map { pool, users in
            let (size, reserve) = pool.size(in: pooler)
            return Pool(
                name: pool.name, userCount: users.count, users: CommentQuoting.line(users.joined(separator: ", ")),
                host: IniQuoting.connectionValue(pool.host) ?? pool.host, port: pool.port,
                dbname: IniQuoting.connectionValue(pool.database) ?? pool.database, poolSize: size, reservePool: reserve,
                maxDBConnections: pool.maxDBConnections(in: pooler, users: users.count))
        }
        listenAddr = plan.target == .compose ? "0.0.0.0" : pooler.host
        listenPort = pooler.port
        authHBAFile = PgBouncerConfig.setting(PgBouncerConfig.hbaFile(plan))
        authFile = PgBouncerConfig.setting(PgBouncerConfig.authFile(plan))
        authUser = plan.roles.poolerAuth
        authQuery = RoleDDL.poolerAuthQuery
        adminUser = plan.roles.poolerAdmin
        version = CommentQuoting.line(pooler.version)
        poolMode = pooler.mode.rawValue
        maxClientConn = pooler.maxClientConnections
        defaultPoolSize = pooler.readWritePoolSize
        reservePoolSize = pooler.readWriteReserve
        tlsSettings = PgBouncerTLS.settings(plan)
        maxPreparedStatements = Nullable(pooler.maxPreparedStatements)
    }
}
