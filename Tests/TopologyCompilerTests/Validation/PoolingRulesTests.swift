import Foundation
import Testing
import TopologyLocalCluster

@testable import TopologyCompiler

@Suite("Rules: pooling")
struct PoolingRulesTests {
    typealias F = ClusterRuleFixture

    /// A topology with one cluster `main` (body `cluster`, indented by four), a pooling section
    /// (body `pooling`, indented by two) and `extra` top-level sections.
    static func topology(cluster: String = "    members: 1\n", pooling: String, extra: String = "") -> String {
        "topology: shop\nclusters:\n  main:\n" + cluster + "pooling:\n" + pooling + extra
    }

    static let sharedSchema = """
        tenancy: { mode: shared-schema, column: tenant_id, app_role: shop_app, tenants: [acme] }
        tables:
          items:
            columns: { id: bigint, tenant_id: bigint }
            primary_key: id

        """

    // MARK: TPB501 tenant-setting-must-be-transaction-local

    @Test func sharedSchemaUnderTransactionPoolingNotesSetConfig() throws {
        let text = Self.topology(pooling: "  mode: transaction\n", extra: Self.sharedSchema)
        let found = try F.expect(
            .tenantSettingMustBeTransactionLocal, in: text, at: "transaction",
            message: "topoc's generated code uses set_config('app.tenant_id', $1, true), and hand-written code must too")
        F.expectNote(found[0], at: "shared-schema", in: text)
        // Transaction pooling is the default when the section is absent: reported at the top.
        let defaulted = "topology: shop\nclusters:\n  main: { members: 1 }\n" + Self.sharedSchema
        try F.expect(.tenantSettingMustBeTransactionLocal, in: defaulted, at: "topology", message: "under transaction pooling")
        // A section that leaves the mode out: reported at the section, not at the top of the file.
        let sectionWithoutMode = Self.topology(pooling: "  read_write: { pool_size: 20 }\n", extra: Self.sharedSchema)
        try F.expect(
            .tenantSettingMustBeTransactionLocal, in: sectionWithoutMode, at: "read_write", message: "under transaction pooling")
    }

    @Test func sessionPoolingOrOtherTenancyHasNoTenantNote() throws {
        try F.expectNothing(
            .tenantSettingMustBeTransactionLocal, in: Self.topology(pooling: "  mode: session\n", extra: Self.sharedSchema))
        try F.expectNothing(.tenantSettingMustBeTransactionLocal, in: Self.topology(pooling: "  mode: transaction\n"))
    }

    // MARK: TPB502 session-feature-under-transaction-pooling

    @Test func everySessionFeatureUnderTransactionPoolingIsAnError() throws {
        let text = Self.topology(
            pooling:
                "  mode: transaction\n  session_features: [listen-notify, advisory-locks, with-hold-cursors, temporary-tables]\n")
        let found = try F.expect(
            .sessionFeatureUnderTransactionPooling, in: text, at: "listen-notify", count: 4,
            message: "'listen-notify' breaks under transaction pooling: LISTEN registers on the server connection")
        F.expectNote(found[0], at: "transaction", in: text)
        for (feature, needle) in [
            ("advisory-locks", "pg_advisory_xact_lock"), ("with-hold-cursors", "WITH HOLD"),
            ("temporary-tables", "ON COMMIT DROP"),
        ] {
            let diagnostic = try #require(found.first { $0.message.hasPrefix("'\(feature)'") })
            #expect(diagnostic.message.contains(needle))
            F.expect(diagnostic.location, at: feature, in: text)
        }
    }

    @Test func sessionSettingsUnderTransactionPoolingExplainTheTenantLeak() throws {
        let text = Self.topology(pooling: "  mode: statement\n  session_features: [session-settings]\n", extra: Self.sharedSchema)
        try F.expect(
            .sessionFeatureUnderTransactionPooling, in: text, at: "session-settings",
            message: "runs as the previous tenant and row-level security shows it that tenant's rows; use SET LOCAL")
    }

    @Test func sessionPoolingSupportsSessionFeatures() throws {
        try F.expectNothing(
            .sessionFeatureUnderTransactionPooling,
            in: Self.topology(pooling: "  mode: session\n  session_features: [listen-notify, advisory-locks, session-settings]\n")
        )
        try F.expectNothing(
            .sessionFeatureUnderTransactionPooling,
            in: Self.topology(pooling: "  mode: transaction\n  session_features: [prepared-statements]\n"))
    }

