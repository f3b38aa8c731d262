import Testing

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

    @Test func preparedStatementsUnderTransactionPoolingAreAnError() throws {
        let text = Self.topology(pooling: "  mode: transaction\n  session_features: [prepared-statements]\n")
        let found = try F.expect(
            .preparedStatementsUnderTransactionPooling, in: text, at: "prepared-statements",
            message:
                "protocol-level prepared statements need PgBouncer 1.21 or later with max_prepared_statements set (Debian 12 ships 1.18)"
        )
        F.expectNote(found[0], at: "transaction", in: text)
    }

    @Test func preparedStatementsUnderSessionPoolingAreFine() throws {
        try F.expectNothing(
            .preparedStatementsUnderTransactionPooling,
            in: Self.topology(pooling: "  mode: session\n  session_features: [prepared-statements]\n"))
    }

    // MARK: TPB504 pools-exceed-max-connections

    static func tenants(_ count: Int, cluster: String = "    members: 1\n", pooling: String) -> String {
        let names = (0..<count).map { "t\($0)" }.joined(separator: ", ")
        return topology(
            cluster: cluster, pooling: pooling,
            extra: "tenancy: { mode: database-per-tenant, tenants: [\(names)] }\ntables:\n  items:\n    columns: { id: bigint }\n"
        )
    }

    @Test func poolsOfEveryTenantDatabaseMustFitMaxConnections() throws {
        // 5 tenant databases + the main one: (20 + 5) x 6 + 3 = 153 > 100.
        let text = Self.tenants(5, pooling: "  read_write: { pool_size: 20, reserve: 5 }\n")
        let found = try F.expect(
            .poolsExceedMaxConnections, in: text, at: "main:",
            message:
                "the leader of cluster 'main' may receive 153 connections, more than the default max_connections 100: read_write pool 20 + reserve 5 for each of the 6 databases on cluster 'main', plus 3 superuser_reserved_connections"
        )
        F.expectNote(found[0], at: "20", in: text)
        let declared = Self.tenants(
            5, cluster: "    members: 1\n    settings: { max_connections: 150 }\n",
            pooling: "  read_write: { pool_size: 20, reserve: 5 }\n")
        try F.expect(.poolsExceedMaxConnections, in: declared, at: "150", message: "more than max_connections 150")
    }

    @Test func readOnlyPoolsMustFitTheReplicas() throws {
        let text = Self.topology(
            cluster: "    members: 2\n", pooling: "  read_write: { pool_size: 20 }\n  read_only: { pool_size: 90, reserve: 10 }\n"
        )
        let found = try F.expect(
            .poolsExceedMaxConnections, in: text, at: "main:",
            message: "each replica of cluster 'main' may receive 103 connections")
        F.expectNote(found[0], at: "90", in: text)
        // Without a read_only pool the replicas' pools take the read_write size, without reserve.
        let implicit = Self.tenants(
            1, cluster: "    members: 2\n", pooling: "  read_write: { pool_size: 60, reserve: 5 }\n")
        let both = try F.findings(.poolsExceedMaxConnections, implicit)
        #expect(both.count == 2)
        let replica = try #require(both.first { $0.message.hasPrefix("each replica") })
        #expect(
            replica.message.contains(
                "may receive 123 connections, more than the default max_connections 100: read-only pool 60 (the read_write size: no read_only pool is declared) + reserve 0"
            ))
        F.expectNote(replica, at: "60", in: implicit)
    }

    @Test func poolsThatFitAreFine() throws {
        try F.expectNothing(
            .poolsExceedMaxConnections, in: Self.tenants(2, pooling: "  read_write: { pool_size: 20, reserve: 5 }\n"))
        try F.expectNothing(
            .poolsExceedMaxConnections,
            in: Self.tenants(
                5, cluster: "    members: 1\n    settings: { max_connections: 153 }\n",
                pooling: "  read_write: { pool_size: 20, reserve: 5 }\n"))
        // The read-only pool lands on replicas only; a single member has none.
        try F.expectNothing(.poolsExceedMaxConnections, in: Self.topology(pooling: "  read_only: { pool_size: 200 }\n"))
    }

    @Test func connectionBudgetIsSuppressedOnTheCluster() throws {
        let text = Self.tenants(
            5, cluster: "    members: 1\n    suppress: [{ rule: TPB504, reason: tenants are never all busy }]\n",
            pooling: "  read_write: { pool_size: 20, reserve: 5 }\n")
        try F.expectNothing(.poolsExceedMaxConnections, in: text)
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
}
