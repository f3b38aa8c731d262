/// How tenants share the deployment.
public struct Tenancy: Sendable {
    /// Rules silenced for this section only, each with its reason.
    public var suppressions: [Suppression] = []
    /// The isolation mode.
    public var mode: Located<TenancyMode>
    /// The tenant column in shared-schema mode.
    public var column: Located<String>?
    /// The tenant column's type.
    public var columnType: Located<ColumnType>?
    /// The role applications connect as (never a superuser, never BYPASSRLS).
    public var applicationRole: Located<String>
    /// The tenants known at build time.
    public var tenants: [Located<String>]
    /// Prefix of tenant schema or database names.
    public var namePrefix: Located<String>
    /// Tables shared by all tenants (no tenant column, not copied per tenant).
    public var sharedTables: [Located<String>]
    /// Where the section is.
    public var location: SourceLocation
}

/// A multi-tenancy pattern.
public enum TenancyMode: String, Sendable, CaseIterable, Codable {
    /// One schema, a tenant column, row-level security.
    case sharedSchema = "shared-schema"
    /// One schema per tenant in a shared database.
    case schemaPerTenant = "schema-per-tenant"
    /// One database per tenant.
    case databasePerTenant = "database-per-tenant"
}
