/// The index rules of the PostgreSQL family: what each access method supports (TPG102-TPG105)
/// and which column types it can index (TPG106-TPG109).
enum PostgresIndexRules {
    /// PostgreSQL's INDEX_MAX_KEYS: the most columns of an index, key or partition key.
    static let maxKeyColumns = 32

    /// TPG102: only B-tree indexes are unique.
    static let uniqueIndexNotBtree = Rule(.uniqueIndexNotBtree) { context in
        for table in context.topology.tables {
            for index in table.indexes where index.method.value != .btree {
                guard let unique = index.unique, unique.value else { continue }
                let method = index.method.value.rawValue
                context.report(
                    "a \(method) index cannot be unique: only B-tree indexes enforce uniqueness; use 'method: btree' "
                        + "or drop 'unique: true'",
                    at: unique.location,
                    notes: [.init("the \(method) method is chosen here", at: index.method.location)],
                    suppressions: PostgresRuleSupport.suppressions(of: index, on: table))
            }
        }
    }

    /// TPG103: hash and SP-GiST indexes have one key column.
    static let multicolumnIndexMethod = Rule(.multicolumnIndexMethod) { context in
        for table in context.topology.tables {
            for index in table.indexes where [.hash, .spgist].contains(index.method.value) && index.keys.count > 1 {
                let method = index.method.value.rawValue
                context.report(
                    "a \(method) index takes a single key column, this one has \(index.keys.count); index one column "
                        + "or use a B-tree index",
                    at: index.keys[1].location,
                    notes: [.init("the \(method) method is chosen here", at: index.method.location)],
                    suppressions: PostgresRuleSupport.suppressions(of: index, on: table))
            }
        }
    }

    /// TPG104: INCLUDE only with B-tree, GiST and SP-GiST.
    static let includeUnsupportedMethod = Rule(.includeUnsupportedMethod) { context in
        for table in context.topology.tables {
            for index in table.indexes where [.hash, .gin, .brin].contains(index.method.value) {
                guard let first = index.include.first else { continue }
                let method = index.method.value.rawValue
                context.report(
                    "a \(method) index cannot have INCLUDE columns (only B-tree, GiST and SP-GiST can); use a B-tree "
                        + "index or drop 'include'",
                    at: first.location,
                    notes: [.init("the \(method) method is chosen here", at: index.method.location)],
                    suppressions: PostgresRuleSupport.suppressions(of: index, on: table))
            }
        }
    }

    /// TPG105: at most 32 columns per index, constraint and partition key.
    static let tooManyKeyColumns = Rule(.tooManyKeyColumns) { context in
        for table in context.topology.tables {
            var lists: [(what: String, count: Int, location: SourceLocation, suppressions: [Suppression])] = [
                (
                    "primary key", table.primaryKey.count, table.primaryKeyLocation ?? table.name.location,
                    table.suppressions
                )
            ]
            lists += table.uniqueConstraints.map {
                ("unique constraint", $0.columns.count, $0.location, table.suppressions)
            }
            lists += table.foreignKeys.map { ("foreign key", $0.columns.count, $0.location, table.suppressions) }
            lists += table.indexes.map {
                (
                    "index", $0.keys.count + $0.include.count, $0.location,
                    PostgresRuleSupport.suppressions(of: $0, on: table)
                )
            }
            if let partitioning = table.partitioning {
                lists.append(("partition key", partitioning.columns.count, partitioning.location, table.suppressions))
            }
            for list in lists where list.count > maxKeyColumns {
                context.report(
                    "this \(list.what) has \(list.count) columns; PostgreSQL allows at most \(maxKeyColumns)",
                    at: list.location, suppressions: list.suppressions)
            }
        }
    }

    /// TPG106: each key column's type has a default operator class for the method that indexes it.
    static let noDefaultOperatorClass = Rule(.noDefaultOperatorClass) { context in
        let topology = context.topology
        for table in topology.tables {
            for (column, method, what, suppressions) in operatorClassUses(in: table) {
                guard let type = PostgresRuleSupport.type(of: column.value, in: table, topology: topology),
                    PostgresTypes.hasDefaultOperatorClass(method, for: type.value) == false
                else { continue }
                context.report(
                    "column '\(column.value)' of type \(type.value) cannot be \(what): \(type.value) has no default "
                        + "\(method.rawValue) operator class\(replacementHint(for: type.value))",
                    at: column.location,
                    notes: [.init("'\(column.value)' is declared \(type.value) here", at: type.location)],
                    suppressions: suppressions)
            }
        }
    }

