extension RuleCatalog {
    /// The tenancy rules (`TTN6xx`); the codes are in `TenancyCodes.swift`.
    static let tenancyRules: [Rule] = [
        TenancyRules.tenantColumnMissing,
        TenancyRules.uniqueKeyWithoutTenant,
        TenancyRules.tenantColumnType,
        TenancyRules.tenantColumnNullable,
        TenancyRules.tenantNameTooLong,
        TenancyRules.tenantNameCollision,
        TenancyRules.sharedTableDependsOnTenantTable,
        TenancyRules.crossDatabaseReference,
        TenancyRules.foreignKeyWithoutTenant,
        TenancyRules.materializedViewUnderSharedSchema,
    ]
}

/// The checks of the tenancy rules.
enum TenancyRules {
    /// The shared-schema tenancy of a topology and its tenant column, if it has them.
    static func sharedSchema(_ topology: Topology) -> (Tenancy, Located<String>)? {
        guard let tenancy = topology.tenancy, tenancy.mode.value == .sharedSchema, let column = tenancy.column
        else { return nil }
        return (tenancy, column)
    }

    /// The tables of a tenancy that belong to tenants (those not listed in `shared_tables`).
    static func tenantTables(of tenancy: Tenancy, in topology: Topology) -> [Table] {
        let shared = Set(tenancy.sharedTables.map(\.value))
        return topology.tables.filter { !shared.contains($0.name.value) }
    }

    /// TTN601: every tenant table has the tenant column.
    static let tenantColumnMissing = Rule(.tenantColumnMissing) { context in
        guard let (tenancy, column) = sharedSchema(context.topology) else { return }
        for table in tenantTables(of: tenancy, in: context.topology) where table.column(named: column.value) == nil {
            context.report(
                "tenant table '\(table.name.value)' has no tenant column '\(column.value)', so row-level security "
                    + "cannot keep tenants apart in it; add the column, or list the table in 'shared_tables'",
                at: table.name.location, notes: [.init("the tenant column is named here", at: column.location)],
                suppressions: table.suppressions)
        }
    }

    /// TTN602: unique keys of tenant tables contain the tenant column.
    static let uniqueKeyWithoutTenant = Rule(.uniqueKeyWithoutTenant) { context in
        guard let (tenancy, column) = sharedSchema(context.topology) else { return }
        let tenant = column.value
        for table in tenantTables(of: tenancy, in: context.topology) where table.column(named: tenant) != nil {
            func check(_ columns: [String], _ what: String, at location: SourceLocation, _ suppressions: [Suppression]) {
                guard !columns.contains(tenant) else { return }
                context.report(
                    "the \(what) of tenant table '\(table.name.value)' does not include '\(tenant)': one tenant's row "
                        + "would block another tenant's equal value and reveal that it exists; add '\(tenant)' to it",
                    at: location, notes: [.init("the tenant column is named here", at: column.location)],
                    suppressions: suppressions)
            }
            if !table.primaryKey.isEmpty && !isGeneratedKey(table.primaryKey, of: table) {
                check(
                    table.primaryKey.map(\.value), "primary key", at: table.primaryKeyLocation ?? table.name.location,
                    table.suppressions)
            }
            for constraint in table.uniqueConstraints {
                check(constraint.columns.map(\.value), "unique constraint", at: constraint.location, table.suppressions)
            }
            for index in table.indexes {
                guard let unique = index.unique, unique.value else { continue }
                check(
                    PostgresRuleSupport.columnNames(of: index), "unique index", at: unique.location,
                    PostgresRuleSupport.suppressions(of: index, on: table))
            }
        }
    }

    /// Whether a key is one column whose values are generated (serial, uuid, or with a default).
    private static func isGeneratedKey(_ key: [Located<String>], of table: Table) -> Bool {
        guard key.count == 1, let column = table.column(named: key[0].value) else { return false }
        return PostgresTypes.isSurrogate(column.type.value) || column.defaultExpression != nil
    }

    /// TTN603: the tenant column has `column_type` everywhere.
    static let tenantColumnType = Rule(.tenantColumnType) { context in
        guard let (tenancy, column) = sharedSchema(context.topology), let expected = tenancy.columnType else { return }
        let defaulted = expected.location == column.location
        let note =
            defaulted
            ? Diagnostic.Note("'column_type' is omitted here, so the tenant column is text", at: tenancy.location)
            : Diagnostic.Note("the tenant column's type is \(expected.value) here", at: expected.location)
        for table in tenantTables(of: tenancy, in: context.topology) {
            guard let declared = table.column(named: column.value),
                PostgresTypes.match(declared.type.value, expected.value) != .same
            else { continue }
            let fix =
                defaulted
                ? "declare it text, or set 'column_type: \(declared.type.value)'"
                : "declare it \(expected.value)"
            context.report(
                "tenant column '\(column.value)' of '\(table.name.value)' is \(declared.type.value), but the tenancy's "
                    + "column type is \(expected.value); \(fix)",
                at: declared.type.location, notes: [note], suppressions: table.suppressions)
        }
    }

