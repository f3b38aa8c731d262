/// The role model in SQL: the roles every cluster needs, what each may reach in a database, and
/// the lookup function PgBouncer's `auth_query` calls (docs/roles.md).
///
/// Roles are cluster-wide, so every database script creates them idempotently (and
/// `post-bootstrap.sh` creates the login roles with their passwords before any script runs).
/// Privileges are per database: `PUBLIC` keeps no CONNECT or TEMPORARY, and each role gets
/// CONNECT only on the databases its work needs.
package enum RoleDDL {
    /// The schema of PgBouncer's lookup function.
    static let poolerSchema = "topoc_pgbouncer"
    /// PgBouncer's lookup function (in ``poolerSchema``).
    static let poolerFunction = "lookup"

    /// PgBouncer's `auth_query`.
    static var poolerAuthQuery: String {
        "SELECT usename, passwd FROM \(SQLQuoting.qualified(poolerSchema, poolerFunction))($1)"
    }

    /// One role topoc creates, with the attributes it must have.
    package struct Role: Sendable, Equatable {
        /// The role's name.
        package var name: String
        /// Whether it logs in.
        package var login: Bool
        /// Whether it may stream WAL (logical consumers, multi-primary links).
        package var replication = false
        /// Whether it bypasses row-level security (the CDC role where FORCE would hide rows).
        package var bypassRLS = false
        /// Whether it uses the privileges of the roles granted to it without `SET ROLE`: the
        /// monitoring role and the backup role, for `pg_read_all_settings`; every other role is
        /// NOINHERIT.
        package var inherit = false
        /// The group it belongs to, if any.
        var memberOf: String?
        /// The environment variable holding its password (login roles only).
        var passwordVariable: String?
        /// What it is for, in the script's comment.
        var purpose: String
    }

    /// Every role a plan's DDL creates, in creation order (groups before their members). The
    /// superuser, Patroni's replication and rewind roles are Patroni's; PgBouncer's admin user
    /// exists only in PgBouncer.
    package static func roles(_ plan: Plan) -> [Role] {
        roles(plan, tenants: plan.tenancy?.tenants ?? [])
    }

    /// The roles of ``roles(_:)`` with, of the tenants' roles, only those of `tenants`.
    static func roles(_ plan: Plan, tenants: [PlanTenant]) -> [Role] {
        let names = plan.roles
        var roles = [
            Role(name: names.owner, login: false, purpose: "owns every schema object and SECURITY DEFINER function"),
            Role(name: names.clients, login: false, purpose: "the group of login roles PgBouncer serves"),
            Role(
                name: names.application, login: true, memberOf: names.clients, passwordVariable: plan.secrets.app,
                purpose: "the application"),
            Role(
                name: names.readOnly, login: true, memberOf: names.clients, passwordVariable: plan.secrets.readOnly,
                purpose: "read-only clients"),
            Role(
                name: names.poolerAuth, login: true, passwordVariable: plan.secrets.poolerAuth,
                purpose: "PgBouncer's auth_user: calls the lookup function only"),
        ]
        for tenant in tenants {
            guard let role = tenant.role else { continue }
            roles.append(
                Role(
                    name: role, login: true, memberOf: names.clients, passwordVariable: tenant.passwordVariable,
                    purpose: "tenant \(tenant.name) only"))
        }
        if capturesChanges(plan) {
            roles.append(
                Role(
                    name: names.changeDataCapture, login: true, replication: true, bypassRLS: cdcBypassesRLS(plan),
                    passwordVariable: plan.secrets.changeDataCapture, purpose: "logical decoding consumers (Debezium)"))
        }
        if !plan.multiPrimaryGroups.isEmpty {
            roles.append(
                Role(
                    name: names.multiPrimary, login: true, replication: true, passwordVariable: plan.secrets.multiPrimary,
                    purpose: "multi-primary subscriptions reading their peers"))
        }
        roles.append(
            Role(
                name: names.monitor, login: true, inherit: true, memberOf: monitorGroup, passwordVariable: plan.secrets.monitor,
                purpose: "topoc check --live: reads catalogs, every setting, pg_cron's jobs and pg_partman's configuration"))
        if plan.backup != nil {
            roles.append(
                Role(
                    name: names.backup, login: true, inherit: true,
                    purpose: "pgBackRest: starts and stops backups; logs in over the socket by peer map only, no password"))
        }
        return roles
    }

    /// The predefined role whose privileges the monitoring role inherits: it shows the settings
    /// `pg_settings` hides from other roles (`shared_preload_libraries`, ...), and nothing else.
    static let monitorGroup = "pg_read_all_settings"

    /// What the backup role may do besides log in, in the `postgres` database pgBackRest connects
    /// to (pgBackRest 2.45 as a non-superuser, checked by the cluster suite): read the settings
    /// (data_directory, archive_command...), start and stop a non-exclusive backup, and for
    /// `pgbackrest check` switch WAL and create a restore point.
    static func backupGrants(_ plan: Plan) -> SQLScript {
        var script = SQLScript()
        guard plan.backup != nil else { return script }
        let role = SQLQuoting.identifier(plan.roles.backup)
        let functions =
            plan.postgresVersion >= 15
            ? ["pg_backup_start(text, boolean)", "pg_backup_stop(boolean)"]
            : ["pg_start_backup(text, boolean, boolean)", "pg_stop_backup(boolean, boolean)"]
        script.comment("\(plan.roles.backup): what pgBackRest needs to back up without the superuser")
        script.add("GRANT pg_read_all_settings TO \(role)")
        script.add(
            "GRANT EXECUTE ON FUNCTION "
                + (functions + ["pg_switch_wal()", "pg_create_restore_point(text)"]).map { "pg_catalog." + $0 }.joined(separator: ", ")
                + " TO \(role)")
        return script
    }

    /// The backup role and its grants alone, for clusters that get backups after their bootstrap
    /// (`topoc migrate`, `topoc up`); post-bootstrap.sh makes both for a cluster bootstrapped with
    /// backups. Empty without backups.
    static func backupRoleScript(_ plan: Plan) -> SQLScript {
        guard plan.backup != nil else { return SQLScript() }
        var script = createRoles(roles(plan).filter { $0.name == plan.roles.backup })
        script.append(backupGrants(plan))
        return script
    }

    /// Whether the plan has logical consumers (a slot or a publication for CDC).
    static func capturesChanges(_ plan: Plan) -> Bool {
        !plan.replication.slots.isEmpty || !plan.replication.publications.isEmpty
    }

    /// Whether the CDC role needs BYPASSRLS: a captured table is a shared-schema tenant table,
    /// whose FORCE ROW LEVEL SECURITY would hide every row from the consumer's snapshot.
    static func cdcBypassesRLS(_ plan: Plan) -> Bool {
        guard let tenancy = plan.tenancy, tenancy.mode == .sharedSchema, let column = tenancy.column else {
            return false
        }
        let shared = Set(tenancy.sharedTables)
        let captured = Set(plan.replication.publications.flatMap(\.tables))
        return plan.tables.contains {
            captured.contains($0.name) && !shared.contains($0.name) && $0.schema.columns.contains { $0.name == column }
        }
    }

    /// ``createRoles(_:)-(Plan)`` for the roles one database's script grants to: every role but
    /// the tenants', and of those only its own tenant's (database-per-tenant) or, in a database of
    /// tenant schemas, every tenant's. The other tenants' roles are created by the cluster's
    /// post-bootstrap script and by their own databases' scripts; carrying them all in every
    /// tenant database's script made a database-per-tenant build grow with the square of the
    /// tenants (`RoleDDLTests.tenantDatabasesCreateTheirOwnRole`).
    static func createRoles(_ database: DatabaseScope) -> SQLScript {
        let plan = database.plan
        let tenants = database.hasTenantSchemas ? plan.tenancy?.tenants ?? [] : database.tenant.map { [$0] } ?? []
        return createRoles(roles(plan, tenants: tenants))
    }

    /// `CREATE ROLE` for missing roles, then the attributes every role must have (also on a role
    /// that existed before), and group membership: every role of the plan.
    static func createRoles(_ plan: Plan) -> SQLScript {
        createRoles(roles(plan))
    }

    /// `CREATE ROLE` for `roles` where missing, their attributes and their group membership.
    private static func createRoles(_ roles: [Role]) -> SQLScript {
        var script = SQLScript()
        for role in roles {
            let literal = SQLQuoting.literal(role.name)
            let identifier = SQLQuoting.identifier(role.name)
            let attributes = [
                role.login ? "LOGIN" : "NOLOGIN", "NOSUPERUSER", "NOCREATEDB", "NOCREATEROLE", role.inherit ? "INHERIT" : "NOINHERIT",
                role.replication ? "REPLICATION" : "NOREPLICATION", role.bypassRLS ? "BYPASSRLS" : "NOBYPASSRLS",
            ].joined(separator: " ")
            script.comment("\(role.name): \(role.purpose)")
            var body = """

                BEGIN
                    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = \(literal)) THEN
                        CREATE ROLE \(identifier) \(attributes);
                    END IF;

                """
            if let group = role.memberOf {
                body += """
                        IF NOT EXISTS (
                            SELECT FROM pg_catalog.pg_auth_members m
                            JOIN pg_catalog.pg_roles g ON g.oid = m.roleid JOIN pg_catalog.pg_roles r ON r.oid = m.member
                            WHERE g.rolname = \(SQLQuoting.literal(group)) AND r.rolname = \(literal)) THEN
                            GRANT \(SQLQuoting.identifier(group)) TO \(identifier);
                        END IF;

                    """
            }
            body += "END\n"
            script.add("DO " + SQLQuoting.dollarQuoted(body))
            script.add("ALTER ROLE \(identifier) \(attributes)")
        }
        return script
    }

    /// The roles that connect to a database, with why.
    static func connectingRoles(_ database: DatabaseScope) -> [(role: String, why: String)] {
        let plan = database.plan
        var roles: [(String, String)] = [(plan.roles.poolerAuth, "PgBouncer's auth_query runs here")]
        if let tenant = database.tenant {
            roles.append((tenant.role ?? plan.roles.application, "its tenant's role"))
        } else {
            roles.append((plan.roles.application, "the application"))
            roles.append((plan.roles.readOnly, "read-only clients"))
            if database.hasTenantSchemas {
                for tenant in plan.tenancy?.tenants ?? [] {
                    if let role = tenant.role { roles.append((role, "tenant \(tenant.name)'s schema")) }
                }
            }
        }
        if plan.replication.slots.contains(where: { $0.database == database.database.name && $0.cluster == database.cluster })
            || database.publication != nil
        {
            roles.append((plan.roles.changeDataCapture, "logical decoding"))
        }
        if MultiPrimaryDDL.group(of: database) != nil {
            roles.append((plan.roles.multiPrimary, "the group's peers subscribe here"))
        }
        roles.append((plan.roles.monitor, "topoc check --live reads its catalog"))
        return roles
    }

    /// Who may connect, create and use temporary tables in the database and in `public`.
    static func databasePrivileges(_ database: DatabaseScope) -> SQLScript {
        var script = SQLScript()
        let plan = database.plan
        let owner = SQLQuoting.identifier(plan.roles.owner)
        var body = """

            BEGIN
                EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
                EXECUTE format('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO %I', current_database(), \(SQLQuoting.literal(plan.roles.owner)));

            """
        for (role, _) in connectingRoles(database) {
            body += "    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), \(SQLQuoting.literal(role)));\n"
        }
        body += "END\n"
        script.comment(
            "no CONNECT or TEMPORARY for PUBLIC; CONNECT for "
                + connectingRoles(database).map { "\($0.role) (\($0.why))" }.joined(separator: ", "))
        script.add("DO " + SQLQuoting.dollarQuoted(body))
        script.comment("nobody but the owner creates objects in public")
        script.add("REVOKE CREATE ON SCHEMA \(SchemaTarget.publicSchema.identifier) FROM PUBLIC")
        script.add("GRANT USAGE, CREATE ON SCHEMA \(SchemaTarget.publicSchema.identifier) TO \(owner)")
        let users = connectingRoles(database).map { SQLQuoting.identifier($0.role) }.joined(separator: ", ")
        script.add("GRANT USAGE ON SCHEMA \(SchemaTarget.publicSchema.identifier) TO \(users)")
        if database.extensions.contains("pg_partman") {
            let partman = SQLQuoting.identifier(ExtensionDDL.partmanSchema)
            script.comment("the owner runs pg_partman's create_parent on its tables (pg_partman's non-superuser setup)")
            script.add("GRANT ALL ON SCHEMA \(partman) TO \(owner)")
            script.add("GRANT ALL ON ALL TABLES IN SCHEMA \(partman) TO \(owner)")
            script.add("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA \(partman) TO \(owner)")
            script.add("GRANT EXECUTE ON ALL PROCEDURES IN SCHEMA \(partman) TO \(owner)")
            let monitor = SQLQuoting.identifier(plan.roles.monitor)
            script.comment("the monitoring role reads pg_partman's configuration (topoc check --live)")
            script.add("GRANT USAGE ON SCHEMA \(partman) TO \(monitor)")
            script.add("GRANT SELECT ON \(SQLQuoting.qualified(ExtensionDDL.partmanSchema, "part_config")) TO \(monitor)")
            script.comment("pg_partman's functions (some SECURITY DEFINER) are the owner's tools, not PUBLIC's")
            script.add("REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA \(partman) FROM PUBLIC")
            script.add("REVOKE EXECUTE ON ALL PROCEDURES IN SCHEMA \(partman) FROM PUBLIC")
        }
        script.comment("functions the owner creates are not executable by PUBLIC unless granted")
        script.add("ALTER DEFAULT PRIVILEGES FOR ROLE \(owner) REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC")
        return script
    }

    /// PgBouncer's lookup function: SECURITY DEFINER and owned by the superuser, because only a
    /// superuser may read `pg_authid`; it answers only for login members of the clients group
    /// that are neither superuser, replication nor BYPASSRLS roles, and only the auth role may
    /// call it. It returns no row for any other role (a set-returning function), which PgBouncer
    /// reads as an unknown user.
    static func poolerLookup(_ database: DatabaseScope) -> SQLScript {
        var script = SQLScript()
        let plan = database.plan
        let schema = SQLQuoting.identifier(poolerSchema)
        let function = SQLQuoting.qualified(poolerSchema, poolerFunction)
        let auth = SQLQuoting.identifier(plan.roles.poolerAuth)
        let body = """

            SELECT a.rolname::text, a.rolpassword
            FROM pg_catalog.pg_authid a
            WHERE a.rolname = username
              AND a.rolcanlogin AND NOT a.rolsuper AND NOT a.rolreplication AND NOT a.rolbypassrls
              AND EXISTS (
                  SELECT FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                  WHERE m.member = a.oid AND g.rolname = \(SQLQuoting.literal(plan.roles.clients)))

            """
        script.comment(
            "PgBouncer's auth_query: the SCRAM secret of a member of \(plan.roles.clients), and of no other role; only \(plan.roles.poolerAuth) may call it"
        )
        script.add("CREATE SCHEMA IF NOT EXISTS \(schema)")
        script.add("REVOKE ALL ON SCHEMA \(schema) FROM PUBLIC")
        script.add("GRANT USAGE ON SCHEMA \(schema) TO \(auth)")
        script.add(
            "CREATE OR REPLACE FUNCTION \(function)(username text) RETURNS TABLE (usename text, passwd text) LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS "
                + SQLQuoting.dollarQuoted(body))
        script.add("REVOKE ALL ON FUNCTION \(function)(text) FROM PUBLIC")
        script.add("GRANT EXECUTE ON FUNCTION \(function)(text) TO \(auth)")
        return script
    }
}
