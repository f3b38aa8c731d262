import TopologyCompiler

/// What the catalog of one database should hold, derived from the plan the way the DDL backend
/// creates it (`DatabaseScope`, `TableShape`, `PrivilegeDDL`, `PlanNames`).
struct LiveCatalogExpectations {
    let plan: Plan
    let layout: LiveDatabaseLayout
    let locator: LiveLocator
    /// The scope of the facts (the database as the plan names it).
    let scope: LiveScope

    /// Every expectation of the database.
    func all() -> [LiveExpectation] {
        var result: [LiveExpectation] = []
        for schema in layout.schemas {
            for table in schema.tables {
                result += tableFacts(table, schema: schema)
            }
            result += privileges(schema)
            result += views(schema)
        }
        result += defaultPrivileges()
        result += publications()
        return result
    }

    /// The owner's default privileges in `public`, as the DDL sets them (`PrivilegeDDL`).
    private func defaultPrivileges() -> [LiveExpectation] {
        layout.scope.publicDefaultGrants.map { grant in
            LiveExpectation(
                fact(.defaultPrivilege, "public \(grant.objects.rawValue.lowercased()) to \(grant.role)"),
                Self.privilegeValue(grant.privileges), at: locator.role(.owner))
        }
    }

    private func fact(_ kind: LiveFactKind, _ key: String) -> LiveFact { LiveFact(kind, scope, key) }

    /// The type `format_type` shows for a plan type.
    static func catalogType(_ type: String) -> String { ColumnTypeSQL.withoutSerial(type) }

    /// The value of an index fact: `on TABLE METHOD [unique] valid|invalid`.
    static func indexValue(table: String, method: String, unique: Bool, valid: Bool) -> String {
        "on \(table) \(method)\(unique ? " unique" : "") \(valid ? "valid" : "invalid")"
    }

    private func tableFacts(_ table: TableShape, schema: LiveSchemaLayout) -> [LiveExpectation] {
        let name = "\(schema.schema).\(table.name)"
        let source = table.source.name
        let location = locator.table(source)
        var result = [
            LiveExpectation(fact(.table, name), table.partitioning == nil ? "table" : "partitioned table", at: location)
        ]
        let key = Set(table.primaryKey)
        for column in table.columns {
            let notNull = !column.nullable || key.contains(column.name)
            result.append(
                LiveExpectation(
                    fact(.column, "\(name).\(column.name)"), "\(Self.catalogType(column.type))\(notNull ? " not null" : "")",
                    at: locator.column(source, column.name)))
        }
        for index in table.indexes {
            let position = table.source.schema.indexes.firstIndex(of: index)
            result.append(
                LiveExpectation(
                    fact(.index, "\(schema.schema).\(index.name)"),
                    Self.indexValue(table: table.name, method: index.method.rawValue, unique: index.unique, valid: true),
                    at: locator.index(source, position: position)))
        }
        if !table.primaryKey.isEmpty {
            result.append(
                LiveExpectation(
                    fact(.constraint, "\(name).\(PlanNames.primaryKey(table: table.name))"),
                    "primary key (\(table.primaryKey.joined(separator: ", ")))", at: locator.constraint(source, kind: "p", position: 0)))
        }
        for unique in table.uniqueConstraints {
            let position = table.source.schema.uniqueConstraints.firstIndex(of: unique) ?? 0
            result.append(
                LiveExpectation(
                    fact(.constraint, "\(name).\(unique.name)"), "unique (\(unique.columns.joined(separator: ", ")))",
                    at: locator.constraint(source, kind: "u", position: position)))
        }
        for foreignKey in table.foreignKeys {
            guard layout.schema(of: foreignKey.referencedTable, from: schema.schema) != nil else { continue }
            let position = table.source.schema.foreignKeys.firstIndex(of: foreignKey) ?? 0
            result.append(
                LiveExpectation(
                    fact(.constraint, "\(name).\(foreignKey.name)"),
                    "foreign key (\(foreignKey.columns.joined(separator: ", "))) references \(foreignKey.referencedTable)",
                    at: locator.constraint(source, kind: "f", position: position)))
        }
        if table.group == nil {
            for column in table.columns where PlanNames.serialTypes.contains(column.type) {
                result.append(
                    LiveExpectation(
                        fact(.sequence, "\(schema.schema).\(PlanNames.serialSequence(table: table.name, column: column.name))"),
                        "owned by \(table.name).\(column.name)", at: locator.column(source, column.name)))
            }
        }
        result += partitions(table, schema: schema)
        result += triggers(table, schema: schema)
        result += rowSecurity(table, schema: schema)
        return result
    }

    /// The value of a partition fact: `partition of PARENT, KIND` (a hash bound with its
    /// modulus and remainder as PostgreSQL prints them).
    static func partitionValue(parent: String, _ partition: PlanPartition) -> String {
        let bound =
            switch partition.kind {
            case .range: "range"
            case .list: "list"
            case .default: "default"
            case .hash: "hash (modulus \(partition.modulus ?? 1), remainder \(partition.remainder ?? 0))"
            }
        return "partition of \(parent), \(bound)"
    }

    /// The partitions the DDL creates (pg_partman's default partition is its own).
    private func partitions(_ table: TableShape, schema: LiveSchemaLayout) -> [LiveExpectation] {
        let managed = table.partitioning?.partmanPremake != nil
        return table.partitions.filter { !(managed && $0.kind == .default) }.map { partition in
            LiveExpectation(
                fact(.partition, "\(schema.schema).\(partition.name)"), Self.partitionValue(parent: table.name, partition),
                at: locator.partitioning(table.source.name))
        }
    }

