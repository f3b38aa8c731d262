/// Checks that every name a topology refers to is declared: clusters, regions, tables and columns.
struct ReferenceChecker {
    let topology: Topology
    let context: DecodingContext

    func check() {
        let clusterNames = topology.clusters.map(\.name.value)
        let regionNames = topology.regions.map(\.name.value)
        let tableNames = topology.tables.map(\.name.value)

        for region in topology.regions {
            for trip in region.roundTrips {
                require(trip.region, in: regionNames, what: "region")
            }
        }
        for cluster in topology.clusters {
            for member in cluster.members {
                if let region = member.region {
                    if regionNames.isEmpty {
                        context.report(
                            .unknownReference, "region '\(region.value)' is used but the topology declares no 'regions'",
                            at: region.location)
                    } else {
                        require(region, in: regionNames, what: "region")
                    }
                }
            }
        }
        for group in topology.multiPrimaryGroups {
            for cluster in group.clusters { require(cluster, in: clusterNames, what: "cluster") }
        }
        if let sharding = topology.sharding {
            require(sharding.cluster, in: clusterNames, what: "cluster")
            for entry in sharding.regionShards { require(entry.region, in: regionNames, what: "region") }
            for group in sharding.colocationGroups {
                for table in group.tables { require(table, in: tableNames, what: "table") }
            }
            for table in sharding.referenceTables { require(table, in: tableNames, what: "table") }
            checkShardKeys(sharding)
        }
        if let tenancy = topology.tenancy {
            for table in tenancy.sharedTables { require(table, in: tableNames, what: "table") }
        }
        if let cdc = topology.cdc {
            for captured in cdc.tables { require(captured.table, in: tableNames, what: "table") }
        }
        for table in topology.tables { check(table, clusterNames: clusterNames, tableNames: tableNames) }
        checkDuplicateIndexNames()
    }

    private func check(_ table: Table, clusterNames: [String], tableNames: [String]) {
        let columns = table.columns.map(\.name.value)
        let derived = table.counters.map(\.name) + table.snapshots.map(\.name)
        for name in derived {
            if let existing = table.column(named: name.value) {
                context.report(
                    .duplicateName, "'\(name.value)' is declared as a column and as a derived column", at: name.location,
                    notes: [.init("column declared here", at: existing.name.location)])
            }
        }
        let allColumns = columns + derived.map(\.value)
        let tableName = table.name.value
        for column in table.primaryKey { require(column, in: allColumns, what: "column of '\(tableName)'") }
        for unique in table.uniqueConstraints {
            for column in unique.columns { require(column, in: allColumns, what: "column of '\(tableName)'") }
        }
        for key in table.foreignKeys {
            for column in key.columns { require(column, in: allColumns, what: "column of '\(tableName)'") }
            guard require(key.referencedTable, in: tableNames, what: "table"),
                let target = topology.table(named: key.referencedTable.value)
            else { continue }
            let targetColumns = target.columns.map(\.name.value)
            for column in key.referencedColumns {
                require(column, in: targetColumns, what: "column of '\(target.name.value)'")
            }
            let referencedCount = key.referencedColumns.isEmpty ? target.primaryKey.count : key.referencedColumns.count
            if key.referencedColumns.isEmpty && target.primaryKey.isEmpty {
                context.report(
                    .missingKey, "'\(target.name.value)' has no primary key; name the referenced columns", at: key.location,
                    notes: [.init("'\(target.name.value)' is declared here", at: target.name.location)])
            } else if referencedCount != key.columns.count {
                context.report(
                    .invalidValue,
                    "the foreign key has \(key.columns.count) column(s) but references \(referencedCount)",
                    at: key.location)
            }
        }
        for index in table.indexes {
            for key in index.keys {
                if case .column(let column) = key { require(column, in: allColumns, what: "column of '\(tableName)'") }
            }
            for column in index.include { require(column, in: allColumns, what: "column of '\(tableName)'") }
        }
        if let partitioning = table.partitioning {
            for column in partitioning.columns { require(column, in: columns, what: "column of '\(tableName)'") }
            if partitioning.columns.isEmpty {
                context.report(.missingKey, "partitioning needs a 'key' column", at: partitioning.location)
            }
        }
        if let shardKey = table.shardKey { require(shardKey, in: columns, what: "column of '\(tableName)'") }
        for group in table.verticalGroups {
            for column in group.columns {
                require(column, in: columns, what: "column of '\(tableName)'")
                if table.primaryKey.contains(where: { $0.value == column.value }) {
                    context.report(
                        .invalidValue,
                        "primary key column '\(column.value)' is repeated in every vertical group automatically; do not list it",
                        at: column.location)
                }
            }
            if let cluster = group.cluster { require(cluster, in: clusterNames, what: "cluster") }
            if table.primaryKey.isEmpty {
                context.report(.missingKey, "a table with vertical groups needs a primary key to join them", at: group.name.location)
            }
        }
        for counter in table.counters {
            guard require(counter.countedTable, in: tableNames, what: "table"),
                let counted = topology.table(named: counter.countedTable.value)
            else { continue }
            require(counter.via, in: counted.columns.map(\.name.value), what: "column of '\(counted.name.value)'")
            if table.primaryKey.count != 1 {
                context.report(
                    .invalidValue, "a counter needs '\(tableName)' to have a single-column primary key", at: counter.name.location)
            }
        }
        for snapshot in table.snapshots {
            require(snapshot.via, in: columns, what: "column of '\(tableName)'")
            guard require(snapshot.sourceTable, in: tableNames, what: "table"),
                let source = topology.table(named: snapshot.sourceTable.value)
            else { continue }
            require(snapshot.sourceColumn, in: source.columns.map(\.name.value), what: "column of '\(source.name.value)'")
        }
    }

