/// What the PostgreSQL rules know about the built-in column types of PostgreSQL 15: which index
/// methods have a default operator class for a type (`pg_opclass` with `opcdefault`), and which
/// types compare with each other in keys.
enum PostgresTypes {
    /// The integer types, serial pseudo-types included.
    static let integers: Set<String> = ["smallint", "integer", "bigint", "smallserial", "serial", "bigserial"]
    /// The other numeric types.
    static let otherNumbers: Set<String> = ["numeric", "real", "double precision"]
    /// Types whose values are dates or timestamps (partition series produce their bounds).
    static let dateTimes: Set<String> = ["date", "timestamp", "timestamp with time zone"]
    /// The geometric types.
    static let geometric: Set<String> = ["point", "line", "lseg", "box", "path", "polygon", "circle"]
    /// The built-in range types.
    static let ranges: Set<String> = ["int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange"]
    /// String types.
    static let strings: Set<String> = ["text", "character varying", "character", "citext"]

    /// Scalar types the btree_gist and btree_gin extensions give GiST and GIN operator classes.
    static let btreeExtensionTypes: Set<String> = integers.union(otherNumbers).union(dateTimes).union([
        "text", "character varying", "character", "bytea", "boolean", "time", "time with time zone", "interval",
        "uuid", "inet", "cidr", "macaddr", "money", "bit", "bit varying",
    ])

    /// Types with a default GiST operator class in core PostgreSQL.
    private static let gistTypes: Set<String> = ranges.union([
        "point", "box", "polygon", "circle", "tsvector", "tsquery",
    ])
    /// Types with a default SP-GiST operator class in core PostgreSQL.
    private static let spgistTypes: Set<String> = ranges.union([
        "point", "box", "polygon", "inet", "cidr", "text", "character varying",
    ])
    /// Types with a default BRIN operator class (minmax or inclusion) in core PostgreSQL.
    private static let brinTypes: Set<String> = integers.union(otherNumbers).union(dateTimes).union(ranges).union([
        "text", "character varying", "character", "bytea", "time", "time with time zone", "interval", "uuid", "inet",
        "cidr", "macaddr", "bit", "bit varying", "box",
    ])
    /// Types without an equality or ordering operator class: no B-tree and no hash opclass.
    private static let unordered: Set<String> = geometric.union(["json", "xml"])

    /// Whether `method` has a default operator class for `type` in PostgreSQL 15 (with no extension
    /// but citext), or nil when topoc cannot tell.
    static func hasDefaultOperatorClass(_ method: IndexMethod, for type: ColumnType) -> Bool? {
        if type.isArray {
            switch method {
            case .btree, .hash:
                return hasDefaultOperatorClass(method, for: ColumnType(base: type.base))
            case .gin: return true
            case .gist, .spgist, .brin: return false
            }
        }
        let base = type.base
        switch method {
        case .btree:
            return !unordered.contains(base)
        case .hash:
            if unordered.contains(base) { return false }
            // Not sure of every core hash opclass: stay silent rather than guess.
            return ["bit", "bit varying", "money", "tsvector", "tsquery"].contains(base) ? nil : true
        case .gin:
            return base == "jsonb" || base == "tsvector"
        case .gist:
            return gistTypes.contains(base)
        case .spgist:
            if base == "character" || base == "citext" { return nil }
            return spgistTypes.contains(base)
        case .brin:
            if base == "citext" { return nil }
            return brinTypes.contains(base)
        }
    }

    /// The type a column referencing a column of `type` should be declared with: the type itself,
    /// except that a serial pseudo-type is referenced by the integer type it creates (a
    /// `bigserial` key is referenced by a `bigint` column, which has no sequence of its own).
    static func referencingType(for type: ColumnType) -> String {
        var referencing = type
        referencing.base = canonicalBase(type.base)
        return referencing.description
    }

    /// The type with serial pseudo-types replaced by the integer type they create.
    static func canonicalBase(_ base: String) -> String {
        switch base {
        case "smallserial": "smallint"
        case "serial": "integer"
        case "bigserial": "bigint"
        default: base
        }
    }

    /// A family of types that PostgreSQL compares with each other through built-in casts or
    /// cross-type operators; a type outside every family is its own.
    static func comparisonFamily(_ base: String) -> String {
        if integers.contains(base) || otherNumbers.contains(base) { return "number" }
        if strings.contains(base) { return "string" }
        if dateTimes.contains(base) { return "datetime" }
        switch base {
        case "time", "time with time zone": return "time"
        case "inet", "cidr": return "network"
        case "bit", "bit varying": return "bit"
        default: return base
        }
    }

    /// How two key types compare.
    enum Match {
        /// The same type (serial and its integer type are the same).
        case same
        /// Different types that PostgreSQL compares through casts or cross-type operators.
        case related
        /// Types that cannot be compared.
        case incompatible
    }

    /// How a referencing type matches a referenced one.
    static func match(_ lhs: ColumnType, _ rhs: ColumnType) -> Match {
        guard lhs.arrayDimensions == rhs.arrayDimensions else { return .incompatible }
        let left = canonicalBase(lhs.base)
        let right = canonicalBase(rhs.base)
        if left == right { return .same }
        return comparisonFamily(left) == comparisonFamily(right) ? .related : .incompatible
    }

    /// Whether a column of the type gets its values from a generator rather than from users
    /// (serial types; uuid, which applications generate at random).
    static func isSurrogate(_ type: ColumnType) -> Bool {
        !type.isArray && ["smallserial", "serial", "bigserial", "uuid"].contains(type.base)
    }
}

/// Lookups the PostgreSQL and tenancy rules share. (Kept out of extensions on the model types so
/// that other rule families can add their own helpers without clashing names.)
enum PostgresRuleSupport {
    /// The type of a column of a table: a declared column, or a snapshot column (the type of its
    /// source column). Counter columns have no declared type and give nil.
    static func type(of column: String, in table: Table, topology: Topology) -> Located<ColumnType>? {
        if let declared = table.column(named: column) { return declared.type }
        guard let snapshot = table.snapshots.first(where: { $0.name.value == column }),
            let source = topology.table(named: snapshot.sourceTable.value)?.column(named: snapshot.sourceColumn.value)
        else { return nil }
        return Located(source.type.value, at: snapshot.name.location)
    }

    /// The key parts of an index when they are all plain columns; nil when one is an expression.
    static func plainColumns(of index: Index) -> [Located<String>]? {
        var columns: [Located<String>] = []
        for key in index.keys {
            guard case .column(let name) = key else { return nil }
            columns.append(name)
        }
        return columns
    }

    /// The column names of the key parts that are plain columns (expressions are left out).
    static func columnNames(of index: Index) -> [String] {
        index.keys.compactMap { key in
            if case .column(let name) = key { return name.value }
            return nil
        }
    }

    /// The suppressions that apply to an index: its own, then its table's.
    static func suppressions(of index: Index, on table: Table) -> [Suppression] {
        index.suppressions + table.suppressions
    }

    /// `'a'`, `'a', 'b'`: names quoted for messages.
    static func quoted(_ names: [String]) -> String {
        names.map { "'\($0)'" }.joined(separator: ", ")
    }
}
