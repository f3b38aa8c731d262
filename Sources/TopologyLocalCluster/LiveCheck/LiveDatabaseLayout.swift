import TopologyCompiler

/// One schema of a running database as its generated script creates it: the tables and the
/// roles that get privileges on them.
struct LiveSchemaLayout: Sendable {
    /// The schema's name.
    var schema: String
    /// The tables created in it.
    var tables: [TableShape]
    /// The role that reads and writes them (the tenant's role in a tenant's schema).
    var writer: String
    /// The role that only reads them, if any.
    var reader: String?
    /// The tenant whose schema this is (schema-per-tenant), if any.
    var tenant: String?
}

/// A database of the plan, laid out in schemas as `PostgresBackend` creates it.
struct LiveDatabaseLayout: Sendable {
    /// The database's scope, shared with the DDL backend.
    let scope: DatabaseScope
    /// Its schemas: `public` first, then every tenant's schema.
    let schemas: [LiveSchemaLayout]
    /// The role that owns every object the script creates (and sets the default privileges).
    let owner: String

    /// Lays out a database.
    init(plan: Plan, database: PlanDatabase) {
        let scope = DatabaseScope(plan: plan, database: database)
        self.scope = scope
        owner = plan.roles.owner
        var schemas = [
            LiveSchemaLayout(schema: "public", tables: scope.publicTables, writer: scope.writerRole, reader: scope.readerRole)
        ]
        if scope.hasTenantSchemas {
            for tenant in plan.tenancy?.tenants ?? [] {
                guard let schema = tenant.schema else { continue }
                schemas.append(
                    LiveSchemaLayout(
                        schema: schema, tables: scope.tenantTables, writer: tenant.role ?? plan.roles.application, reader: nil,
                        tenant: tenant.name))
            }
        }
        self.schemas = schemas
    }

    /// The plan's database.
    var database: PlanDatabase { scope.database }

    /// The schema a full table is reachable in from `schema`, or nil when it is elsewhere.
    func schema(of table: String, from schema: String) -> String? {
        if schemas.first(where: { $0.schema == schema })?.tables.contains(where: { $0.name == table && $0.group == nil }) == true {
            return schema
        }
        if schemas.first?.tables.contains(where: { $0.name == table && $0.group == nil }) == true { return "public" }
        return nil
    }

    /// Every schema name.
    var schemaNames: [String] { schemas.map(\.schema) }

    /// Every table name (in any schema).
    var tableNames: [String] { Array(Set(schemas.flatMap { $0.tables.map(\.name) })).sorted() }

    /// The roles whose table privileges the check compares: the writer and reader roles of every schema.
    var clientRoles: [String] {
        var roles: [String] = []
        for schema in schemas {
            for role in [schema.writer] + (schema.reader.map { [$0] } ?? []) where !roles.contains(role) { roles.append(role) }
        }
        return roles
    }
}
