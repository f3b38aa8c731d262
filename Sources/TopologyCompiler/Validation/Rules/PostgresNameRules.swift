/// The naming rules of the PostgreSQL family: derived names too long (TPG121) or colliding (TPG122).
enum PostgresNameRules {
    /// A name topoc creates, with where it comes from and what to do about it.
    struct NamedObject {
        /// The name.
        var name: String
        /// What the object is, for messages ("index", "unique constraint"...).
        var kind: String
        /// Whether the name is derived (not written in the topology).
        var derived: Bool
        /// Where the object is declared.
        var location: SourceLocation
        /// How to give the object another name.
        var fix: String
        /// The suppressions of the object.
        var suppressions: [Suppression]
    }

    /// TPG121: every derived name fits in 63 bytes.
    static let derivedNameTooLong = Rule(.derivedNameTooLong) { context in
        for table in context.topology.tables {
            for object in derivedObjects(of: table) + triggers(of: table) where object.derived {
                let bytes = object.name.utf8.count
                guard bytes > NameRules.maxIdentifierBytes else { continue }
                context.report(
                    "the \(object.kind) name topoc derives, '\(object.name)', is \(bytes) bytes and PostgreSQL "
                        + "truncates names to \(NameRules.maxIdentifierBytes); \(object.fix)",
                    at: object.location, suppressions: object.suppressions)
            }
        }
    }

    /// TPG122: no two objects of one namespace share a name.
    static let nameCollision = Rule(.nameCollision) { context in
        let topology = context.topology
        var relations: [NamedObject] = []
        var functions: [NamedObject] = []
        for table in topology.tables {
            relations.append(
                NamedObject(
                    name: table.name.value, kind: "table", derived: false, location: table.name.location,
                    fix: "rename the table", suppressions: table.suppressions))
            relations += derivedObjects(of: table).filter { $0.kind != "foreign key" }
            relations += partitions(of: table)
            relations += sequences(of: table)
            functions += triggers(of: table)
            reportDuplicates(
                in: derivedObjects(of: table).filter { $0.kind != "index" },
                namespace: "the constraints of '\(table.name.value)'", context
            ) { $0.kind == "foreign key" || $1.kind == "foreign key" }
        }
        for view in topology.views {
            relations.append(
                NamedObject(
                    name: view.name.value, kind: "view", derived: false, location: view.name.location,
                    fix: "rename the view", suppressions: view.suppressions))
            if view.materialized.value, !view.uniqueKey.isEmpty {
                relations.append(
                    NamedObject(
                        name: DerivedNames.viewUniqueIndex(view: view.name.value, columns: view.uniqueKey.map(\.value)),
                        kind: "materialized view's unique index", derived: true, location: view.name.location,
                        fix: "rename the view", suppressions: view.suppressions))
            }
            functions.append(
                NamedObject(
                    name: DerivedNames.refreshFunction(view: view.name.value), kind: "refresh function", derived: true,
                    location: view.name.location, fix: "rename the view", suppressions: view.suppressions))
        }
        if let cdc = topology.cdc, cdc.tables.contains(where: { $0.method.value == .trigger }) {
            relations.append(
                NamedObject(
                    name: cdc.auditTable.value, kind: "CDC audit table", derived: false, location: cdc.auditTable.location,
                    fix: "choose another 'audit_table'", suppressions: []))
        }
        reportDuplicates(in: relations, namespace: "tables, views, partitions and indexes", context)
        reportDuplicates(in: functions, namespace: "trigger functions", context)
    }

    /// Reports each object whose name an earlier object of the namespace already has, unless both
    /// are explicit names of a kind the decoder checks (tables, views, indexes) or `relevant` says
    /// another namespace reports the pair.
    private static func reportDuplicates(
        in objects: [NamedObject], namespace: String, _ context: RuleContext,
        relevant: (NamedObject, NamedObject) -> Bool = { _, _ in true }
    ) {
        var first: [String: NamedObject] = [:]
        for object in objects {
            guard let earlier = first[object.name] else {
                first[object.name] = object
                continue
            }
            let checkedByDecoder =
                !object.derived && !earlier.derived && object.kind == earlier.kind
                && ["table", "view", "index"].contains(object.kind)
            if checkedByDecoder || !relevant(earlier, object) { continue }
            let (later, other) = object.derived || !earlier.derived ? (object, earlier) : (earlier, object)
            context.report(
                "'\(later.name)', the name of this \(later.kind), is already the name of \(article(other.kind)) "
                    + "\(other.kind) (\(namespace) share one namespace); \(later.fix)",
                at: later.location,
                notes: [.init("the \(other.kind) named '\(other.name)' is here", at: other.location)],
                suppressions: later.suppressions + other.suppressions)
        }
    }

