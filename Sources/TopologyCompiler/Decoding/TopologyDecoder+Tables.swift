extension TopologyDecoder {
    func decodeTables(_ node: YAMLNode) -> [Table] {
        context.namedEntries(node, key: "tables", kind: .sql, what: "table name").compactMap { name, value in
            context.mapping(value, section: .table, key: name.value) { reader in
                decodeTable(name: name, reader: &reader)
            }
        }
    }

    private func decodeTable(name: Located<String>, reader: inout MappingReader) -> Table? {
        let columns = reader.required("columns").map(decodeColumns) ?? []
        let primaryKeyNode = reader.value("primary_key")
        let primaryKey =
            primaryKeyNode.map {
                context.names($0, key: "primary_key", kind: .sql, what: "column", singleAllowed: true, atLeastOne: true)
            } ?? []
        var table = Table(
            name: name, columns: columns, primaryKey: primaryKey, primaryKeyLocation: primaryKeyNode?.location,
            uniqueConstraints: reader.value("unique").map(decodeUniqueConstraints) ?? [],
            foreignKeys: reader.value("foreign_keys").map(decodeForeignKeys) ?? [],
            indexes: reader.value("indexes").map(decodeIndexes) ?? [],
            partitioning: reader.value("partitioning").flatMap(decodePartitioning),
            shardKey: reader.value("shard_key").flatMap {
                context.name($0, key: "shard_key", kind: .sql, what: "column")
            },
            verticalGroups: reader.value("vertical").map(decodeVerticalGroups) ?? [],
            counters: reader.value("counters").map(decodeCounters) ?? [],
            snapshots: reader.value("snapshots").map(decodeSnapshots) ?? [],
            writesPerSecond: reader.value("writes_per_second").flatMap {
                context.int($0, key: "writes_per_second", range: 0...100_000_000)
            },
            suppressions: decodeSuppressions(reader.value("suppress")),
            renamedFrom: reader.value("renamed_from").flatMap {
                context.name($0, key: "renamed_from", kind: .sql, what: "table name")
            })
        // Primary key columns are NOT NULL.
        for index in table.columns.indices where primaryKey.contains(where: { $0.value == table.columns[index].name.value }) {
            table.columns[index].nullable = false
        }
        return table
    }

    func decodeColumns(_ node: YAMLNode) -> [Column] {
        let entries = context.namedEntries(node, key: "columns", kind: .sql, what: "column name")
        if entries.isEmpty, case .mapping(let pairs) = node.content, pairs.isEmpty {
            context.report(.invalidValue, "a table needs at least one column", at: node.location)
        }
        return entries.compactMap { name, value in
            if case .scalar = value.content {
                return columnType(value, key: name.value).map {
                    Column(name: name, type: $0, nullable: true, defaultExpression: nil)
                }
            }
            return context.mapping(value, section: .column, key: name.value) { reader in
                let type = reader.required("type").flatMap { columnType($0, key: "type") }
                let nullable = reader.value("nullable").flatMap { context.bool($0, key: "nullable") }
                let renamedFrom = reader.value("renamed_from").flatMap {
                    context.name($0, key: "renamed_from", kind: .sql, what: "column name")
                }
                let defaultValue = reader.value("default").flatMap { node -> Located<String>? in
                    if case .scalar(let text, .plain) = node.content, Int(text) != nil || text == "true" || text == "false" {
                        return Located(text, at: node.location)
                    }
                    return context.sql(node, key: "default")
                }
                guard let type else { return nil }
                return Column(
                    name: name, type: type, nullable: nullable?.value ?? true, defaultExpression: defaultValue,
                    renamedFrom: renamedFrom)
            }
        }
    }

    func decodeUniqueConstraints(_ node: YAMLNode) -> [UniqueConstraint] {
        guard let items = context.list(node, key: "unique") else { return [] }
        return items.compactMap { item in
            if case .sequence = item.content {
                return UniqueConstraint(
                    name: nil, columns: context.names(item, key: "unique", kind: .sql, what: "column", atLeastOne: true),
                    location: item.location)
            }
            if case .scalar = item.content {
                return UniqueConstraint(
                    name: nil, columns: context.names(item, key: "unique", kind: .sql, what: "column", singleAllowed: true),
                    location: item.location)
            }
            return context.mapping(item, section: .unique, key: "unique") { reader in
                UniqueConstraint(
                    name: reader.value("name").flatMap { context.name($0, key: "name", kind: .sql, what: "constraint name") },
                    columns: reader.required("columns").map {
                        context.names($0, key: "columns", kind: .sql, what: "column", singleAllowed: true, atLeastOne: true)
                    } ?? [],
                    location: item.location)
            }
        }
    }

    func decodeForeignKeys(_ node: YAMLNode) -> [ForeignKey] {
        guard let items = context.list(node, key: "foreign_keys") else { return [] }
        return items.compactMap { item in
            context.mapping(item, section: .foreignKey, key: "foreign_keys") { reader -> ForeignKey? in
                let name = reader.value("name").flatMap { context.name($0, key: "name", kind: .sql, what: "constraint name") }
                let columns =
                    reader.required("columns").map {
                        context.names($0, key: "columns", kind: .sql, what: "column", singleAllowed: true, atLeastOne: true)
                    } ?? []
                let references = reader.required("references").flatMap { node in
                    context.mapping(node, section: .reference, key: "references") { ref -> (Located<String>, [Located<String>])? in
                        let table = ref.required("table").flatMap { context.name($0, key: "table", kind: .sql, what: "table") }
                        let columns =
                            ref.value("columns").map {
                                context.names($0, key: "columns", kind: .sql, what: "column", singleAllowed: true)
                            } ?? []
                        return table.map { ($0, columns) }
                    }
                }
                let onDelete = reader.value("on_delete").flatMap {
                    context.choice($0, key: "on_delete", as: ReferentialAction.self)
                }
                guard let references, !columns.isEmpty else { return nil }
                return ForeignKey(
                    name: name, columns: columns, referencedTable: references.0, referencedColumns: references.1,
                    onDelete: onDelete, location: item.location)
            }
        }
    }

    func decodeIndexes(_ node: YAMLNode) -> [Index] {
        guard let items = context.list(node, key: "indexes") else { return [] }
        return items.compactMap { item in
            context.mapping(item, section: .index, key: "indexes") { reader -> Index? in
                let name = reader.value("name").flatMap { context.name($0, key: "name", kind: .sql, what: "index name") }
                let method = reader.value("method").flatMap { context.choice($0, key: "method", as: IndexMethod.self) }
                let keys = reader.required("columns").map(decodeIndexKeys) ?? []
                let unique = reader.value("unique").flatMap { context.bool($0, key: "unique") }
                let include =
                    reader.value("include").map {
                        context.names($0, key: "include", kind: .sql, what: "column", singleAllowed: true)
                    } ?? []
                let predicate = reader.value("where").flatMap { context.sql($0, key: "where") }
                let suppressions = decodeSuppressions(reader.value("suppress"))
                let renamedFrom = reader.value("renamed_from").flatMap {
                    context.name($0, key: "renamed_from", kind: .sql, what: "index name")
                }
                guard !keys.isEmpty else { return nil }
                return Index(
                    name: name, method: method ?? Located(.btree, at: item.location), keys: keys, unique: unique,
                    include: include, predicate: predicate, suppressions: suppressions, location: item.location,
                    renamedFrom: renamedFrom)
            }
        }
    }

    func decodeIndexKeys(_ node: YAMLNode) -> [IndexKey] {
        guard let items = context.list(node, key: "columns", singleAllowed: true) else { return [] }
        if items.isEmpty { context.report(.invalidValue, "an index needs at least one column or expression", at: node.location) }
        return items.compactMap { item in
            if case .mapping = item.content {
                return context.mapping(item, section: .indexExpression, key: "columns") { reader in
                    reader.required("expression").flatMap { context.sql($0, key: "expression") }.map(IndexKey.expression)
                }
            }
            return context.name(item, key: "columns", kind: .sql, what: "column").map(IndexKey.column)
        }
    }

    func decodePartitioning(_ node: YAMLNode) -> Partitioning? {
        context.mapping(node, section: .partitioning, key: "partitioning") { reader -> Partitioning? in
            let method = reader.required("by").flatMap { context.choice($0, key: "by", as: PartitionMethod.self) }
            let columns =
                reader.required("key").map {
                    context.names($0, key: "key", kind: .sql, what: "column", singleAllowed: true, atLeastOne: true)
                } ?? []
            let interval = reader.value("interval").flatMap {
                context.choice($0, key: "interval", as: PartitionInterval.self)
            }
            let from = reader.value("from").flatMap { context.date($0, key: "from") }
            let to = reader.value("to").flatMap { context.date($0, key: "to") }
            let ranges = reader.value("ranges").map(decodeRangePartitions) ?? []
            let lists = reader.value("lists").map(decodeListPartitions) ?? []
            let modulus = reader.value("modulus").flatMap { context.int($0, key: "modulus", range: 1...1024) }
            let defaultPartition = reader.value("default").flatMap { context.bool($0, key: "default") }
            let partman = reader.value("partman").flatMap { node in
                context.mapping(node, section: .partman, key: "partman") { partman in
                    PartmanSettings(
                        premake: partman.value("premake").flatMap { context.int($0, key: "premake", range: 1...365) }
                            ?? Located(4, at: node.location),
                        retention: partman.value("retention").flatMap(partmanRetention))
                }
            }
            guard let method else { return nil }
            let applicable: [PartitionMethod: Set<String>] = [
                .range: ["interval", "from", "to", "ranges", "default", "partman"], .list: ["lists", "default"],
                .hash: ["modulus"],
            ]
            for key in ["interval", "from", "to", "ranges", "lists", "modulus", "default", "partman"]
            where !(applicable[method.value]?.contains(key) ?? false) {
                if let location = reader.keyLocation(key) {
                    context.report(
                        .inapplicableKey, "'\(key)' does not apply to \(method.value.rawValue) partitioning", at: location,
                        notes: [.init("partitioning method chosen here", at: method.location)])
                }
            }
            switch method.value {
            case .range:
                let series = interval != nil || from != nil || to != nil
                if series {
                    for (key, value) in [("interval", interval != nil), ("from", from != nil), ("to", to != nil)]
                    where !value && reader.keyLocation(key) == nil {
                        context.report(
                            .missingKey, "a generated range series needs 'interval', 'from' and 'to'; '\(key)' is missing",
                            at: node.location)
                    }
                    if let from, let to, !(from.value < to.value) {
                        context.report(
                            .invalidValue, "'from' must be before 'to'", at: to.location,
                            notes: [.init("'from' is here", at: from.location)])
                    }
                } else if ranges.isEmpty && reader.keyLocation("ranges") == nil {
                    context.report(
                        .missingKey, "range partitioning needs 'interval' with 'from' and 'to', or explicit 'ranges'", at: method.location)
                }
            case .list:
                if lists.isEmpty && reader.keyLocation("lists") == nil {
                    context.report(.missingKey, "list partitioning needs 'lists'", at: method.location)
                }
            case .hash:
                if modulus == nil && reader.keyLocation("modulus") == nil {
                    context.report(.missingKey, "hash partitioning needs 'modulus'", at: method.location)
                }
            }
            return Partitioning(
                method: method, columns: columns, interval: interval, from: from, to: to, ranges: ranges, lists: lists,
                modulus: modulus, defaultPartition: defaultPartition, partman: partman, location: node.location)
        }
    }

    func decodeRangePartitions(_ node: YAMLNode) -> [RangePartition] {
        guard let items = context.list(node, key: "ranges") else { return [] }
        if items.isEmpty { context.report(.invalidValue, "'ranges' needs at least one partition", at: node.location) }
        return items.compactMap { item in
            context.mapping(item, section: .rangePartition, key: "ranges") { reader -> RangePartition? in
                let name = reader.required("name").flatMap { context.name($0, key: "name", kind: .sql, what: "partition name") }
                let from = reader.value("from").flatMap { boundLiteral($0, key: "from") }
                let to = reader.value("to").flatMap { boundLiteral($0, key: "to") }
                return name.map { RangePartition(name: $0, from: from, to: to) }
            }
        }
    }

    /// A partition bound: an integer, or a string emitted as a quoted literal.
    func boundLiteral(_ node: YAMLNode, key: String) -> Located<String>? {
        guard let text = context.string(node, key: key) else { return nil }
        if text.value.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            context.report(.invalidValue, "'\(key)' must not contain control characters", at: text.location)
            return nil
        }
        return text
    }

    func decodeVerticalGroups(_ node: YAMLNode) -> [VerticalGroup] {
        context.namedEntries(node, key: "vertical", kind: .sql, what: "vertical group").compactMap { name, value in
            context.mapping(value, section: .verticalGroup, key: name.value) { reader -> VerticalGroup? in
                let columns =
                    reader.required("columns").map {
                        context.names($0, key: "columns", kind: .sql, what: "column", atLeastOne: true)
                    } ?? []
                let database = reader.required("database").flatMap {
                    context.name($0, key: "database", kind: .sql, what: "database name")
                }
                let cluster = reader.value("cluster").flatMap {
                    context.name($0, key: "cluster", kind: .service, what: "cluster")
                }
                return database.map { VerticalGroup(name: name, columns: columns, database: $0, cluster: cluster) }
            }
        }
    }

    func decodeCounters(_ node: YAMLNode) -> [CounterColumn] {
        context.namedEntries(node, key: "counters", kind: .sql, what: "counter column").compactMap { name, value in
            context.mapping(value, section: .counter, key: name.value) { reader -> CounterColumn? in
                let table = reader.required("counts").flatMap { context.name($0, key: "counts", kind: .sql, what: "table") }
                let via = reader.required("via").flatMap { context.name($0, key: "via", kind: .sql, what: "column") }
                guard let table, let via else { return nil }
                return CounterColumn(name: name, countedTable: table, via: via)
            }
        }
    }

    func decodeSnapshots(_ node: YAMLNode) -> [SnapshotColumn] {
        context.namedEntries(node, key: "snapshots", kind: .sql, what: "snapshot column").compactMap { name, value in
            context.mapping(value, section: .snapshot, key: name.value) { reader -> SnapshotColumn? in
                let source = reader.required("from").flatMap { node -> (Located<String>, Located<String>)? in
                    guard let text = context.string(node, key: "from") else { return nil }
                    let parts = text.value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                    guard parts.count == 2 else {
                        context.report(.invalidValue, "'from' takes TABLE.COLUMN, found '\(text.value)'", at: text.location)
                        return nil
                    }
                    guard let table = context.checkName(Located(parts[0], at: text.location), kind: .sql, what: "table"),
                        let column = context.checkName(Located(parts[1], at: text.location), kind: .sql, what: "column")
                    else { return nil }
                    return (table, column)
                }
                let via = reader.required("via").flatMap { context.name($0, key: "via", kind: .sql, what: "column") }
                guard let source, let via else { return nil }
                return SnapshotColumn(name: name, sourceTable: source.0, sourceColumn: source.1, via: via)
            }
        }
    }

    /// pg_partman's retention: a PostgreSQL interval such as `12 months` or `90 days`.
    func partmanRetention(_ node: YAMLNode) -> Located<String>? {
        guard let text = context.string(node, key: "retention") else { return nil }
        let parts = text.value.split(separator: " ")
        let units: Set<String> = ["day", "days", "week", "weeks", "month", "months", "year", "years"]
        guard parts.count == 2, parts[0].allSatisfy(\.isASCIIDigit), Int(parts[0]).map({ $0 > 0 }) == true,
            units.contains(String(parts[1]))
        else {
            context.report(
                .invalidQuantity, "'\(text.value)' is not a retention interval; write for example '12 months' or '90 days'",
                at: text.location)
            return nil
        }
        return text
    }

    func decodeListPartitions(_ node: YAMLNode) -> [ListPartition] {
        if case .mapping(let pairs) = node.content, pairs.isEmpty {
            context.report(.invalidValue, "'lists' needs at least one partition", at: node.location)
        }
        return context.namedEntries(node, key: "lists", kind: .sql, what: "partition name").map { name, value in
            ListPartition(
                name: name,
                values: (context.list(value, key: name.value, singleAllowed: true) ?? []).compactMap {
                    context.string($0, key: name.value)
                })
        }
    }
}
