/// Multi-tenancy: row-level security for shared-schema tenancy, and the onboarding function
/// that creates a tenant's schema for the tenant's own role (schema-per-tenant).
enum TenancyDDL {
    /// The setting that carries the current tenant (`SELECT set_config('app.tenant_id', ..., true)`).
    static let tenantSetting = "app.tenant_id"
    /// The name of every tenant-isolation policy.
    static let policyName = "tenant_isolation"
    /// The onboarding function of schema-per-tenant databases.
    static let onboardFunction = "topoc_onboard_tenant"

    /// Row-level security of the tenant tables (shared-schema tenancy): ENABLE and FORCE, and
    /// one policy comparing the tenant column with the `app.tenant_id` setting.
    static func rowLevelSecurity(_ scope: SchemaScope) -> SQLScript {
        var script = SQLScript()
        let database = scope.database
        guard database.isSharedSchemaTenancy, let tenancy = database.plan.tenancy, let column = tenancy.column else {
            return script
        }
        let type = tenancy.columnType.map(ColumnTypeSQL.spelling) ?? "text"
        let condition =
            "\(SQLQuoting.identifier(column)) = NULLIF(current_setting(\(SQLQuoting.literal(tenantSetting)), true), '')::\(type)"
        for table in scope.tables where table.group == nil && table.source.schema.tenantScoped {
            let name = scope.schema.qualify(table.name)
            guard table.column(column) != nil else {
                script.comment("\(table.name) has no column \(column): no row-level security")
                continue
            }
            script.comment("\(table.name): each tenant sees and writes only its rows, the owner included (FORCE)")
            script.add("ALTER TABLE \(name) ENABLE ROW LEVEL SECURITY")
            script.add("ALTER TABLE \(name) FORCE ROW LEVEL SECURITY")
            let policy = SQLQuoting.identifier(policyName)
            let body = """

                BEGIN
                    IF EXISTS (SELECT FROM pg_catalog.pg_policy WHERE polrelid = \(scope.schema.regclass(table.name)) AND polname = \(SQLQuoting.literal(policyName))) THEN
                        ALTER POLICY \(policy) ON \(name) USING (\(condition)) WITH CHECK (\(condition));
                    ELSE
                        CREATE POLICY \(policy) ON \(name) USING (\(condition)) WITH CHECK (\(condition));
                    END IF;
                END

                """
            script.add("DO " + SQLQuoting.dollarQuoted(body))
        }
        return script
    }

    /// The onboarding function of a schema-per-tenant database: it creates the schema of the
    /// tenant `tenant` (the prefix plus the name) with every tenant table, partition, index,
    /// trigger, view and grant, idempotently, and returns the schema's name.
    static func onboardingFunction(_ database: DatabaseScope, template: SQLScript) -> SQLScript {
        var script = SQLScript()
        let prefix = database.plan.tenancy?.prefix ?? ""
        var body = """

            DECLARE
                schema_name text := \(SQLQuoting.literal(prefix)) || tenant;
                role_name text := \(SQLQuoting.literal(database.plan.roles.application + "_")) || tenant;
            BEGIN
                IF tenant IS NULL OR tenant !~ '^[A-Za-z_][A-Za-z0-9_]*$' OR octet_length(schema_name) > 63 OR octet_length(role_name) > 63 THEN
                    RAISE EXCEPTION 'invalid tenant name: %', tenant
                        USING HINT = 'letters, digits and underscores, not starting with a digit; the schema and role names must fit in 63 bytes';
                END IF;
                IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = role_name) THEN
                    RAISE EXCEPTION 'role % does not exist', role_name
                        USING HINT = 'onboard-tenant.sql creates it; run that script as the superuser';
                END IF;
                EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', schema_name);

            """
        for line in template.lines {
            switch line {
            case .comment(let text), .section(let text):
                body += "    -- \(SQLQuoting.comment(text))\n"
            case .statement(let statement):
                body += "    EXECUTE format(\(SQLQuoting.literal(SchemaTarget.formatTemplate(statement))), schema_name, role_name);\n"
            case .pieces(let pieces):
                body +=
                    "    EXECUTE format(\(SQLQuoting.literal(SchemaTarget.formatTemplate(pieces.map(\.string).joined()))), schema_name, role_name);\n"
            case .meta:
                break
            }
        }
        body += """
                RETURN schema_name;
            END

            """
        script.comment(
            "\(onboardFunction)(tenant) creates the schema \(prefix)<tenant> with every tenant table, for role \(database.plan.roles.application)_<tenant> only; sql/\(database.cluster)/onboard-tenant.sql calls it"
        )
        script.add(
            "CREATE OR REPLACE FUNCTION \(SchemaTarget.publicSchema.qualify(onboardFunction))(tenant text) RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog, public AS "
                + SQLQuoting.dollarQuoted(body))
        script.add("REVOKE ALL ON FUNCTION \(SchemaTarget.publicSchema.qualify(onboardFunction))(text) FROM PUBLIC")
        for tenant in database.plan.tenancy?.tenants ?? [] {
            script.add("SELECT \(SchemaTarget.publicSchema.qualify(onboardFunction))(\(SQLQuoting.literal(tenant.name)))")
        }
        return script
    }