    /// `a` or `an`, for a kind of object.
    private static func article(_ kind: String) -> String {
        ["a", "e", "i", "o", "u"].contains(kind.prefix(1)) ? "an" : "a"
    }

    /// The indexes and index-backed constraints of a table, and its foreign keys, with their names.
    static func derivedObjects(of table: Table) -> [NamedObject] {
        let tableName = table.name.value
        var objects: [NamedObject] = []
        if !table.primaryKey.isEmpty {
            objects.append(
                NamedObject(
                    name: DerivedNames.primaryKey(table: tableName), kind: "primary key", derived: true,
                    location: table.primaryKeyLocation ?? table.name.location, fix: "shorten the table name",
                    suppressions: table.suppressions))
        }
        for constraint in table.uniqueConstraints {
            objects.append(
                NamedObject(
                    name: DerivedNames.name(of: constraint, on: tableName), kind: "unique constraint",
                    derived: constraint.name == nil, location: constraint.name?.location ?? constraint.location,
                    fix: "give the constraint a 'name:' ({ name: ..., columns: [...] })",
                    suppressions: table.suppressions))
        }
        for index in table.indexes {
            objects.append(
                NamedObject(
                    name: DerivedNames.name(of: index, on: tableName), kind: "index", derived: index.name == nil,
                    location: index.name?.location ?? index.location, fix: "give the index a 'name:'",
                    suppressions: PostgresRuleSupport.suppressions(of: index, on: table)))
        }
        for key in table.foreignKeys {
            objects.append(
                NamedObject(
                    name: DerivedNames.name(of: key, on: tableName), kind: "foreign key", derived: key.name == nil,
                    location: key.name?.location ?? key.location, fix: "give the foreign key a 'name:'",
                    suppressions: table.suppressions))
        }
        return objects
    }

    /// The trigger functions of a table's counter and snapshot columns.
    static func triggers(of table: Table) -> [NamedObject] {
        let tableName = table.name.value
        let counters = table.counters.flatMap { counter in
            [
                (DerivedNames.counterTrigger(table: tableName, column: counter.name.value), "counter trigger"),
                (DerivedNames.counterLockTrigger(table: tableName, column: counter.name.value), "counter lock trigger"),
            ].map { name, kind in
                NamedObject(
                    name: name, kind: kind, derived: true, location: counter.name.location,
                    fix: "shorten the table or counter column name", suppressions: table.suppressions)
            }
        }
        let snapshots = table.snapshots.map { snapshot in
            NamedObject(
                name: DerivedNames.snapshotTrigger(table: tableName, column: snapshot.name.value),
                kind: "snapshot trigger", derived: true, location: snapshot.name.location,
                fix: "shorten the table or snapshot column name", suppressions: table.suppressions)
        }
        return counters + snapshots
    }

    /// The sequences PostgreSQL creates for a table's serial columns, `<table>_<column>_seq`. A
    /// relation of that name created first makes PostgreSQL pick another sequence name; one created
    /// later is skipped by `IF NOT EXISTS`, so either way the table or the sequence is not the one
    /// the topology describes.
    private static func sequences(of table: Table) -> [NamedObject] {
        table.columns.filter { PlanNames.serialTypes.contains($0.type.value.base) }.map { column in
            NamedObject(
                name: DerivedNames.serialSequence(table: table.name.value, column: column.name.value), kind: "sequence",
                derived: true, location: column.name.location, fix: "rename the column or the other relation",
                suppressions: table.suppressions)
        }
    }

    /// The partitions of a table whose names do not depend on a generated series:
    /// `<table>_<name>` for explicit ranges and lists, `<table>_h<N>` for hash, `<table>_default`.
    private static func partitions(of table: Table) -> [NamedObject] {
        guard let partitioning = table.partitioning else { return [] }
        let base = table.name.value
        func partition(_ suffix: String, at location: SourceLocation) -> NamedObject {
            NamedObject(
                name: "\(base)_\(suffix)", kind: "partition", derived: true, location: location,
                fix: "rename the partition or the table", suppressions: table.suppressions)
        }
        var result = partitioning.ranges.map { partition($0.name.value, at: $0.name.location) }
        result += partitioning.lists.map { partition($0.name.value, at: $0.name.location) }
        if partitioning.method.value == .hash, let modulus = partitioning.modulus {
            result += (0..<modulus.value).map { partition("h\($0)", at: modulus.location) }
        }
        if let defaultPartition = partitioning.defaultPartition, defaultPartition.value {
            result.append(partition("default", at: defaultPartition.location))
        }
        return result
    }
}
