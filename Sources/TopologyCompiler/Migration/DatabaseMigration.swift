/// The migration of one database present in the new plan: its schema changes per schema (public,
/// and each existing tenant's schema under schema-per-tenant tenancy), and the steps that carry
/// them out in phases around the converge step.
struct DatabaseMigration {
    /// The database in the old plan, nil when it is new.
    let old: DatabaseScope?
    /// The database in the new plan.
    let new: DatabaseScope
    /// The shared script (``SharedSchemaGroup``) the old plan's script of the database includes.
    var oldShared: String? = nil
    /// The shared script the new plan's script of the database includes: its converge step
    /// includes it too (`\ir`, written once into the migration's `sql/shared/`), rather than
    /// carry it, ring and all, in every shard database's migration.
    var newShared: String? = nil

    /// The schemas the changes apply to, each with its changes.
    func schemaChanges() -> [(schema: SchemaTarget, label: String, changes: [SchemaChange])] {
        guard let old else { return [] }
        var result: [(SchemaTarget, String, [SchemaChange])] = []
        let publicDiff = SchemaDiff(
            old: old.publicTables, new: new.publicTables, oldViews: views(old, tenant: false),
            newViews: views(new, tenant: false), oldPublished: published(old), newPublished: published(new),
            publication: new.publication?.name)
        result.append((.publicSchema, "public", publicDiff.changes()))
        if new.hasTenantSchemas {
            let before = Set((old.plan.tenancy?.tenants ?? []).compactMap(\.schema))
            for tenant in new.plan.tenancy?.tenants ?? [] {
                guard let schema = tenant.schema, before.contains(schema) else { continue }
                let diff = SchemaDiff(
                    old: old.tenantTables, new: new.tenantTables, oldViews: views(old, tenant: true),
                    newViews: views(new, tenant: true), oldPublished: [], newPublished: [], publication: nil)
                let changes = diff.changes().filter {
                    if case .regrantView = $0 { return false }  // no default privileges in tenant schemas
                    return true
                }
                result.append((.fixed(schema), schema, changes))
            }
        }
        return result
    }

    /// Whether the new plan's script of this database differs from the old one's (anything the
    /// converge step would change).
    var scriptChanged: Bool {
        guard let old else { return true }
        return Self.comparable(old, shared: oldShared) != Self.comparable(new, shared: newShared)
    }

    /// What of a database's script can change: its body (rendered once per shared script: the
    /// same text for every database that includes it) and its identity. The header is left out
    /// (it names the topology and topoc's version); prologue and epilogue are the same for all.
    private static func comparable(_ database: DatabaseScope, shared: String?) -> [String] {
        let body =
            shared.map { path in database.shared.text("migration-body:\(path)") { DatabaseScript.body(database).render() } }
            ?? DatabaseScript.body(database).render()
        return [body, DatabaseScript.identity(database).render()]
    }

    /// A database script without its header (which names the topology and topoc's version).
    static func body(_ script: String) -> String {
        script.split(separator: "\n", omittingEmptySubsequences: false).drop { $0.hasPrefix("--") }.joined(separator: "\n")
    }

    /// The schemas and roles of tenants the new plan no longer lists, where the old plan gave this
    /// database tenant schemas (in the old plan's order).
    func droppedTenants() -> [(schema: String, role: String?)] {
        guard let old, old.hasTenantSchemas else { return [] }
        let kept = Set(new.hasTenantSchemas ? (new.plan.tenancy?.tenants ?? []).compactMap(\.schema) : [])
        let keptRoles = Set((new.plan.tenancy?.tenants ?? []).compactMap(\.role))
        return (old.plan.tenancy?.tenants ?? []).compactMap { tenant in
            guard let schema = tenant.schema, !kept.contains(schema) else { return nil }
            return (schema, tenant.role.flatMap { keptRoles.contains($0) ? nil : $0 })
        }
    }

    /// The views of a database in `public` (tenant false) or in each tenant's schema.
    private func views(_ database: DatabaseScope, tenant: Bool) -> [PlanView] {
        database.views.filter { ViewDDL.placement($0, in: database) == tenant }
    }

    /// The tables the database's publication holds.
    private func published(_ database: DatabaseScope) -> Set<String> {
        Set(database.publication?.tables ?? [])
    }

    /// Every step, in order: changes before the converge step (per schema), the converge step,
    /// then the changes after it (per schema). Destructive steps are left out unless allowed.
    func steps(allowDestructive: Bool) -> [MigrationStep] {
        var before: [MigrationStep] = []
        var after: [MigrationStep] = []
        var converge = old == nil || scriptChanged
        for (schema, label, changes) in schemaChanges() {
            let sql = MigrationStatements(schema: schema)
            let scope = SchemaScope(
                database: new, schema: schema, tables: schema == .publicSchema ? new.publicTables : new.tenantTables)
            var passed = false
            for change in changes {
                if case .converge = change {
                    passed = true
                    continue
                }
                converge = true
                if change.classification.impact == .destructive && !allowDestructive { continue }
                let steps = change.steps(sql, scope: scope).map { step -> MigrationStep in
                    var step = step
                    if schema != .publicSchema { step.id = "\(label)-\(step.id)" }
                    return step
                }
                if passed { after += steps } else { before += steps }
            }
        }
        if allowDestructive {
            let reserved = new.plan.roles.all
            after += droppedTenants().map { tenant in
                var body = SQLScript()
                body.add("DROP SCHEMA IF EXISTS \(SQLQuoting.identifier(tenant.schema)) CASCADE")
                var title = "drop tenant schema \(tenant.schema) with everything in it"
                if let role = tenant.role, !reserved.contains(role) {
                    // Its role's privileges here (and on databases); the cluster's drop.sql drops the role.
                    title += ", and what \(role) was granted here"
                    body.add(
                        "DO "
                            + SQLQuoting.dollarQuoted(
                                "BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = \(SQLQuoting.literal(role))) THEN DROP OWNED BY \(SQLQuoting.identifier(role)); END IF; END"
                            ))
                }
                return MigrationStep(
                    id: "drop-tenant-schema-\(tenant.schema)", title: title, mode: .transaction, body: body, asOwner: false)
            }
        }
        var steps = before
        if converge {
            var body = SQLScript()
            body.meta(newShared.map { DatabaseScript.includingScript(new, shared: $0) } ?? DatabaseScript.render(new))
            steps.append(
                MigrationStep(
                    id: "converge",
                    title:
                        "the new plan's database script: creates what is still missing (tables, functions, triggers, policies, views, grants, publication members); a no-op for what exists",
                    mode: .script, body: body, asOwner: false))
        }
        return steps + after
    }
}