    // MARK: TPB503 prepared-statements-under-transaction-pooling

    @Test func preparedStatementsUnderTransactionPoolingAreAnErrorWithTheDeployedPgBouncer() throws {
        let text = Self.topology(pooling: "  mode: transaction\n  session_features: [prepared-statements]\n")
        let found = try F.expect(
            .preparedStatementsUnderTransactionPooling, in: text, at: "prepared-statements",
            message:
                "'prepared-statements' break under transaction pooling with PgBouncer 1.18 (the default 'pgbouncer_version': Debian 12's package, which the artifacts install): before 1.21 PgBouncer does not track protocol-level prepared statements"
        )
        F.expectNote(found[0], at: "transaction", in: text)
        let declared = Self.topology(
            pooling: "  mode: transaction\n  pgbouncer_version: 1.20.1\n  session_features: [prepared-statements]\n")
        let old = try F.expect(
            .preparedStatementsUnderTransactionPooling, in: declared, at: "prepared-statements",
            message: "with PgBouncer 1.20.1: before 1.21")
        F.expectNote(old[0], at: "1.20.1", in: declared)
    }

    @Test func preparedStatementsWithPgBouncer121AreTrackedInTheIni() throws {
        let text = Self.topology(pooling: "  mode: transaction\n  pgbouncer_version: 1.21\n  session_features: [prepared-statements]\n")
        try F.expectNothing(.preparedStatementsUnderTransactionPooling, in: text)
        let plan = try #require(PlanTestSupport.plan(text, target: .local))
        #expect(plan.pooler.maxPreparedStatements == 200)
        #expect(plan.pooler.version == "1.21")
        let ini = PgBouncerConfig.text(plan: plan)
        #expect(ini.contains("\nmax_prepared_statements = 200\n"))
        // Without prepared statements, or with session pooling, the setting is not written.
        for pooling in [
            "  mode: transaction\n  pgbouncer_version: 1.21\n",
            "  mode: session\n  pgbouncer_version: 1.22\n  session_features: [prepared-statements]\n",
        ] {
            let other = try #require(PlanTestSupport.plan(Self.topology(pooling: pooling), target: .local))
            #expect(other.pooler.maxPreparedStatements == nil)
            #expect(!PgBouncerConfig.text(plan: other).contains("max_prepared_statements"))
        }
    }