    private func checkShardKeys(_ sharding: Sharding) {
        let reference = Set(sharding.referenceTables.map(\.value))
        let shared = Set(topology.tenancy?.sharedTables.map(\.value) ?? [])
        for table in topology.tables where !reference.contains(table.name.value) && !shared.contains(table.name.value) {
            let key = table.shardKey ?? sharding.key
            if table.column(named: key.value) == nil {
                let declaration = table.shardKey == nil ? "the sharding key" : "its shard_key"
                context.report(
                    .unknownReference,
                    "sharded table '\(table.name.value)' has no column '\(key.value)' (\(declaration)); add it, set 'shard_key', or list the table under 'sharding.reference'",
                    at: table.name.location, notes: [.init("the shard key is named here", at: key.location)])
            }
            if let regionKey = sharding.regionKey, table.column(named: regionKey.value) == nil {
                context.report(
                    .unknownReference,
                    "sharded table '\(table.name.value)' has no column '\(regionKey.value)' (the region key); add it or list the table under 'sharding.reference'",
                    at: table.name.location, notes: [.init("the region key is named here", at: regionKey.location)])
            }
        }
    }

    private func checkDuplicateIndexNames() {
        var seen: [String: SourceLocation] = [:]
        for table in topology.tables {
            for index in table.indexes {
                guard let name = index.name else { continue }
                if let first = seen[name.value] {
                    context.report(
                        .duplicateName, "index name '\(name.value)' is used twice", at: name.location,
                        notes: [.init("first used here", at: first)])
                } else {
                    seen[name.value] = name.location
                }
            }
        }
    }

    /// Reports a reference to an undeclared name; returns whether the name is declared.
    @discardableResult
    private func require(_ name: Located<String>, in candidates: [String], what: String) -> Bool {
        if candidates.contains(name.value) { return true }
        let hint = Suggestions.hint(for: name.value, in: candidates)
        context.report(
            .unknownReference, "unknown \(what) '\(name.value)'\(hint)", at: name.location,
            fixIt: Suggestions.fixIt(for: name, in: candidates))
        return false
    }
}
