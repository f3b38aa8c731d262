/// TPG122 over the whole plan: any two objects of ``ObjectRegistry`` that share a name in one
/// namespace, reported at the YAML of the name the user wrote (or of the later derived one).
///
/// The validator's TPG122 checks the names it can derive from the model before there is a plan
/// (and with the objects' suppressions); this check sees everything the DDL creates: vertical
/// group tables, generated partitions, the CDC heartbeat table, tenant schemas and roles,
/// publications, slots, multi-primary triggers and topoc's own functions.
extension Planner {
    /// Reports every collision of the plan's generated names.
    func checkNames(_ plan: Plan) {
        for collision in ObjectRegistry(plan: plan, oneDatabasePerSharedScript: true).collisions {
            let reported = collision.reported
            let other = collision.other
            let here = location(of: reported)
            let there = location(of: other)
            let place = [reported.database.map { "database '\($0)'" }, reported.schema.map { "schema '\($0)'" }]
                .compactMap { $0 }.joined(separator: ", ")
            context.report(
                .nameCollision,
                "'\(reported.name)', the name of \(describe(reported)), is also the name of \(describe(other))"
                    + (place.isEmpty ? "" : " in \(place)")
                    + "; PostgreSQL would refuse one of them or an IF NOT EXISTS / OR REPLACE would silently keep or "
                    + "replace the other: \(fix(reported.origin))",
                at: here,
                notes: here == there ? [] : [.init("the \(other.kind.rawValue) '\(other.name)' comes from here", at: there)])
        }
    }

    /// "the table orders", "topoc's sequence of orders.id"...
    private func describe(_ entry: ObjectRegistry.Entry) -> String {
        let kind = entry.kind.rawValue
        switch entry.origin {
        case .table(let table): return entry.userNamed ? "the \(kind)" : "the \(kind) topoc creates for table '\(table)'"
        case .column(let table, let column): return "the \(kind) topoc creates for column '\(table).\(column)'"
        case .index, .constraint: return entry.userNamed ? "the \(kind)" : "the \(kind) topoc names"
        case .partition(let table, _): return "a partition of '\(table)'"
        case .verticalGroup(let table, let group): return "the table of vertical group '\(group)' of '\(table)'"
        case .view(let view): return entry.userNamed ? "the \(kind)" : "the \(kind) topoc creates for view '\(view)'"
        case .changeDataCapture: return "the \(kind) of change data capture"
        case .tenant(let tenant): return "the \(kind) of tenant '\(tenant)'"
        case .multiPrimary(let group): return "the \(kind) of multi-primary group '\(group)'"
        case .roles: return "a configured role"
        case .builtIn: return "topoc's own \(kind)"
        }
    }

    /// What to change, by where the name comes from.
    private func fix(_ origin: ObjectRegistry.Origin) -> String {
        switch origin {
        case .table: "rename the table"
        case .column: "rename the column or the table"
        case .index: "give the index another 'name:'"
        case .constraint: "give the constraint another 'name:'"
        case .partition: "rename the partition or the table"
        case .verticalGroup: "rename the vertical group"
        case .view: "rename the view"
        case .changeDataCapture: "choose another 'audit_table' or rename the other object"
        case .tenant: "rename the tenant or the role"
        case .multiPrimary: "rename the multi-primary group or the table"
        case .roles: "choose another role name under 'roles:'"
        case .builtIn: "rename the other object (names starting with topoc_ are topoc's)"
        }
    }

    /// The YAML location of an entry's name: a configured role's where it is declared, or where
    /// the application role it is derived from is; other names by their origin.
    private func location(of entry: ObjectRegistry.Entry) -> SourceLocation {
        guard case .roles = entry.origin else { return location(of: entry.origin) }
        return PostgresViewAndRoleRules.resolvedRoles(topology).first { $0.name.value == entry.name }?.name.location
            ?? location(of: entry.origin)
    }

    /// The YAML location of a name's origin (the topology's name when nothing closer is known).
    private func location(of origin: ObjectRegistry.Origin) -> SourceLocation {
        let fallback = topology.name.location
        switch origin {
        case .table(let name):
            return topology.table(named: name)?.name.location ?? fallback
        case .column(let table, let column):
            let model = topology.table(named: table)
            let columns =
                (model?.columns.map(\.name) ?? []) + (model?.counters.map(\.name) ?? [])
                + (model?.snapshots.map(\.name) ?? [])
            return columns.first { $0.value == column }?.location ?? model?.name.location ?? fallback
        case .index(let table, let name):
            guard let model = topology.table(named: table) else { return fallback }
            let index = model.indexes.first { DerivedNames.name(of: $0, on: table) == name }
            return index.map { $0.name?.location ?? $0.location } ?? model.name.location
        case .constraint(let table, let name):
            guard let model = topology.table(named: table) else { return fallback }
            if let unique = model.uniqueConstraints.first(where: { DerivedNames.name(of: $0, on: table) == name }) {
                return unique.name?.location ?? unique.location
            }
            if let key = model.foreignKeys.first(where: { DerivedNames.name(of: $0, on: table) == name }) {
                return key.name?.location ?? key.location
            }
            return model.name.location
        case .partition(let table, let name):
            guard let model = topology.table(named: table) else { return fallback }
            let partitioning = model.partitioning
            let named = (partitioning?.ranges.map(\.name) ?? []) + (partitioning?.lists.map(\.name) ?? [])
            return named.first { "\(table)_\($0.value)" == name }?.location ?? partitioning?.location ?? model.name.location
        case .verticalGroup(let table, let group):
            let model = topology.table(named: table)
            return model?.verticalGroups.first { $0.name.value == group }?.name.location ?? model?.name.location ?? fallback
        case .view(let name):
            return topology.views.first { $0.name.value == name }?.name.location ?? fallback
        case .changeDataCapture:
            return topology.cdc.map { $0.auditTable.location } ?? fallback
        case .tenant(let tenant):
            return topology.tenancy?.tenants.first { $0.value == tenant }?.location ?? topology.tenancy?.location ?? fallback
        case .multiPrimary(let group):
            return topology.multiPrimaryGroups.first { $0.name.value == group }?.name.location ?? fallback
        case .roles:
            return topology.roles.location ?? fallback
        case .builtIn:
            return fallback
        }
    }
}