    /// TTN604: the tenant column is NOT NULL.
    static let tenantColumnNullable = Rule(.tenantColumnNullable) { context in
        guard let (tenancy, column) = sharedSchema(context.topology) else { return }
        for table in tenantTables(of: tenancy, in: context.topology) {
            guard let declared = table.column(named: column.value), declared.nullable else { continue }
            context.report(
                "tenant column '\(column.value)' of '\(table.name.value)' allows NULL, and a row without a tenant is "
                    + "invisible to every tenant; declare it 'nullable: false'",
                at: declared.name.location, suppressions: table.suppressions)
        }
    }

    /// A tenant with the name of its schema or database.
    private struct TenantName {
        var tenant: Located<String>
        var name: String
    }

    /// The schema or database names of the tenants, for the modes that have them.
    private static func tenantNames(_ topology: Topology) -> (Tenancy, [TenantName])? {
        guard let tenancy = topology.tenancy, tenancy.mode.value != .sharedSchema else { return nil }
        let names = tenancy.tenants.map { tenant in
            TenantName(
                tenant: tenant, name: (tenancy.namePrefix.value + tenant.value).replacingOccurrences(of: "-", with: "_")
            )
        }
        return (tenancy, names)
    }

    /// What the tenancy mode makes per tenant.
    private static func container(_ tenancy: Tenancy) -> String {
        tenancy.mode.value == .schemaPerTenant ? "schema" : "database"
    }

    /// Notes pointing at an explicit prefix (the defaulted one has no place of its own).
    private static func prefixNotes(_ tenancy: Tenancy) -> [Diagnostic.Note] {
        guard tenancy.namePrefix.location != tenancy.location else { return [] }
        return [.init("the prefix '\(tenancy.namePrefix.value)' is set here", at: tenancy.namePrefix.location)]
    }

    /// TTN610: no materialized view in a shared-schema tenancy database, where the PostgreSQL
    /// backend grants it to no role (`PrivilegeDDL`).
    static let materializedViewUnderSharedSchema = Rule(.materializedViewUnderSharedSchema) { context in
        let topology = context.topology
        guard let tenancy = topology.tenancy, tenancy.mode.value == .sharedSchema else { return }
        for view in topology.views where view.materialized.value {
            context.report(
                "materialized view '\(view.name.value)' cannot be read by any tenant: row-level security does not filter "
                    + "materialized views, so topoc grants it to no role, the application's scheduled refresh fails with "
                    + "'permission denied', and a refresh as the owner sees no tenant's rows; make it a plain view "
                    + "('materialized: false'), which reads the tables as the querying tenant",
                at: view.materialized.location,
                notes: [.init("shared-schema tenancy keeps tenants apart with row-level security", at: tenancy.mode.location)],
                suppressions: view.suppressions)
        }
    }

    /// TTN605: tenant schema and database names fit in 63 bytes.
    static let tenantNameTooLong = Rule(.tenantNameTooLong) { context in
        guard let (tenancy, names) = tenantNames(context.topology) else { return }
        for entry in names where entry.name.utf8.count > NameRules.maxIdentifierBytes {
            context.report(
                "tenant '\(entry.tenant.value)' gets the \(container(tenancy)) name '\(entry.name)', "
                    + "\(entry.name.utf8.count) bytes; PostgreSQL truncates names to \(NameRules.maxIdentifierBytes), "
                    + "so shorten the prefix or the tenant name",
                at: entry.tenant.location, notes: prefixNotes(tenancy))
        }
    }

    /// TTN606: tenant schema and database names are unique and not reserved.
    static let tenantNameCollision = Rule(.tenantNameCollision) { context in
        guard let (tenancy, names) = tenantNames(context.topology) else { return }
        let taken = reservedNames(for: tenancy, in: context.topology)
        var seen: [String: Located<String>] = [:]
        for entry in names {
            let folded = entry.name.lowercased()
            let what = "tenant '\(entry.tenant.value)' gets the \(container(tenancy)) name '\(entry.name)'"
            if let first = seen[folded] {
                context.report(
                    "\(what), which tenant '\(first.value)' has too (names are compared in lowercase); rename one",
                    at: entry.tenant.location,
                    notes: [.init("tenant '\(first.value)' is listed here", at: first.location)])
                continue
            }
            seen[folded] = entry.tenant
            if let reason = reason(folded, takenBy: taken, tenancy) {
                context.report(
                    "\(what), \(reason); rename the tenant or change the prefix", at: entry.tenant.location,
                    notes: taken[folded].map { [.init("that name is used here", at: $0)] } ?? prefixNotes(tenancy))
            }
        }
    }

