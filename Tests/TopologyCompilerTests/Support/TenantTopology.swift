@testable import TopologyCompiler

/// A one-cluster topology with `count` tenants (`t0`, `t1`, ...) in `mode`, sized so that
/// PgBouncer's pool rule admits thousands of tenant databases: the scaling tests of the postgres
/// and kubernetes backends (`RoleDDLTests`, `ConfigMapPackingTests`).
enum TenantTopology {
    /// The topology's YAML.
    static func text(tenants count: Int, mode: String = "database-per-tenant") -> String {
        let tenants = (0..<count).map { "t\($0)" }.joined(separator: ", ")
        return """
            version: 1
            topology: clinics
            postgres: 15
            clusters:
              main: { members: 1, settings: { max_connections: 2000 } }
            pooling:
              read_write: { pool_size: 1 }
            tenancy:
              mode: \(mode)
              prefix: clinic_
              tenants: [\(tenants)]
            tables:
              patients:
                columns: { id: bigint, name: text }
                primary_key: [id]

            """
    }

    /// Its plan for `target`.
    static func plan(tenants count: Int, mode: String = "database-per-tenant", target: DeploymentTarget) throws -> Plan {
        let compiled = CompilerDriver.compile(bytes: Array(text(tenants: count, mode: mode).utf8), file: "clinics.yaml", target: target)
        guard let plan = compiled.plan else { throw TenantTopologyError(diagnostics: compiled.diagnostics.map(\.rendered)) }
        return plan
    }
}

/// The diagnostics of a tenant topology that did not compile.
struct TenantTopologyError: Error, CustomStringConvertible {
    let diagnostics: [String]
    var description: String { diagnostics.joined(separator: "\n") }
}