    private func triggers(_ table: TableShape, schema: LiveSchemaLayout) -> [LiveExpectation] {
        guard table.group == nil else { return [] }
        var result: [LiveExpectation] = []
        let source = table.source
        for counter in source.schema.counters {
            guard let on = layout.schema(of: counter.countedTable, from: schema.schema), on == schema.schema else { continue }
            let trigger = PlanNames.counterTrigger(table: source.name, column: counter.column)
            result.append(
                LiveExpectation(
                    fact(.trigger, "\(on).\(counter.countedTable).\(trigger)"), "trigger", at: locator.column(source.name, counter.column)))
        }
        for snapshot in source.schema.snapshots where layout.schema(of: snapshot.sourceTable, from: schema.schema) != nil {
            let trigger = PlanNames.snapshotTrigger(table: source.name, column: snapshot.column)
            result.append(
                LiveExpectation(
                    fact(.trigger, "\(schema.schema).\(source.name).\(trigger)"), "trigger",
                    at: locator.column(source.name, snapshot.column)))
        }
        if plan.replication.auditTables.contains(where: { $0.database == layout.database.name && $0.tables.contains(source.name) }) {
            result.append(
                LiveExpectation(
                    fact(.trigger, "\(schema.schema).\(source.name).\(PlanNames.auditTrigger(table: source.name))"), "trigger",
                    at: locator.captured(source.name)))
        }
        return result
    }

    /// The value of a row security fact.
    static func securityValue(enabled: Bool, forced: Bool) -> String {
        enabled ? (forced ? "enabled and forced" : "enabled, not forced") : (forced ? "disabled (forced)" : "disabled")
    }

    private func rowSecurity(_ table: TableShape, schema: LiveSchemaLayout) -> [LiveExpectation] {
        let scoped = table.group == nil && table.source.schema.tenantScoped && layout.scope.isSharedSchemaTenancy
        let name = "\(schema.schema).\(table.name)"
        let location = scoped ? locator.tenancy(table: table.source.name) : locator.table(table.source.name)
        var result = [LiveExpectation(fact(.rowSecurity, name), Self.securityValue(enabled: scoped, forced: scoped), at: location)]
        if scoped {
            result.append(LiveExpectation(fact(.policy, "\(name).tenant_isolation"), "policy for ALL", at: location))
        }
        return result
    }

    /// The privilege list a role holds on a table, as `aclexplode` names them, sorted.
    static func privilegeValue(_ privileges: [String]) -> String { privileges.sorted().joined(separator: ", ") }

    private func privileges(_ schema: LiveSchemaLayout) -> [LiveExpectation] {
        var result: [LiveExpectation] = []
        let shared = Set(plan.tenancy?.sharedTables ?? [])
        for table in schema.tables {
            let readOnly = table.group == nil && shared.contains(table.name) && layout.database.kind != .tenant
            let name = "\(schema.schema).\(table.name)"
            let location = locator.table(table.source.name)
            let writes = readOnly ? ["SELECT"] : ["DELETE", "INSERT", "SELECT", "UPDATE"]
            var grants: [String: [String]] = [schema.writer: writes]
            if let reader = schema.reader { grants[reader] = ["SELECT"] }
            if schema.tenant == nil, layout.scope.hasTenantSchemas, table.group == nil {
                // Every tenant's role reads the shared tables of public.
                for tenant in layout.schemas.compactMap({ $0.tenant == nil ? nil : $0.writer }) { grants[tenant] = ["SELECT"] }
            }
            for (role, privileges) in grants.sorted(by: { $0.key < $1.key }) {
                result.append(
                    LiveExpectation(fact(.grant, "\(name) to \(role)"), Self.privilegeValue(privileges), at: location))
            }
        }
        return result
    }

    /// The views created in a schema: those of `public`, or those that read tenant tables in a
    /// tenant's schema (`ViewDDL.placement`).
    private func views(_ schema: LiveSchemaLayout) -> [LiveExpectation] {
        layout.scope.views.compactMap { view -> LiveExpectation? in
            guard let tenant = ViewDDL.placement(view, in: layout.scope), tenant == (schema.tenant != nil) else { return nil }
            return LiveExpectation(
                fact(.view, "\(schema.schema).\(view.name)"), view.materialized ? "materialized view" : "view",
                at: locator.view(view.name))
        }
    }

    private func publications() -> [LiveExpectation] {
        var result: [LiveExpectation] = []
        for publication in plan.replication.publications
        where publication.database == layout.database.name && publication.cluster == layout.database.cluster {
            result.append(
                LiveExpectation(
                    fact(.publication, publication.name), publication.publishViaPartitionRoot ? "via partition root" : "per partition",
                    at: locator.publication))
            var tables: [(String, SourceLocation)] = []
            for table in publication.tables {
                for schema in layout.schemas where schema.tables.contains(where: { $0.name == table && $0.group == nil }) {
                    tables.append(("\(schema.schema).\(table)", locator.captured(table)))
                }
            }
            if layout.scope.connectorSlot != nil {
                tables.append(("public.\(DebeziumCatalog.heartbeatTable)", locator.publication))
            }
            for (table, location) in tables {
                result.append(LiveExpectation(fact(.publicationTable, "\(publication.name): \(table)"), "published", at: location))
            }
        }
        return result
    }
}
