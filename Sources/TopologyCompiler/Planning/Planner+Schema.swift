extension Planner {
    /// The resolved schema of a table.
    func schema(of table: Table) -> PlanTableSchema {
        let name = table.name.value
        var columns = table.columns.map {
            PlanColumn(
                name: $0.name.value, type: $0.type.value.description, nullable: $0.nullable,
                defaultExpression: $0.defaultExpression?.value, derived: nil, renamedFrom: $0.renamedFrom?.value)
        }
        let key = table.primaryKey.first?.value ?? "id"
        for counter in table.counters {
            columns.append(
                PlanColumn(name: counter.name.value, type: "bigint", nullable: false, defaultExpression: "0", derived: .counter))
        }
        var snapshots: [PlanSnapshot] = []
        for snapshot in table.snapshots {
            let source = topology.table(named: snapshot.sourceTable.value)
            let type = source?.column(named: snapshot.sourceColumn.value)?.type.value.description ?? "text"
            columns.append(PlanColumn(name: snapshot.name.value, type: type, nullable: true, defaultExpression: nil, derived: .snapshot))
            snapshots.append(
                PlanSnapshot(
                    column: snapshot.name.value, sourceTable: snapshot.sourceTable.value,
                    sourceColumn: snapshot.sourceColumn.value, via: snapshot.via.value,
                    sourceKey: source?.primaryKey.first?.value ?? "id"))
        }
        let uniques = table.uniqueConstraints.map { unique in
            let columns = unique.columns.map(\.value)
            return PlanUniqueConstraint(
                name: unique.name?.value ?? PlanNames.unique(table: name, columns: columns), columns: columns)
        }
        let foreignKeys = table.foreignKeys.map { key in
            let columns = key.columns.map(\.value)
            let referenced =
                key.referencedColumns.isEmpty
                ? topology.table(named: key.referencedTable.value)?.primaryKey.map(\.value) ?? []
                : key.referencedColumns.map(\.value)
            return PlanForeignKey(
                name: key.name?.value ?? PlanNames.foreignKey(table: name, columns: columns), columns: columns,
                referencedTable: key.referencedTable.value, referencedColumns: referenced,
                onDelete: key.onDelete.map { $0.value.sql })
        }
        let indexes = table.indexes.map { index in
            let keys = index.keys.map { key -> PlanIndexKey in
                switch key {
                case .column(let column): PlanIndexKey(column: column.value, expression: nil)
                case .expression(let expression): PlanIndexKey(column: nil, expression: expression.value)
                }
            }
            let unique = index.unique?.value ?? false
            return PlanIndex(
                name: index.name?.value ?? PlanNames.index(table: name, keys: keys, unique: unique),
                method: index.method.value, keys: keys, unique: unique, include: index.include.map(\.value),
                predicate: index.predicate?.value, renamedFrom: index.renamedFrom?.value)
        }
        let partitioning = table.partitioning.map {
            PlanPartitioning(
                method: $0.method.value, columns: $0.columns.map(\.value), partmanPremake: $0.partman?.premake.value,
                partmanRetention: $0.partman?.retention?.value, interval: $0.interval?.value)
        }
        let capture = topology.cdc?.tables.first { $0.table.value == name }.map {
            PlanCapture(method: $0.method.value, replicaIdentity: $0.replicaIdentity?.value)
        }
        let tenancy = topology.tenancy
        let tenantScoped =
            tenancy?.mode.value == .sharedSchema && !(tenancy?.sharedTables.contains { $0.value == name } ?? false)
        return PlanTableSchema(
            columns: columns, primaryKey: table.primaryKey.map(\.value), uniqueConstraints: uniques,
            foreignKeys: foreignKeys, indexes: indexes, partitioning: partitioning,
            counters: table.counters.map {
                PlanCounter(column: $0.name.value, countedTable: $0.countedTable.value, via: $0.via.value, key: key)
            },
            snapshots: snapshots,
            verticalGroups: table.verticalGroups.map {
                PlanVerticalGroup(name: $0.name.value, columns: $0.columns.map(\.value), database: $0.database.value)
            },
            capture: capture, tenantScoped: tenantScoped)
    }
}
