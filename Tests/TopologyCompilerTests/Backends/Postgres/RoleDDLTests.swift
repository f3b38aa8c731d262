import Testing

@testable import TopologyCompiler

/// The roles each database's script creates: every role but the tenants', and of the tenants'
/// only those the database grants to. The scripts are applied as the roles use them on
/// PostgreSQL by `ExampleDDLTests` and the attack suite (`PostgresIntegrationTests`).
@Suite("roles in database scripts")
struct RoleDDLTests {
    private func plan(mode: String, tenants count: Int) throws -> Plan {
        try TenantTopology.plan(tenants: count, mode: mode, target: .compose)
    }

    private func scripts(_ plan: Plan) -> [String: String] {
        Dictionary(
            PostgresBackend().artifacts(for: plan).map { ($0.path, String(decoding: $0.contents, as: UTF8.self)) },
            uniquingKeysWith: { first, _ in first })
    }

    /// A tenant database creates its own tenant's role and no other tenant's; the main database
    /// none of them; the cluster's post-bootstrap script every one.
    @Test func tenantDatabasesCreateTheirOwnRole() throws {
        let plan = try plan(mode: "database-per-tenant", tenants: 40)
        let scripts = scripts(plan)
        let tenant = try #require(scripts["sql/main/clinic_t7.sql"])
        #expect(tenant.contains("CREATE ROLE \"app_t7\""))
        #expect(!tenant.contains("CREATE ROLE \"app_t8\""))
        #expect(tenant.contains("CREATE ROLE \"app_readonly\""))
        let main = try #require(scripts["sql/main/clinics.sql"])
        #expect(!main.contains("CREATE ROLE \"app_t7\""))
        #expect(main.contains("CREATE ROLE \"app\""))
        let cluster = try #require(plan.clusters.first)
        let roles = PostBootstrapScript.text(cluster: cluster, plan: plan)
        #expect((0..<40).allSatisfy { roles.contains("CREATE ROLE \"app_t\($0)\"") })
    }

    /// A database of tenant schemas grants to every tenant's role, so it creates them all.
    @Test func tenantSchemasCreateEveryTenantRole() throws {
        let plan = try plan(mode: "schema-per-tenant", tenants: 5)
        let script = try #require(scripts(plan)["sql/main/clinics.sql"])
        #expect((0..<5).allSatisfy { script.contains("CREATE ROLE \"app_t\($0)\"") })
    }

    /// Doubling the tenants at most doubles the SQL written (3.5x when every tenant database
    /// carried every tenant's role, checked by reverting the filter).
    @Test func tenantOutputIsLinear() throws {
        let small = scripts(try plan(mode: "database-per-tenant", tenants: 40)).values.map(\.utf8.count).reduce(0, +)
        let large = scripts(try plan(mode: "database-per-tenant", tenants: 80)).values.map(\.utf8.count).reduce(0, +)
        #expect(Double(large) / Double(small) < 2.2, "\(small) -> \(large) bytes")
    }
}
