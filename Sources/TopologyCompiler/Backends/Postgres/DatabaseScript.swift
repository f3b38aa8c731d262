/// The complete, ordered script of one database.
///
/// It runs in one transaction with `client_min_messages = warning`; every statement is
/// `IF NOT EXISTS`, `OR REPLACE` or guarded by a catalog check, so applying it again is a
/// no-op without errors or warnings.
package enum DatabaseScript {
    /// The script's path: `sql/<cluster>/<database>.sql`.
    package static func path(_ database: PlanDatabase) -> String {
        "sql/\(database.cluster)/\(database.name).sql"
    }

    /// The script of a database, self-contained: the prologue, the ``body(_:)`` every database
    /// of its ``SharedSchemaGroup`` shares, its ``identity(_:)`` and the end of the transaction.
    /// A database of a group gets ``includingScript(_:shared:)`` on disk instead, whose text with
    /// the included file in place of its `\ir` line is this one.
    static func render(_ database: DatabaseScope) -> String {
        // One script rendered into one buffer (``SQLScript/render(after:)``): the body may hold a
        // ring of hundreds of thousands of tokens.
        var script = prologue()
        script.append(body(database))
        script.append(identity(database))
        script.append(epilogue())
        return script.render(after: header(database))
    }

    /// A database's script that includes its group's shared script (`sharedPath`) with psql's
    /// `\ir` and holds only what is its own: its identity.
    static func includingScript(_ database: DatabaseScope, shared sharedPath: String) -> String {
        var include = SQLScript()
        include.section("shared by every database of its group: \(sharedPath)")
        include.meta("\\ir \(relativeInclude(from: path(database.database), to: sharedPath))")
        return header(database, includes: sharedPath) + prologue().render() + include.render() + identity(database).render()
            + epilogue().render()
    }

    /// The `\ir` argument reaching `target` from the folder of `script` (both under `sql/`).
    static func relativeInclude(from script: String, to target: String) -> String {
        let from = script.split(separator: "/").dropLast()
        let to = target.split(separator: "/")
        var common = 0
        while common < from.count, common < to.count - 1, from[from.startIndex + common] == to[common] { common += 1 }
        return (Array(repeating: "..", count: from.count - common) + to.dropFirst(common).map(String.init)).joined(separator: "/")
    }

    /// The session settings and `BEGIN`.
    static func prologue() -> SQLScript {
        var script = SQLScript()
        script.add("SET client_min_messages = warning")
        script.add("SET standard_conforming_strings = on")
        script.add("SET check_function_bodies = on")
        script.add("SET search_path = \(SQLQuoting.identifier("public"))")
        script.add("SET TIME ZONE 'UTC'")
        script.add("BEGIN")
        return script
    }

    /// `RESET ROLE` and `COMMIT`.
    static func epilogue() -> SQLScript {
        var script = SQLScript()
        script.section("done")
        script.add("RESET ROLE")
        script.add("COMMIT")
        return script
    }

    /// What only this database has: the shard it holds (`topoc_this_shard()`); run as the owner
    /// after the body.
    static func identity(_ database: DatabaseScope) -> SQLScript {
        var script = SQLScript()
        let shard = ShardFunctionDDL.identity(database)
        if shard.hasStatements {
            script.section("this database's shard")
            script.append(shard)
        }
        return script
    }

    /// Everything between the prologue and the identity: the same text for every database of
    /// a ``SharedSchemaGroup``. Ends with the owner's role set.
    static func body(_ database: DatabaseScope) -> SQLScript {
        var script = SQLScript()
        let extensions = ExtensionDDL.statements(database)
        if extensions.hasStatements {
            script.section("extensions")
            script.append(extensions)
        }
        script.section("roles (docs/roles.md)")
        script.append(RoleDDL.createRoles(database))
        script.section("who may connect and create")
        script.append(RoleDDL.databasePrivileges(database))
        script.append(TenancyDDL.tenantSearchPaths(database))
        script.section("PgBouncer's auth_query")
        script.append(RoleDDL.poolerLookup(database))
        let follower = CaptureDDL.replicaIdentityFollower(database)
        if follower.hasStatements {
            script.section("change data capture: replica identity of future partitions (an event trigger needs the superuser)")
            script.append(follower)
        }
        script.section("everything below is owned by \(database.plan.roles.owner)")
        script.add("SET ROLE \(SQLQuoting.identifier(database.plan.roles.owner))")
        let capture = [CaptureDDL.auditLog(database), CaptureDDL.publication(database), CaptureDDL.heartbeat(database)]
        if capture.contains(where: \.hasStatements) {
            script.section("change data capture")
            for part in capture { script.append(part) }
        }
        let publicScope = SchemaScope(database: database, schema: .publicSchema, tables: database.publicTables)
        script.append(schemaObjects(publicScope, title: "schema public"))
        if database.hasTenantSchemas {
            let template = SchemaScope(database: database, schema: .tenantTemplate, tables: database.tenantTables)
            script.section("tenant schemas (schema-per-tenant)")
            script.append(TenancyDDL.onboardingFunction(database, template: schemaObjects(template, title: "tenant schema")))
        }
        let multiPrimary = MultiPrimaryDDL.statements(database)
        if multiPrimary.hasStatements {
            script.section("multi-primary replication")
            script.append(multiPrimary)
        }
        let shard = ShardFunctionDDL.statements(database)
        if shard.hasStatements {
            script.section("shard routing")
            script.append(shard)
        }
        return script
    }

    /// Everything created in one schema, in dependency order.
    static func schemaObjects(_ scope: SchemaScope, title: String) -> SQLScript {
        var script = SQLScript()
        let parts: [(String, SQLScript)] = [
            ("tables", TableDDL.statements(scope)),
            ("partitions", PartitionDDL.statements(scope)),
            ("indexes", IndexDDL.statements(scope)),
            ("counters and snapshots", CounterDDL.statements(scope)),
            ("audit, replica identity and publication", CaptureDDL.statements(scope)),
            ("row-level security", TenancyDDL.rowLevelSecurity(scope)),
            ("views", ViewDDL.statements(scope)),
            ("privileges", PrivilegeDDL.grants(scope)),
        ]
        for (name, part) in parts where !part.lines.isEmpty {
            script.section("\(title): \(name)")
            script.append(part)
        }
        return script
    }

    /// The header: what the script is, for which topology and version, and how to apply it.
    static func header(_ database: DatabaseScope, includes shared: String? = nil) -> String {
        let plan = database.plan
        let db = database.database
        var role = db.kind.rawValue
        if let shard = db.shard { role += " \(shard)" }
        if let tenant = db.tenant { role += ", tenant \(tenant)" }
        let includes = shared.map { "-- Includes \($0) (psql \\ir): keep the sql/ folder's layout.\n" } ?? ""
        return """
            -- Generated by topoc \(TopocVersion.current) from topology "\(SQLQuoting.comment(plan.topology))". Do not edit.
            -- PostgreSQL \(plan.postgresVersion) DDL of database "\(db.name)" on cluster "\(db.cluster)" (\(role)).
            -- Apply: psql -X -v ON_ERROR_STOP=1 -d \(db.name) -f \(path(db))
            \(includes)-- Order and server settings: sql/placement.json. Safe to apply again.

            """
    }
}
