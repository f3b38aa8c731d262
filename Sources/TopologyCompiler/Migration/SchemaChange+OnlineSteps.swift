extension SchemaChange {
    /// A psql line setting `variable` to whether `condition` holds.
    static func test(_ variable: String, _ condition: String) -> String {
        "SELECT \(condition) AS \(variable) \\gset"
    }

    /// An index built without blocking writes: an invalid index left by a killed build is dropped
    /// first; on a partitioned table the parent's index is created `ON ONLY`, each partition's
    /// `CONCURRENTLY`, then attached.
    func createIndex(_ sql: MigrationStatements, table: TableShape, index: PlanIndex) -> [MigrationStep] {
        let qualified = sql.schema.qualify(table.name)
        guard table.partitioning != nil else {
            var body = SQLScript()
            body.append(rebuildIfInvalid(sql, index: index.name))
            body.add(IndexDDL.createIndex(index, on: qualified, concurrently: true))
            return [
                MigrationStep(
                    id: "create-index-\(index.name)", title: "build index \(index.name) on \(table.name) concurrently",
                    mode: .outsideTransaction, body: body)
            ]
        }
        var parent = SQLScript()
        parent.add(IndexDDL.createIndex(index, on: qualified, onlyParent: true))
        var steps = [
            MigrationStep(
                id: "create-index-\(index.name)-parent",
                title: "index \(index.name) on the parent \(table.name) only (invalid until every partition's is attached)",
                mode: .transaction, body: parent)
        ]
        for partition in table.partitions {
            let child = PartitionIndexName.choose(partition: partition.name, index: index)
            var body = SQLScript()
            body.append(rebuildIfInvalid(sql, index: child))
            body.add(IndexDDL.createIndex(index, on: sql.schema.qualify(partition.name), concurrently: true, named: child))
            let attached = """
                NOT EXISTS (SELECT FROM pg_catalog.pg_inherits WHERE inhrelid = \(sql.regclass(child)) AND inhparent = \(sql.regclass(index.name)))
                """
            body.add(
                sql.guarded(
                    attached, "ALTER INDEX \(sql.schema.qualify(index.name)) ATTACH PARTITION \(sql.schema.qualify(child))"))
            steps.append(
                MigrationStep(
                    id: "create-index-\(index.name)-\(partition.name)",
                    title: "index \(child) on partition \(partition.name) concurrently, attached to \(index.name)",
                    mode: .outsideTransaction, body: body))
        }
        return steps
    }

    /// psql lines dropping an index that a killed `CONCURRENTLY` build left invalid.
    func rebuildIfInvalid(_ sql: MigrationStatements, index: String) -> SQLScript {
        var script = SQLScript()
        script.meta(
            Self.test(
                "topoc_invalid",
                "EXISTS (SELECT FROM pg_catalog.pg_index WHERE indexrelid = \(sql.regclass(index)) AND NOT indisvalid)"))
        script.meta("\\if :topoc_invalid")
        script.add("DROP INDEX CONCURRENTLY IF EXISTS \(sql.schema.qualify(index))")
        script.meta("\\endif")
        return script
    }

    /// An index dropped without blocking writes (`CONCURRENTLY`; a partitioned parent's index
    /// cannot be, and takes a brief lock).
    func dropIndex(_ sql: MigrationStatements, table: TableShape, index: PlanIndex) -> [MigrationStep] {
        var body = SQLScript()
        let partitioned = table.partitioning != nil
        body.add("DROP INDEX \(partitioned ? "" : "CONCURRENTLY ")IF EXISTS \(sql.schema.qualify(index.name))")
        return [
            MigrationStep(
                id: "drop-index-\(index.name)", title: "drop index \(index.name)",
                mode: partitioned ? .transaction : .outsideTransaction, body: body)
        ]
    }

    /// `SET NOT NULL` through a `NOT VALID` check validated without blocking writes, which
    /// PostgreSQL 12+ uses instead of scanning the table under `ACCESS EXCLUSIVE`.
    func setNotNull(_ sql: MigrationStatements, table: String, column: String) -> [MigrationStep] {
        let check = MigrationStatements.notNullCheck(table: table, column: column)
        let name = SQLQuoting.identifier(check)
        let setNotNull = "\(sql.alter(table)) ALTER COLUMN \(SQLQuoting.identifier(column)) SET NOT NULL"
        var add = SQLScript()
        add.add(
            sql.guarded(
                "NOT \(sql.hasConstraint(table, check))",
                "\(sql.alter(table)) ADD CONSTRAINT \(name) CHECK (\(SQLQuoting.identifier(column)) IS NOT NULL) NOT VALID"))
        var validate = SQLScript()
        validate.add("\(sql.alter(table)) VALIDATE CONSTRAINT \(name)")
        var finish = SQLScript()
        finish.add(setNotNull)
        finish.add("\(sql.alter(table)) DROP CONSTRAINT IF EXISTS \(name)")
        return [
            MigrationStep(
                id: "not-null-\(table)-\(column)-check", title: "check \(table).\(column) IS NOT NULL, NOT VALID",
                mode: .transaction, body: add),
            MigrationStep(
                id: "not-null-\(table)-\(column)-validate", title: "validate the check (SHARE UPDATE EXCLUSIVE: writes go on)",
                mode: .transaction, body: validate),
            MigrationStep(
                id: "not-null-\(table)-\(column)-set", title: "SET NOT NULL, proven by the check, then drop the check",
                mode: .transaction, body: finish),
        ]
    }

    /// A unique constraint from a unique index built concurrently (`ADD CONSTRAINT ... USING
    /// INDEX`); a partitioned table cannot, and adds it directly.
    func addUnique(_ sql: MigrationStatements, table: String, constraint: PlanUniqueConstraint) -> [MigrationStep] {
        let name = SQLQuoting.identifier(constraint.name)
        let index = PlanIndex(
            name: constraint.name, method: .btree,
            keys: constraint.columns.map { PlanIndexKey(column: $0, expression: nil) }, unique: true, include: [],
            predicate: nil)
        var build = SQLScript()
        build.append(rebuildIfInvalid(sql, index: constraint.name))
        build.add(IndexDDL.createIndex(index, on: sql.schema.qualify(table), concurrently: true))
        var attach = SQLScript()
        attach.add(
            sql.guarded(
                "NOT \(sql.hasConstraint(table, constraint.name))",
                "\(sql.alter(table)) ADD CONSTRAINT \(name) UNIQUE USING INDEX \(name)"))
        return [
            MigrationStep(
                id: "unique-\(constraint.name)-index", title: "unique index \(constraint.name) concurrently",
                mode: .outsideTransaction, body: build),
            MigrationStep(
                id: "unique-\(constraint.name)-constraint", title: "constraint \(constraint.name) using the index",
                mode: .transaction, body: attach),
        ]
    }

    /// A foreign key added `NOT VALID` (brief lock), then validated while writes go on.
    func addForeignKey(_ sql: MigrationStatements, table: String, key: PlanForeignKey, scope: SchemaScope) -> [MigrationStep] {
        guard let clause = TableDDL.foreignKeyClause(key, scope: scope) else { return [] }
        let name = SQLQuoting.identifier(key.name)
        var add = SQLScript()
        add.add(
            sql.guarded(
                "NOT \(sql.hasConstraint(table, key.name))",
                "\(sql.alter(table)) ADD CONSTRAINT \(name) \(clause) NOT VALID"))
        var validate = SQLScript()
        validate.add("\(sql.alter(table)) VALIDATE CONSTRAINT \(name)")
        return [
            MigrationStep(
                id: "foreign-key-\(key.name)-add", title: "foreign key \(key.name), NOT VALID", mode: .transaction, body: add),
            MigrationStep(
                id: "foreign-key-\(key.name)-validate", title: "validate \(key.name) (SHARE UPDATE EXCLUSIVE: writes go on)",
                mode: .transaction, body: validate),
        ]
    }

    /// A new partition created standalone with a `CHECK` matching its bound (so that attaching
    /// skips the scan), attached (`SHARE UPDATE EXCLUSIVE` on the parent), and the check dropped.
    /// The client roles' privileges that `ALTER DEFAULT PRIVILEGES` gives the new table are revoked:
    /// a partition is reached through its parent, as in a fresh build.
    func addPartition(_ sql: MigrationStatements, table: TableShape, partition: PlanPartition, roles: [String])
        -> [MigrationStep]
    {
        let parent = sql.schema.qualify(table.name)
        let child = sql.schema.qualify(partition.name)
        var body = SQLScript()
        body.add(
            "CREATE TABLE IF NOT EXISTS \(child) (LIKE \(parent) INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)")
        let check = MigrationStatements.boundCheck(partition: partition.name)
        let expression = sql.boundExpression(partition, columns: table.partitioning?.columns ?? [])
        let attached = "EXISTS (SELECT FROM pg_catalog.pg_inherits WHERE inhrelid = \(sql.regclass(partition.name)))"
        if let expression {
            body.add(
                sql.guarded(
                    "NOT \(attached) AND NOT \(sql.hasConstraint(partition.name, check))",
                    "ALTER TABLE \(child) ADD CONSTRAINT \(SQLQuoting.identifier(check)) CHECK (\(expression))"))
        }
        body.add(
            sql.guarded(
                "NOT \(attached)", "ALTER TABLE \(parent) ATTACH PARTITION \(child) \(PartitionDDL.bound(partition))"))
        if expression != nil {
            body.add("ALTER TABLE \(child) DROP CONSTRAINT IF EXISTS \(SQLQuoting.identifier(check))")
        }
        body.add("REVOKE ALL ON \(child) FROM \(roles.map(SQLQuoting.identifier).joined(separator: ", "))")
        return [
            MigrationStep(
                id: "partition-\(partition.name)", title: "partition \(partition.name) of \(table.name): standalone, checked, attached",
                mode: .transaction, body: body)
        ]
    }

    /// A partition detached (`CONCURRENTLY` unless the table has a default partition; a detach
    /// killed halfway is finalized) and dropped.
    func dropPartition(_ sql: MigrationStatements, table: TableShape, partition: String) -> [MigrationStep] {
        let parent = sql.schema.qualify(table.name)
        let child = sql.schema.qualify(partition)
        let concurrently = !table.partitions.contains { $0.kind == .default }
        var body = SQLScript()
        let link = "pg_catalog.pg_inherits WHERE inhrelid = \(sql.regclass(partition)) AND inhparent = \(sql.regclass(table.name))"
        body.meta(Self.test("topoc_pending", "EXISTS (SELECT FROM \(link) AND inhdetachpending)"))
        body.meta("\\if :topoc_pending")
        body.add("ALTER TABLE \(parent) DETACH PARTITION \(child) FINALIZE")
        body.meta("\\endif")
        body.meta(Self.test("topoc_attached", "EXISTS (SELECT FROM \(link))"))
        body.meta("\\if :topoc_attached")
        body.add("ALTER TABLE \(parent) DETACH PARTITION \(child)\(concurrently ? " CONCURRENTLY" : "")")
        body.meta("\\endif")
        body.add("DROP TABLE IF EXISTS \(child)")
        return [
            MigrationStep(
                id: "drop-partition-\(partition)", title: "detach and drop partition \(partition) of \(table.name)",
                mode: .outsideTransaction, body: body)
        ]
    }

    /// A new counter filled after its trigger exists: each parent row recounted, 1000 keys per
    /// transaction, so no row is counted wrong and no lock is held long.
    func backfillCounter(_ sql: MigrationStatements, table: TableShape, counter: PlanCounter, scope: SchemaScope)
        -> [MigrationStep]
    {
        guard let keyColumn = table.column(counter.key), let counted = scope.location(of: counter.countedTable) else { return [] }
        let keyType = ColumnTypeSQL.spelling(ColumnTypeSQL.withoutSerial(keyColumn.type))
        let key = SQLQuoting.identifier(counter.key)
        let body = """

            DECLARE
                topoc_last \(keyType);
                topoc_batch \(keyType)[];
            BEGIN
                LOOP
                    SELECT array_agg(k ORDER BY k) INTO topoc_batch FROM (
                        SELECT \(key) AS k FROM \(sql.schema.qualify(table.name))
                        WHERE topoc_last IS NULL OR \(key) > topoc_last ORDER BY \(key) LIMIT 1000) AS keys;
                    EXIT WHEN topoc_batch IS NULL;
                    UPDATE \(sql.schema.qualify(table.name)) AS p SET \(SQLQuoting.identifier(counter.column)) = (
                        SELECT count(*) FROM \(counted.qualify(counter.countedTable)) AS c
                        WHERE c.\(SQLQuoting.identifier(counter.via)) = p.\(key))
                    WHERE p.\(key) = ANY (topoc_batch);
                    topoc_last := topoc_batch[array_upper(topoc_batch, 1)];
                    COMMIT;
                END LOOP;
            END

            """
        var script = SQLScript()
        script.add("DO " + SQLQuoting.dollarQuoted(body))
        return [
            MigrationStep(
                id: "backfill-\(table.name)-\(counter.column)",
                title: "count \(counter.countedTable) into \(table.name).\(counter.column), 1000 rows a transaction",
                mode: .outsideTransaction, body: script)
        ]
    }
}