    /// The installed PgBouncer (Debian 12's 1.18, the default release) loads the default ini and
    /// refuses the one written for 1.21 with prepared statements: why the release must be declared
    /// and `topoc up` checks it. As root PgBouncer stops after loading its configuration ("should
    /// not run as root"); otherwise it starts and is stopped after two seconds.
    @Test func installedPgBouncerLoadsOnlyTheIniOfItsRelease() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/pgbouncer") else { return }
        func load(_ pooling: String) throws -> String {
            let plan = try #require(PlanTestSupport.plan(Self.topology(pooling: pooling), target: .local))
            let ini = ClusterBackendSupport.write(PgBouncerConfig.text(plan: plan), name: "pgbouncer.ini")
            let run = Subprocess.run(
                ["/usr/sbin/pgbouncer", ini], environment: ["PATH": "/usr/bin:/bin"],
                directory: URL(fileURLWithPath: ini).deletingLastPathComponent(), timeout: 2)
            return run.output + run.error
        }
        let deployed = try load("  mode: transaction\n")
        #expect(!deployed.contains("cannot load config file") && !deployed.contains("unknown parameter"), "\(deployed)")
        let newer = try load("  mode: transaction\n  pgbouncer_version: 1.21\n  session_features: [prepared-statements]\n")
        #expect(newer.contains("unknown parameter: pgbouncer/max_prepared_statements"), "\(newer)")
        #expect(newer.contains("cannot load config file"), "\(newer)")
    }

    @Test func preparedStatementsUnderSessionPoolingAreFine() throws {
        try F.expectNothing(
            .preparedStatementsUnderTransactionPooling,
            in: Self.topology(pooling: "  mode: session\n  session_features: [prepared-statements]\n"))
    }

    // MARK: TPB504 pools-exceed-max-connections

    static func tenants(_ count: Int, mode: String = "database-per-tenant", cluster: String = "    members: 1\n", pooling: String) -> String
    {
        let names = (0..<count).map { "t\($0)" }.joined(separator: ", ")
        return topology(
            cluster: cluster, pooling: pooling,
            extra: "tenancy: { mode: \(mode), tenants: [\(names)] }\ntables:\n  items:\n    columns: { id: bigint }\n"
        )
    }

    @Test func poolsArePerDatabaseAndUser() throws {
        // 5 tenant databases (auth_user + the tenant's role) and the main one (auth_user,
        // application, read-only): 13 pairs; each with read_write 20 + 5 and read-only 20.
        let text = Self.tenants(5, pooling: "  read_write: { pool_size: 20, reserve: 5 }\n")
        let found = try F.expect(
            .poolsExceedMaxConnections, in: text, at: "main:",
            message:
                "the leader of cluster 'main' may receive 588 connections, more than the default max_connections 100: per (database, user) pool the read_write pool 20 + reserve 5 and the read-only pool 20 + reserve 0 (whose frontend falls back to the leader), for 6 databases on cluster 'main', 13 (database, user) pairs in all"
        )
        F.expectNote(found[0], at: "20", in: text)
        // Schema-per-tenant: one database, whose pools every tenant's role adds to.
        let schemas = Self.tenants(
            4, mode: "schema-per-tenant", cluster: "    members: 1\n    settings: { max_connections: 140 }\n",
            pooling: "  read_write: { pool_size: 10 }\n")
        try F.expect(
            .poolsExceedMaxConnections, in: schemas, at: "140",
            message: "the leader of cluster 'main' may receive 143 connections, more than max_connections 140")
    }

    @Test func readOnlyPoolsMustFitTheReplicas() throws {
        let text = Self.topology(
            cluster: "    members: 2\n    settings: { max_connections: 350 }\n",
            pooling: "  read_write: { pool_size: 20 }\n  read_only: { pool_size: 90, reserve: 10 }\n")
        let found = try F.expect(
            .poolsExceedMaxConnections, in: text, at: "350",
            message: "the leader of cluster 'main' may receive 363 connections, more than max_connections 350")
        F.expectNote(found[0], at: "20 }", in: text)
        let replicas = try F.findings(
            .poolsExceedMaxConnections,
            Self.topology(
                cluster: "    members: 2\n    settings: { max_connections: 300 }\n",
                pooling: "  read_write: { pool_size: 1 }\n  read_only: { pool_size: 90, reserve: 10 }\n"))
        let replica = try #require(replicas.first { $0.message.hasPrefix("each replica") })
        #expect(
            replica.message.contains(
                "each replica of cluster 'main' may receive 303 connections, more than max_connections 300: per (database, user) pool the read-only pool 90 + reserve 10, for 1 database on cluster 'main', 3 (database, user) pairs in all"
            ), "\(replica.message)")
    }

    @Test func poolsThatFitAreFine() throws {
        // (15 + 15) x 3 + 3 = 93: the default pools fit the default max_connections.
        try F.expectNothing(.poolsExceedMaxConnections, in: Self.topology(cluster: "    members: 3\n", pooling: "  mode: transaction\n"))
        try F.expectNothing(
            .poolsExceedMaxConnections,
            in: Self.tenants(
                5, cluster: "    members: 1\n    settings: { max_connections: 588 }\n",
                pooling: "  read_write: { pool_size: 20, reserve: 5 }\n"))
    }

    @Test func connectionBudgetIsSuppressedOnTheCluster() throws {
        let text = Self.tenants(
            5, cluster: "    members: 1\n    suppress: [{ rule: TPB504, reason: tenants are never all busy }]\n",
            pooling: "  read_write: { pool_size: 20, reserve: 5 }\n")
        try F.expectNothing(.poolsExceedMaxConnections, in: text)
    }

    /// The rule counts the (database, user) pairs from the topology; the ini caps each PgBouncer
    /// database from the plan's roles. Both must agree on every example.
    @Test(arguments: try PlanTestSupport.exampleNames())
    func ruleAndIniCountTheSameUsers(example: String) throws {
        let plan = try #require(try PlanTestSupport.plan(example: example))
        let text = try String(contentsOf: PlanTestSupport.exampleURL(example), encoding: .utf8)
        let topology = try #require(TopologyLoader.load(text: text, file: example).topology)
        let layout = PhysicalLayout(topology: topology)
        for physical in layout.clusters {
            for hosted in physical.databases {
                let database = try #require(plan.databases.first { $0.name == hosted.name && $0.cluster == physical.name })
                #expect(
                    PoolingChecks.pgbouncerUsers(of: hosted, in: topology) == PgBouncerBudget.users(of: database, in: plan).count,
                    "\(example): \(hosted.name) on \(physical.name)")
            }
        }
    }

    /// pgbouncer.ini takes each pool's users from the per-pool function, which works each
    /// database's out once: they must be its database's, for the read-write and read-only pool.
    @Test(arguments: try PlanTestSupport.exampleNames())
    func eachPoolCountsItsDatabasesUsers(example: String) throws {
        let plan = try #require(try PlanTestSupport.plan(example: example))
        let pools = PgBouncerPool.pools(of: plan)
        let users = PgBouncerBudget.users(of: pools, in: plan)
        #expect(users.count == pools.count && !pools.isEmpty)
        for (pool, found) in zip(pools, users) {
            let database = try #require(plan.databases.first { $0.name == pool.database && $0.cluster == pool.cluster })
            #expect(!found.isEmpty && found == PgBouncerBudget.users(of: database, in: plan), "\(example): \(pool.name)")
        }
    }

    // MARK: TPB505 replicas-without-read-only-pool

    @Test func readableReplicasWithoutAReadOnlyPoolWarn() throws {
        let text = Self.topology(
            cluster: "    members: 3\n", pooling: "  mode: transaction\n  read_write: { pool_size: 20 }\n",
            extra: "guarantees: { consistency: eventual, rpo: 5s }\n")
        let found = try F.expect(
            .replicasWithoutReadOnlyPool, in: text, at: "mode: transaction",
            message:
                "cluster 'main' has 2 replicas that may serve reads (read_preference replica-within-lag), but no 'pooling.read_only' pool"
        )
        F.expectNote(found[0], at: "3\n", in: text)
    }

    @Test func leaderOnlyReadsOrAReadOnlyPoolNeedNoWarning() throws {
        try F.expectNothing(
            .replicasWithoutReadOnlyPool,
            in: Self.topology(
                cluster: "    members: 3\n", pooling: "  read_write: { pool_size: 20 }\n  read_only: { pool_size: 20 }\n"))
        // Strong consistency over asynchronous replicas reads from the leader only.
        try F.expectNothing(
            .replicasWithoutReadOnlyPool,
            in: Self.topology(
                cluster: "    members: 3\n", pooling: "  read_write: { pool_size: 20 }\n",
                extra: "guarantees: { consistency: strong }\n"))
        try F.expectNothing(.replicasWithoutReadOnlyPool, in: Self.topology(pooling: "  read_write: { pool_size: 20 }\n"))
    }

    @Test func readOnlyPoolWarningIsSuppressedOnTheCluster() throws {
        let text = Self.topology(
            cluster: "    members: 3\n    suppress: [{ rule: TPB505, reason: replicas are for failover only }]\n",
            pooling: "  read_write: { pool_size: 20 }\n")
        try F.expectNothing(.replicasWithoutReadOnlyPool, in: text)
    }

    @Test func readOnlyPoolWarningWithoutAPoolingSectionPointsAtTheMembers() throws {
        let text = "topology: shop\nclusters:\n  main:\n    members: 3\nguarantees: { consistency: eventual, rpo: 5s }\n"
        let found = try F.expect(.replicasWithoutReadOnlyPool, in: text, at: "3\n", message: "has 2 replicas")
        #expect(found[0].notes.isEmpty)
    }

    // MARK: TPB506 pool-name-collision

    @Test func poolNamesAreUniqueAndNotTheAdminConsole() throws {
        // A tenant database 'shop_ro' next to the main database 'shop': both would have a pool 'shop_ro'.
        let tenants = """
            topology: shop
            clusters:
              main: { members: 1 }
            tenancy: { mode: database-per-tenant, prefix: "shop_", app_role: shop_app, tenants: [acme, ro] }

            """
        let found = try F.expect(
            .poolNameCollision, in: tenants, at: "ro]",
            message:
                "the read-write pool of database 'shop_ro' would be named 'shop_ro', which is already the name of a pool of database 'shop'"
        )
        F.expectNote(found[0], at: "shop", in: tenants)
        // A vertical group's database named like another database's read-only pool.
        let vertical = """
            topology: shop
            clusters:
              main: { members: 1 }
            tables:
              users:
                columns: { id: bigint, bio: text }
                primary_key: id
                vertical: { profile: { columns: [bio], database: shop_ro } }

            """
        try F.expect(.poolNameCollision, in: vertical, at: "shop_ro", message: "already the name of a pool of database 'shop'")
        // The admin console's name, as the topology's and as a tenant's database.
        try F.expect(
            .poolNameCollision, in: "topology: pgbouncer\nclusters:\n  main: { members: 1 }\n", at: "pgbouncer",
            message: "the database name of PgBouncer's admin console")
        try F.expect(
            .poolNameCollision,
            in: tenants.replacingOccurrences(of: "[acme, ro]", with: "[acme, pgbouncer]")
                .replacingOccurrences(of: "prefix: \"shop_\"", with: "prefix: \"\""),
            at: "pgbouncer]", message: "PgBouncer refuses to start with such a pool")
        // Tenant names that make no other pool's name.
        try F.expectNothing(.poolNameCollision, in: tenants.replacingOccurrences(of: "[acme, ro]", with: "[acme, rw]"))
    }

    /// What TPB506 prevents, shown with the installed PgBouncer on the ini topoc writes when the
    /// rule is silenced: a pool named `pgbouncer` stops PgBouncer at its configuration, and two
    /// pools of one name load without a word.
    @Test func installedPgBouncerRefusesThePoolsTPB506Refuses() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/pgbouncer") else { return }
        func load(_ text: String) throws -> (ini: String, output: String) {
            let plan = try #require(PlanTestSupport.plan(text + "rules: { TPB506: off }\n", target: .local))
            let ini = PgBouncerConfig.text(plan: plan)
            let file = ClusterBackendSupport.write(ini, name: "pgbouncer.ini")
            let run = Subprocess.run(
                ["/usr/sbin/pgbouncer", file], environment: ["PATH": "/usr/bin:/bin"],
                directory: URL(fileURLWithPath: file).deletingLastPathComponent(), timeout: 2)
            return (ini, run.output + run.error)
        }
        let admin = try load("topology: pgbouncer\nclusters:\n  main: { members: 1 }\n")
        #expect(admin.output.contains("database name \"pgbouncer\" is reserved"), "\(admin.output)")
        #expect(admin.output.contains("cannot load config file"), "\(admin.output)")
        let twice = try load(
            "topology: shop\nclusters:\n  main: { members: 1, settings: { max_connections: 300 } }\n"
                + "tenancy: { mode: database-per-tenant, prefix: \"shop_\", app_role: shop_app, tenants: [ro] }\n")
        #expect(twice.ini.components(separatedBy: "\nshop_ro = ").count == 3, "the name is listed twice:\n\(twice.ini)")
        #expect(!twice.output.contains("cannot load config file") && !twice.output.contains("WARNING"), "\(twice.output)")
    }

    @Test func poolNamesAreThePoolsOfTheBuiltPgBouncerConfiguration() throws {
        // The rule's names are the ones pgbouncer.ini gets, for every example.
        for (name, text) in try RuleFixture.examples() {
            let topology = try #require(TopologyLoader.load(text: text, file: name).topology, "\(name)")
            let layout = PhysicalLayout(topology: topology)
            let names = PgBouncerPool.poolNames(of: layout.databases.map { ($0.name, $0.cluster) })
            let plan = try #require(PlanTestSupport.plan(text, file: name), "\(name)")
            let built = Set(PgBouncerPool.pools(of: plan).map(\.name))
            #expect(Set(names.flatMap { [$0.readWrite, $0.readOnly] }) == built, "\(name)")
        }
    }
}
