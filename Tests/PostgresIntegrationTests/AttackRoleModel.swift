import Foundation
import TopologyCompiler

/// A relation of a deployed database, read from its catalog by the superuser.
struct CatalogRelation: Sendable {
    var schema: String
    var name: String
    /// `r`, `p`, `v`, `m` or `S`.
    var kind: String
    var isPartition: Bool
    var forcesRowSecurity: Bool
    /// The first ordinary (not generated) column, for statements that name one.
    var column: String?

    var qualified: String { "\(quoted(schema)).\(quoted(name))" }
    var isTable: Bool { kind == "r" || kind == "p" }
}

/// A SECURITY DEFINER function of a deployed database, read from its catalog.
struct CatalogFunction: Sendable {
    var schema: String
    var name: String
    var oid: String
    /// `regprocedure` text, for the report.
    var signature: String
    var isTrigger: Bool
    /// A call with NULL arguments of the right types.
    var call: String
}

/// The role model as the attack suite reads it from the plan, written independently of the
/// backend (docs/roles.md): who may connect where, read or write what, and execute which
/// SECURITY DEFINER function. Whatever this model does not allow is attacked.
struct AttackRoleModel: Sendable {
    let plan: Plan

    enum Privilege: String, CaseIterable, Sendable {
        case select = "SELECT"
        case insert = "INSERT"
        case update = "UPDATE"
        case delete = "DELETE"
    }

    var roles: PlanRoles { plan.roles }
    var tenancyMode: TenancyMode? { plan.tenancy?.mode }
    var isSharedSchema: Bool { tenancyMode == .sharedSchema }
    var isSchemaPerTenant: Bool { tenancyMode == .schemaPerTenant }
    var sharedTables: Set<String> { Set(plan.tenancy?.sharedTables ?? []) }
    var tenants: [PlanTenant] { plan.tenancy?.tenants ?? [] }

    /// Whether the plan has logical consumers (so the CDC role exists).
    var capturesChanges: Bool { !plan.replication.slots.isEmpty || !plan.replication.publications.isEmpty }

    /// Every login role the plan's scripts create.
    var loginRoles: [String] {
        var names = [roles.application, roles.readOnly, roles.poolerAuth]
        names += tenants.compactMap(\.role)
        if capturesChanges { names.append(roles.changeDataCapture) }
        if !plan.multiPrimaryGroups.isEmpty { names.append(roles.multiPrimary) }
        names.append(roles.monitor)
        return names
    }

    /// The tenant whose database this is.
    func tenant(of database: PlanDatabase) -> PlanTenant? {
        guard database.kind == .tenant else { return nil }
        return tenants.first { $0.name == database.tenant }
    }

    /// The tenant whose schema this is (schema-per-tenant).
    func tenant(ofSchema schema: String) -> PlanTenant? {
        guard isSchemaPerTenant else { return nil }
        return tenants.first { $0.schema == schema }
    }

    /// The role that reads and writes the tables of `public`.
    func writer(_ database: PlanDatabase) -> String {
        tenant(of: database)?.role ?? roles.application
    }

    /// The role that only reads the tables of `public`.
    func reader(_ database: PlanDatabase) -> String? {
        tenant(of: database) == nil ? roles.readOnly : nil
    }

    /// Whether the database holds tenant schemas (schema-per-tenant, a database with tenant tables).
    func hasTenantSchemas(_ database: PlanDatabase) -> Bool {
        isSchemaPerTenant && database.kind != .vertical && database.kind != .tenant
            && database.tables.contains { !$0.contains(".") && !sharedTables.contains($0) }
    }

    /// Whether a Debezium connector reads a slot in the database (it then holds the heartbeat table).
    func hasConnector(_ database: PlanDatabase) -> Bool {
        plan.replication.sink != nil
            && plan.replication.slots.contains { $0.database == database.name && $0.cluster == database.cluster }
    }

    func publication(_ database: PlanDatabase) -> PlanPublication? {
        plan.replication.publications.first { $0.database == database.name && $0.cluster == database.cluster }
    }

    /// Whether `role` may connect to the database.
    func mayConnect(_ role: String, _ database: PlanDatabase) -> Bool {
        // The monitoring role reads every database's catalog (topoc check --live).
        if role == roles.poolerAuth || role == roles.monitor { return true }
        if role == roles.application || role == roles.readOnly { return database.kind != .tenant }
        if role == roles.changeDataCapture {
            return publication(database) != nil
                || plan.replication.slots.contains { $0.database == database.name && $0.cluster == database.cluster }
        }
        if role == roles.multiPrimary {
            return database.kind == .main
                && plan.multiPrimaryGroups.contains { $0.database == database.name && $0.clusters.contains(database.cluster) }
        }
        if let tenant = tenants.first(where: { $0.role == role }) {
            return tenant.database == database.name || (tenant.schema != nil && hasTenantSchemas(database))
        }
        return false
    }

    /// What `role` may do with a relation of the database.
    func privileges(_ role: String, _ relation: CatalogRelation, _ database: PlanDatabase) -> Set<Privilege> {
        let everything = Set(Privilege.allCases)
        if relation.isPartition || relation.kind == "S" { return [] }
        let published = Set(publication(database)?.tables ?? [])
        let audit = plan.replication.auditTables.first { $0.database == database.name }?.name
        if relation.schema == "public" {
            if relation.name == audit { return [] }
            // Debezium's heartbeat row: the CDC role reads it and updates beat_at only (HeartbeatTests).
            if relation.name == DebeziumCatalog.heartbeatTable && hasConnector(database) {
                return role == roles.changeDataCapture ? [.select] : []
            }
            switch relation.kind {
            case "v":
                return role == writer(database) || role == reader(database) ? [.select] : []
            case "m":
                return !isSharedSchema && (role == writer(database) || role == reader(database)) ? [.select] : []
            default:
                if role == writer(database) {
                    let readOnly = sharedTables.contains(relation.name) && database.kind != .tenant
                    return readOnly ? [.select] : everything
                }
                if role == reader(database) { return [.select] }
                if role == roles.changeDataCapture && published.contains(relation.name) { return [.select] }
                if hasTenantSchemas(database), sharedTables.contains(relation.name), tenants.contains(where: { $0.role == role }) {
                    return [.select]
                }
                return []
            }
        }
        if let tenant = tenant(ofSchema: relation.schema) {
            if role == tenant.role { return relation.isTable ? everything : [.select] }
            if role == roles.changeDataCapture && relation.isTable && published.contains(relation.name) { return [.select] }
        }
        // The monitoring role reads pg_partman's configuration (topoc check --live), nothing else.
        if relation.schema == "partman" && relation.name == "part_config" && role == roles.monitor { return [.select] }
        return []
    }

    /// The role that writes a schema's tables and refreshes its materialized views.
    func writer(ofSchema schema: String, _ database: PlanDatabase) -> String? {
        if schema == "public" { return writer(database) }
        return tenant(ofSchema: schema)?.role
    }

    /// Whether `role` may execute a SECURITY DEFINER function: only the pooler lookup by the
    /// auth role, and a materialized view's refresh function by its schema's writer (never under
    /// shared-schema tenancy, where row-level security does not filter materialized views).
    func mayExecute(_ role: String, _ function: CatalogFunction, _ database: PlanDatabase) -> Bool {
        if function.schema == "topoc_pgbouncer" && function.name == "lookup" { return role == roles.poolerAuth }
        if function.name.hasPrefix("topoc_refresh_") && !function.isTrigger {
            return !isSharedSchema && role == writer(ofSchema: function.schema, database)
        }
        return false
    }
}
