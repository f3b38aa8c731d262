/// The privileges on a schema's objects: the writer role reads and writes the tables (shared
/// tables only read), the reader role only reads, views are readable by both, materialized
/// views are refreshed only through their SECURITY DEFINER function, and partitions are never
/// granted (row-level security is on the partitioned table only).
package enum PrivilegeDDL {
    /// The role that reads and writes a schema's tables, as SQL text.
    static func writer(_ scope: SchemaScope) -> String {
        scope.isTenantTemplate ? SchemaTarget.tenantRoleIdentifier : SQLQuoting.identifier(scope.database.writerRole)
    }

    /// The role that only reads a schema's tables, as SQL text (none in tenant schemas and
    /// tenant databases).
    static func reader(_ scope: SchemaScope) -> String? {
        scope.isTenantTemplate ? nil : scope.database.readerRole.map(SQLQuoting.identifier)
    }

    /// Whether a table of the scope is only read by the writer: a shared table outside a
    /// tenant's own database.
    static func isReadOnly(_ table: TableShape, in scope: SchemaScope) -> Bool {
        let shared = Set(scope.database.plan.tenancy?.sharedTables ?? [])
        return table.group == nil && shared.contains(table.name) && scope.database.database.kind != .tenant
    }

    /// The GRANT statements of a schema.
    static func grants(_ scope: SchemaScope) -> SQLScript {
        var script = SQLScript()
        let database = scope.database
        let writer = writer(scope)
        let readers = [writer] + (reader(scope).map { [$0] } ?? [])
        let schema = scope.schema.identifier
        script.comment(
            "privileges of \(scope.isTenantTemplate ? "the tenant's role" : database.writerRole)\(reader(scope) == nil ? "" : " and the read-only role")"
        )
        if scope.schema != .publicSchema {
            // USAGE on public is granted by the superuser with the database privileges (the owner
            // does not own public).
            script.add("GRANT USAGE ON SCHEMA \(schema) TO \(readers.joined(separator: ", "))")
        }
        for table in scope.tables {
            let name = scope.schema.qualify(table.name)
            let privileges = isReadOnly(table, in: scope) ? "SELECT" : "SELECT, INSERT, UPDATE, DELETE"
            script.add("GRANT \(privileges) ON \(name) TO \(writer)")
            if let reader = reader(scope) { script.add("GRANT SELECT ON \(name) TO \(reader)") }
        }
        if scope.tables.contains(where: { !isReadOnly($0, in: scope) }) {
            script.add("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA \(schema) TO \(writer)")
        }
        if scope.isTenantTemplate {
            // The tenant's role reads the shared tables of public.
            let shared = database.publicTables.filter { $0.group == nil }
            if !shared.isEmpty {
                for table in shared { script.add("GRANT SELECT ON \(SchemaTarget.publicSchema.qualify(table.name)) TO \(writer)") }
            }
        }
        for view in database.views where ViewDDL.placement(view, in: database) == scope.isTenantTemplate {
            if view.materialized && database.isSharedSchemaTenancy {
                script.comment("\(view.name) is not granted: row-level security does not filter materialized views")
                continue
            }
            script.add("GRANT SELECT ON \(scope.schema.qualify(view.name)) TO \(readers.joined(separator: ", "))")
            if view.materialized {
                script.add("GRANT EXECUTE ON FUNCTION \(scope.schema.qualify(ViewDDL.refreshFunction(view.name)))() TO \(writer)")
            }
        }
        let defaults = defaultGrants(scope)
        if !defaults.isEmpty {
            let owner = SQLQuoting.identifier(database.plan.roles.owner)
            script.comment(
                "tables and sequences \(database.plan.roles.owner) creates later in \(scope.schema.identifier) are granted the same way")
            for grant in defaults {
                script.add(
                    "ALTER DEFAULT PRIVILEGES FOR ROLE \(owner) IN SCHEMA \(schema) GRANT \(grant.privileges.joined(separator: ", ")) ON \(grant.objects.rawValue) TO \(SQLQuoting.identifier(grant.role))"
                )
            }
        }
        return script
    }

    /// A default privilege the owner role sets in a schema: what it creates there later is
    /// granted to a client role (`ALTER DEFAULT PRIVILEGES`).
    package struct DefaultGrant: Sendable, Equatable {
        /// The kind of object granted.
        package enum Objects: String, Sendable {
            case tables = "TABLES"
            case sequences = "SEQUENCES"
        }

        /// The kind of object granted.
        package var objects: Objects
        /// The role granted to.
        package var role: String
        /// The privileges, in the order the DDL writes them.
        package var privileges: [String]
    }

    /// The default privileges of a schema: in `public` (tenant schemas are created by the
    /// onboarding function, which grants what exists), and never under shared-schema tenancy,
    /// where a partition granted this way would bypass its parent's row-level security.
    static func defaultGrants(_ scope: SchemaScope) -> [DefaultGrant] {
        let database = scope.database
        guard !scope.isTenantTemplate && !database.isSharedSchemaTenancy else { return [] }
        let writable = scope.tables.contains { !isReadOnly($0, in: scope) } || scope.tables.isEmpty
        var grants = [
            DefaultGrant(
                objects: .tables, role: database.writerRole, privileges: writable ? ["SELECT", "INSERT", "UPDATE", "DELETE"] : ["SELECT"])
        ]
        if let reader = database.readerRole {
            grants.append(DefaultGrant(objects: .tables, role: reader, privileges: ["SELECT"]))
        }
        if writable {
            grants.append(DefaultGrant(objects: .sequences, role: database.writerRole, privileges: ["USAGE", "SELECT"]))
        }
        return grants
    }
}

extension DatabaseScope {
    /// The default privileges the database's script sets in `public` (``PrivilegeDDL/defaultGrants(_:)``).
    package var publicDefaultGrants: [PrivilegeDDL.DefaultGrant] {
        PrivilegeDDL.defaultGrants(SchemaScope(database: self, schema: .publicSchema, tables: publicTables))
    }
}