    /// Why a tenant's folded schema or database name cannot be used, if it cannot.
    private static func reason(_ name: String, takenBy taken: [String: SourceLocation], _ tenancy: Tenancy) -> String? {
        if taken[name] != nil { return "which the topology already uses for another database" }
        if tenancy.mode.value == .schemaPerTenant {
            if name.hasPrefix("pg_") { return "but schema names starting with 'pg_' are reserved for system schemas" }
            if name == "public" { return "but 'public' holds the shared tables" }
            if name == "information_schema" { return "but 'information_schema' is PostgreSQL's own schema" }
            if let owner = topocSchemas[name] {
                return "but topoc creates the schema '\(name)' itself (\(owner)), and its CREATE SCHEMA IF NOT EXISTS "
                    + "would give the tenant no schema of its own"
            }
            if name.hasPrefix(topocSchemaPrefix) {
                return "but schema names starting with '\(topocSchemaPrefix)' are reserved for topoc's own schemas"
            }
        } else if ["postgres", "template0", "template1"].contains(name) {
            return "but every PostgreSQL cluster already has a database '\(name)'"
        }
        return nil
    }

    /// The schemas topoc creates in a tenant database besides the tenants', with what they hold.
    private static let topocSchemas: [String: String] = [
        RoleDDL.poolerSchema: "for PgBouncer's lookup function", MigrationLedger.schema: "for the migration ledger",
        ExtensionDDL.partmanSchema: "for pg_partman, where a table uses it",
    ]

    /// The prefix of every schema topoc names for itself.
    private static let topocSchemaPrefix = "topoc_"

    /// The other database names of a database-per-tenant topology: the main database and the
    /// databases of vertical groups, with where they are named.
    private static func reservedNames(for tenancy: Tenancy, in topology: Topology) -> [String: SourceLocation] {
        guard tenancy.mode.value == .databasePerTenant else { return [:] }
        var names = [topology.name.value.replacingOccurrences(of: "-", with: "_").lowercased(): topology.name.location]
        for table in topology.tables {
            for group in table.verticalGroups { names[group.database.value.lowercased()] = group.database.location }
        }
        return names
    }

    /// A table's dependencies on other tables: foreign keys, counted tables, snapshot sources.
    private static func dependencies(of table: Table) -> [(target: Located<String>, what: String)] {
        table.foreignKeys.map { ($0.referencedTable, "a foreign key") }
            + table.counters.map { ($0.countedTable, "counter '\($0.name.value)'") }
            + table.snapshots.map { ($0.sourceTable, "snapshot '\($0.name.value)'") }
    }

    /// TTN607: shared tables do not depend on tenant tables.
    static let sharedTableDependsOnTenantTable = Rule(.sharedTableDependsOnTenantTable) { context in
        let topology = context.topology
        guard let tenancy = topology.tenancy else { return }
        let shared = Set(tenancy.sharedTables.map(\.value))
        for table in topology.tables where shared.contains(table.name.value) {
            for dependency in dependencies(of: table) where !shared.contains(dependency.target.value) {
                guard let target = topology.table(named: dependency.target.value) else { continue }
                let consequence: String
                switch tenancy.mode.value {
                case .sharedSchema: consequence = "every tenant would see tenant data through it"
                case .schemaPerTenant: consequence = "'\(target.name.value)' has one copy per tenant schema"
                case .databasePerTenant: consequence = "'\(target.name.value)' lives in each tenant's database"
                }
                context.report(
                    "\(dependency.what) of shared table '\(table.name.value)' depends on tenant table "
                        + "'\(target.name.value)': \(consequence); reference shared tables from tenant tables only",
                    at: dependency.target.location,
                    notes: [.init("tenant table '\(target.name.value)' is declared here", at: target.name.location)],
                    suppressions: table.suppressions)
            }
        }
    }

    /// TTN608: with a database per tenant, tenant tables do not depend on shared tables.
    static let crossDatabaseReference = Rule(.crossDatabaseReference) { context in
        let topology = context.topology
        guard let tenancy = topology.tenancy, tenancy.mode.value == .databasePerTenant else { return }
        let shared = Set(tenancy.sharedTables.map(\.value))
        for table in tenantTables(of: tenancy, in: topology) {
            for dependency in dependencies(of: table) where shared.contains(dependency.target.value) {
                guard let target = topology.table(named: dependency.target.value) else { continue }
                context.report(
                    "\(dependency.what) of tenant table '\(table.name.value)' depends on shared table "
                        + "'\(target.name.value)', which lives in the main database while '\(table.name.value)' lives "
                        + "in each tenant's database; PostgreSQL has no references across databases",
                    at: dependency.target.location,
                    notes: [
                        .init(
                            "'\(target.name.value)' is listed in 'shared_tables' here",
                            at: sharedLocation(of: target, in: tenancy))
                    ],
                    suppressions: table.suppressions)
            }
        }
    }

    /// Where a table is listed in `shared_tables` (its declaration when not found).
    private static func sharedLocation(of table: Table, in tenancy: Tenancy) -> SourceLocation {
        tenancy.sharedTables.first { $0.value == table.name.value }?.location ?? table.name.location
    }
}