    /// The columns of a table that an operator class of a method must handle: index keys (GIN
    /// and GiST have their own rules), primary and unique keys (B-tree), partition keys.
    private static func operatorClassUses(in table: Table)
        -> [(Located<String>, IndexMethod, String, [Suppression])]
    {
        var uses: [(Located<String>, IndexMethod, String, [Suppression])] = []
        for index in table.indexes where ![.gin, .gist].contains(index.method.value) {
            let method = index.method.value
            let suppressions = PostgresRuleSupport.suppressions(of: index, on: table)
            for key in index.keys {
                if case .column(let column) = key {
                    uses.append((column, method, "a key of a \(method.rawValue) index", suppressions))
                }
            }
        }
        uses += table.primaryKey.map { ($0, .btree, "in a primary key", table.suppressions) }
        for constraint in table.uniqueConstraints {
            uses += constraint.columns.map { ($0, .btree, "in a unique constraint", table.suppressions) }
        }
        if let partitioning = table.partitioning {
            let method: IndexMethod = partitioning.method.value == .hash ? .hash : .btree
            uses += partitioning.columns.map { ($0, method, "a partition key", table.suppressions) }
        }
        return uses
    }

    /// A hint naming a type that works where `type` does not.
    private static func replacementHint(for type: ColumnType) -> String {
        switch type.base {
        case "json": "; use jsonb"
        case "xml": "; index an expression that extracts a comparable value"
        default: ""
        }
    }

    /// TPG107: GIN indexes jsonb, tsvector and arrays.
    static let ginUnsupportedType = Rule(.ginUnsupportedType) { context in
        forEachColumnKey(of: .gin, in: context) { table, index, column, type in
            guard PostgresTypes.hasDefaultOperatorClass(.gin, for: type.value) == false else { return }
            context.report(
                "GIN cannot index column '\(column.value)' of type \(type.value): \(ginAdvice(for: type.value))",
                at: column.location,
                notes: [.init("'\(column.value)' is declared \(type.value) here", at: type.location)],
                suppressions: PostgresRuleSupport.suppressions(of: index, on: table))
        }
    }

    /// What to do instead of a GIN index on a type GIN cannot index.
    private static func ginAdvice(for type: ColumnType) -> String {
        if PostgresTypes.strings.contains(type.base) {
            return "index an expression such as to_tsvector('english', column) for full-text search, use the "
                + "pg_trgm extension for LIKE and similarity, or a B-tree index for equality"
        }
        if type.base == "json" { return "use jsonb, which GIN indexes" }
        if PostgresTypes.btreeExtensionTypes.contains(type.base) {
            return "use a B-tree index, or install btree_gin to combine it with jsonb, array or tsvector columns"
        }
        return "GIN indexes only jsonb, tsvector and array columns"
    }

    /// TPG108: GiST indexes geometric, range and full-text types (scalars need btree_gist).
    static let gistUnsupportedType = Rule(.gistUnsupportedType) { context in
        forEachColumnKey(of: .gist, in: context) { table, index, column, type in
            guard PostgresTypes.hasDefaultOperatorClass(.gist, for: type.value) == false else { return }
            let advice =
                !type.value.isArray && PostgresTypes.btreeExtensionTypes.contains(type.value.base)
                ? "core GiST has no operator class for it; this index needs the btree_gist extension"
                : "GiST has no operator class for it; use another index method"
            context.report(
                "GiST column '\(column.value)' is of type \(type.value): \(advice)",
                at: column.location,
                notes: [.init("'\(column.value)' is declared \(type.value) here", at: type.location)],
                suppressions: PostgresRuleSupport.suppressions(of: index, on: table))
        }
    }

    /// TPG109: BRIN on columns whose values are random.
    static let brinUnorderedColumn = Rule(.brinUnorderedColumn) { context in
        forEachColumnKey(of: .brin, in: context) { table, index, column, type in
            guard !type.value.isArray, type.value.base == "uuid" else { return }
            context.report(
                "BRIN column '\(column.value)' holds uuid values, which do not follow the order rows are stored in, "
                    + "so the index cannot skip blocks; use a B-tree index",
                at: column.location, notes: [.init("'\(column.value)' is declared uuid here", at: type.location)],
                suppressions: PostgresRuleSupport.suppressions(of: index, on: table))
        }
    }

    /// Calls `body` with each column key (and its type) of each index of `method`.
    private static func forEachColumnKey(
        of method: IndexMethod, in context: RuleContext,
        _ body: (Table, Index, Located<String>, Located<ColumnType>) -> Void
    ) {
        let topology = context.topology
        for table in topology.tables {
            for index in table.indexes where index.method.value == method {
                for key in index.keys {
                    guard case .column(let column) = key,
                        let type = PostgresRuleSupport.type(of: column.value, in: table, topology: topology)
                    else { continue }
                    body(table, index, column, type)
                }
            }
        }
    }
}
