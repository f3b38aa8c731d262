/// TTN609: foreign keys between tenant tables pair the tenant columns.
///
/// Foreign-key checks bypass row-level security, so a key between tenant tables that leaves
/// the tenant column out lets one tenant reference (and probe for) another tenant's rows.
extension TenancyRules {
    /// TTN609: in shared-schema tenancy, a foreign key from a tenant table to another tenant
    /// table maps the tenant column to the tenant column (in the same position on both sides).
    static let foreignKeyWithoutTenant = Rule(.foreignKeyWithoutTenant) { context in
        let topology = context.topology
        guard let (tenancy, column) = sharedSchema(topology) else { return }
        let tenant = column.value
        let shared = Set(tenancy.sharedTables.map(\.value))
        for table in tenantTables(of: tenancy, in: topology) where table.column(named: tenant) != nil {
            for key in table.foreignKeys where !shared.contains(key.referencedTable.value) {
                guard let target = topology.table(named: key.referencedTable.value), target.column(named: tenant) != nil
                else { continue }
                let referenced = (key.referencedColumns.isEmpty ? target.primaryKey : key.referencedColumns).map(\.value)
                let columns = key.columns.map(\.value)
                guard !referenced.isEmpty, referenced.count == columns.count,
                    !zip(columns, referenced).contains(where: { $0 == tenant && $1 == tenant })
                else { continue }
                context.report(
                    "the foreign key from tenant table '\(table.name.value)' to tenant table '\(target.name.value)' "
                        + "does not pair '\(tenant)' with '\(tenant)': foreign-key checks bypass row-level security, "
                        + "so a tenant could reference another tenant's row and learn which ids exist; "
                        + TenantForeignKeyFix(tenant: tenant, columns: columns, referenced: referenced, target: target)
                        .advice,
                    at: key.location,
                    notes: [
                        .init("the tenant column is named here", at: column.location),
                        .init("'\(target.name.value)' is declared here", at: target.name.location),
                    ],
                    suppressions: table.suppressions)
            }
        }
    }
}

/// The fix of a foreign key that leaves the tenant column out: the composite key with the
/// tenant column first on both sides, and the unique constraint the parent then needs.
struct TenantForeignKeyFix {
    /// The tenant column.
    var tenant: String
    /// The referencing columns as declared.
    var columns: [String]
    /// The referenced columns as declared (the parent's primary key when omitted).
    var referenced: [String]
    /// The referenced table.
    var target: Table

    /// The referencing and referenced columns of the tenant-safe key, when the declared key
    /// pairs its other columns one to one.
    var suggestion: (columns: [String], referenced: [String])? {
        let ownRest = columns.filter { $0 != tenant }
        let targetRest = referenced.filter { $0 != tenant }
        guard ownRest.count == targetRest.count, !ownRest.isEmpty else { return nil }
        return ([tenant] + ownRest, [tenant] + targetRest)
    }

    /// What the message proposes: a "did you mean" with the composite key, plus the unique
    /// constraint the parent lacks for it, or the general advice when no key can be derived.
    var advice: String {
        guard let (own, parent) = suggestion else {
            return "add '\(tenant)' to the referencing and the referenced columns, in the same position"
        }
        let list = { (names: [String]) in "[" + names.joined(separator: ", ") + "]" }
        var text =
            "did you mean '{ columns: \(list(own)), references: { table: \(target.name.value), "
            + "columns: \(list(parent)) } }'?"
        let covered = PostgresKeyRules.uniqueKeys(of: target).contains {
            Set($0) == Set(parent) && $0.count == parent.count
        }
        if !covered {
            text +=
                " '\(target.name.value)' then needs 'unique: [\(list(parent))]', as a foreign key references only "
                + "a primary key or a unique key"
        }
        return text
    }
}
