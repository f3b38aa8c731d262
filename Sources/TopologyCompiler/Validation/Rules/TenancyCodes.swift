/// The codes of the tenancy rules (`TTN6xx`): what keeps tenants apart in each tenancy mode.
extension DiagnosticCode {
    /// A tenant table without the tenant column in shared-schema tenancy.
    public static let tenantColumnMissing = DiagnosticCode(
        code: "TTN601", slug: "tenant-column-missing", defaultSeverity: .error,
        summary: "In shared-schema tenancy every table not listed in `shared_tables` needs the tenant column.",
        explanation: """
            Shared-schema tenancy keeps tenants apart with row-level security policies that compare the \
            tenant column with the tenant of the session. A table without the column cannot have such a \
            policy, so every tenant would read and write every row of it. Add the tenant column to the \
            table (a merge key such as `<<: *tenant-key` keeps it uniform), or list the table under \
            `tenancy.shared_tables` if its rows really belong to no tenant.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-rowsecurity.html")

    /// A unique key of a tenant table without the tenant column.
    public static let uniqueKeyWithoutTenant = DiagnosticCode(
        code: "TTN602", slug: "unique-key-without-tenant", defaultSeverity: .error,
        summary: "A primary or unique key of a tenant table must include the tenant column.",
        explanation: """
            Unique checks (like foreign key checks) always bypass row-level security. A unique key \
            without the tenant column makes one tenant's row block another tenant's equal value (two \
            tenants cannot both have a project named "Roadmap"), and the unique violation tells the second \
            tenant that the value exists: a covert channel across tenants. Put the tenant column first in \
            every unique constraint, unique index and natural primary key. A primary key of one generated \
            column (serial types, a uuid, or a column with a default) is unique on its own and exempt.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-rowsecurity.html")

    /// A tenant column whose type differs from the tenancy's column type.
    public static let tenantColumnType = DiagnosticCode(
        code: "TTN603", slug: "tenant-column-type", defaultSeverity: .error,
        summary: "The tenant column must have the type of `tenancy.column_type` in every table.",
        explanation: """
            The row-level security policies compare each table's tenant column with the session's tenant \
            cast to `column_type` (text when omitted). A table whose column has another type makes the \
            policy compare across types: a uuid column against a text setting fails with "operator does \
            not exist: uuid = text", and integer against bigint keys disagree once ids grow. Declare the \
            column with `column_type` in every tenant table, or set `column_type` to the type the tables use.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-rowsecurity.html")

    /// A nullable tenant column.
    public static let tenantColumnNullable = DiagnosticCode(
        code: "TTN604", slug: "tenant-column-nullable", defaultSeverity: .warning,
        summary: "The tenant column should be NOT NULL.",
        explanation: """
            A row whose tenant column is NULL matches no tenant's policy (NULL = tenant is never true): \
            no tenant can read or fix it, and it is visible only to roles that bypass row-level security. \
            The policies also reject inserting such a row as the application role, so a nullable tenant \
            column only hides bugs. Declare the column `nullable: false`.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-rowsecurity.html")

    /// A tenant schema or database name longer than PostgreSQL keeps.
    public static let tenantNameTooLong = DiagnosticCode(
        code: "TTN605", slug: "tenant-name-too-long", defaultSeverity: .error,
        summary: "A tenant's schema or database name (prefix + tenant) is longer than 63 bytes.",
        explanation: """
            Schema-per-tenant and database-per-tenant name each tenant's schema or database \
            `<prefix><tenant>`. PostgreSQL truncates identifiers to 63 bytes, so a longer name is created \
            under another name than the one the router and the migrations use, and two long tenant names \
            can become the same schema or database. Shorten the prefix or the tenant's name.
            """,
        source: "https://www.postgresql.org/docs/15/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS")

    /// A tenant schema or database name that collides with another or with a reserved name.
    public static let tenantNameCollision = DiagnosticCode(
        code: "TTN606", slug: "tenant-name-collision", defaultSeverity: .error,
        summary: "A tenant's schema or database name collides with another tenant's or with a reserved name.",
        explanation: """
            Each tenant needs its own schema or database. Names that differ only in letter case become the \
            same unquoted identifier; schema names starting with `pg_` are reserved for system schemas, \
            `public` holds the shared tables and `information_schema` is PostgreSQL's; topoc creates \
            `topoc_pgbouncer` (PgBouncer's lookup function), `topoc_migrations` (the migration ledger) and \
            `partman` (pg_partman) itself, with `CREATE SCHEMA IF NOT EXISTS`, so a tenant of that name \
            gets no schema of its own (for `topoc_pgbouncer` the script stops at the tenant's first \
            table: permission denied), and reserves every schema name starting with `topoc_`; database names \
            `postgres`, `template0` and `template1` exist in every cluster, and the main and vertical \
            databases of the topology are taken too. Two tenants would share data, or CREATE fails. Rename \
            the tenant or change the prefix.
            """,
        source: "https://www.postgresql.org/docs/15/sql-createschema.html")

    /// A shared table that references, counts or copies a tenant table.
    public static let sharedTableDependsOnTenantTable = DiagnosticCode(
        code: "TTN607", slug: "shared-table-depends-on-tenant-table", defaultSeverity: .error,
        summary: "A shared table must not reference, count or copy rows of a tenant table.",
        explanation: """
            Shared tables belong to no tenant and every tenant reads them. A foreign key, counter or \
            snapshot from a shared table to a tenant table exposes tenant data to every tenant (referential \
            checks bypass row-level security, and a counter or snapshot copies tenant values into the \
            shared row); with a schema or database per tenant, the tenant table has one copy per tenant and \
            the reference cannot even be created. Reference shared tables from tenant tables, never the \
            other way around, or make the table a tenant table.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-rowsecurity.html")

    /// A reference between a tenant database and the main database.
    public static let crossDatabaseReference = DiagnosticCode(
        code: "TTN608", slug: "cross-database-reference", defaultSeverity: .error,
        summary: "With a database per tenant, tenant tables cannot reference, count or copy shared tables.",
        explanation: """
            In database-per-tenant mode the shared tables live in the main database and the tenant tables \
            in each tenant's database. A session sees one database only, so PostgreSQL has no foreign keys \
            and no triggers across databases: the foreign key, counter or snapshot cannot be created. Keep \
            a copy of the table in every tenant database (remove it from `shared_tables`) or check the \
            reference in the application.
            """,
        source: "https://www.postgresql.org/docs/15/manage-ag-overview.html")
}

extension DiagnosticCode {
    /// A foreign key between tenant tables that does not pair the tenant columns.
    public static let foreignKeyWithoutTenant = DiagnosticCode(
        code: "TTN609", slug: "foreign-key-without-tenant", defaultSeverity: .error,
        summary: """
            In shared-schema tenancy a foreign key between tenant tables must include the tenant column \
            on both sides, in the same position.
            """,
        explanation: """
            Foreign-key checks bypass row-level security: PostgreSQL looks the referenced row up as the \
            table owner, whatever the tenant of the session. A foreign key such as `tasks (project_id) -> \
            projects (project_id)` therefore lets one tenant insert a row that points at another tenant's \
            project: the reference crosses tenants, anything that follows it (a counter trigger, a cascade) \
            acts on the other tenant's row, and success versus a foreign-key error tells the tenant which \
            ids exist in other tenants. Make the key composite with the tenant column in the same position \
            on both sides, `(tenant_id, project_id) -> (tenant_id, project_id)`: the referenced row must \
            then belong to the same tenant, and a foreign id fails exactly like an unknown one. The \
            referenced columns must be the parent's primary key or a unique constraint, so a parent keyed \
            by a generated id alone also declares `unique: [[tenant_id, project_id]]`. Foreign keys to \
            tables listed in `shared_tables` are fine as they are.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-rowsecurity.html")

    /// A materialized view in a shared-schema tenancy database.
    public static let materializedViewUnderSharedSchema = DiagnosticCode(
        code: "TTN610", slug: "materialized-view-under-shared-schema", defaultSeverity: .error,
        summary: "Shared-schema tenancy cannot protect a materialized view: no role may read it, and its refresh sees no tenant's rows.",
        explanation: """
            Row-level security filters tables, not materialized views: a materialized view holds \
            whatever its query saw when it was refreshed, and every role allowed to read it reads all of \
            it. So topoc grants a materialized view of a shared-schema tenancy database to no role (a \
            grant would show every tenant every tenant's rows), and the application's scheduled refresh \
            fails with "permission denied". Its refresh would not help either: it runs as the owner, \
            which the tenant policies filter too (topoc forces row-level security on the owner), so the \
            view would hold the rows of no tenant, or of the one tenant set in the refreshing session. \
            Make it a plain view (`materialized: false`): the policies then apply to the tables it \
            reads, as the querying tenant. For a precomputed aggregate, keep it in a tenant table that \
            the application or a counter (`counters:`) maintains, or use schema-per-tenant or \
            database-per-tenant tenancy, where each tenant's materialized view reads only that tenant's \
            tables.
            """,
        source: "https://www.postgresql.org/docs/15/ddl-rowsecurity.html")
}