    /// Each tenant role's `search_path` in a database of tenant schemas: its own schema, then
    /// `public` (the shared tables), so the tenant's sessions name their tables unqualified. A
    /// setting of the role in this database (`ALTER ROLE ... IN DATABASE`), applied at login, which
    /// PgBouncer's pools keep per role; run as the superuser, before the owner's part.
    static func tenantSearchPaths(_ database: DatabaseScope) -> SQLScript {
        var script = SQLScript()
        guard database.hasTenantSchemas else { return script }
        let tenants = (database.plan.tenancy?.tenants ?? []).compactMap { tenant in
            tenant.role.flatMap { role in tenant.schema.map { (role, $0) } }
        }
        guard !tenants.isEmpty else { return script }
        script.comment("each tenant's role finds its own schema first, then the shared tables of public")
        let roles = "ARRAY[" + tenants.map { SQLQuoting.literal($0.0) }.joined(separator: ", ") + "]::text[]"
        let schemas = "ARRAY[" + tenants.map { SQLQuoting.literal($0.1) }.joined(separator: ", ") + "]::text[]"
        let body = """

            DECLARE
                tenant record;
            BEGIN
                FOR tenant IN SELECT * FROM unnest(\(roles), \(schemas)) AS t(role_name, schema_name) LOOP
                    EXECUTE format(\(SQLQuoting.literal(searchPathTemplate)), tenant.role_name, current_database(), tenant.schema_name);
                END LOOP;
            END

            """
        script.add("DO " + SQLQuoting.dollarQuoted(body))
        return script
    }

    /// The `format()` template that sets a tenant role's `search_path` in the current database:
    /// role, database, schema.
    static let searchPathTemplate = "ALTER ROLE %I IN DATABASE %I SET search_path = %I, public"

    /// `onboard-tenant.sql`: onboards the tenant named by the psql variable `tenant`.
    static func onboardScript(_ database: DatabaseScope, header: String) -> String {
        var script = SQLScript()
        let roles = database.plan.roles
        let role = "\(SQLQuoting.literal(roles.application + "_")) || :'tenant'"
        script.comment("Onboards one tenant of database \(database.database.name): creates its login role \(roles.application)_<tenant>")
        script.comment("(a member of \(roles.clients), so PgBouncer serves it), then its schema and tables, owned by \(roles.owner).")
        script.comment(
            "usage (as the superuser): psql -X -v ON_ERROR_STOP=1 -d \(database.database.name) -v tenant=<name> -f sql/\(database.cluster)/onboard-tenant.sql"
        )
        script.comment("then set the role's password: ALTER ROLE \(roles.application)_<tenant> PASSWORD '...' (from the tenant's secret)")
        script.add("SET client_min_messages = warning")
        script.add("BEGIN")
        script.meta(
            "SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS', \(role)) WHERE :'tenant' ~ '^[A-Za-z_][A-Za-z0-9_]*$' AND NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = \(role)) \\gexec"
        )
        script.meta(
            "SELECT format('GRANT %I TO %I', \(SQLQuoting.literal(roles.clients)), \(role)) WHERE :'tenant' ~ '^[A-Za-z_][A-Za-z0-9_]*$' \\gexec"
        )
        script.meta(
            "SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), \(role)) WHERE :'tenant' ~ '^[A-Za-z_][A-Za-z0-9_]*$' \\gexec"
        )
        script.meta(
            "SELECT format(\(SQLQuoting.literal(searchPathTemplate)), \(role), current_database(), \(SQLQuoting.literal(database.plan.tenancy?.prefix ?? "")) || :'tenant') WHERE :'tenant' ~ '^[A-Za-z_][A-Za-z0-9_]*$' \\gexec"
        )
        script.add("SET ROLE \(SQLQuoting.identifier(roles.owner))")
        script.add("SELECT \(SchemaTarget.publicSchema.qualify(onboardFunction))(:'tenant')")
        script.add("RESET ROLE")
        script.add("COMMIT")
        return header + script.render()
    }
}
