/// Denormalized columns kept right by triggers: counters and snapshots.
///
/// A counter is maintained by an AFTER row trigger on the counted table that adds or
/// subtracts one on the parent row (`UPDATE ... SET c = c + 1`), so concurrent writers
/// serialize on the parent row and the count stays exact; NULL `via` values count nowhere.
/// An UPDATE that changes the `via` column moves the count from the old parent to the new one.
/// PostgreSQL runs a move across partitions as a DELETE then an INSERT, whose AFTER triggers
/// would lock the old parent before the new one; so a BEFORE UPDATE trigger (the same function)
/// first locks both parents in key order, and single-row moves of every kind cannot deadlock
/// with each other. A statement that moves many rows locks each row's parents in turn and can
/// still deadlock with another such statement, as PostgreSQL's own row locks can.
/// A snapshot is filled by a BEFORE row trigger from the source row when the row is inserted
/// or its `via` column changes, and documented with `COMMENT ON COLUMN`.
enum CounterDDL {
    /// The counter and snapshot triggers of every table of a schema.
    static func statements(_ scope: SchemaScope) -> SQLScript {
        var script = SQLScript()
        for table in scope.tables where table.group == nil {
            for counter in table.source.schema.counters where table.column(counter.column) != nil {
                script.append(self.counter(counter, on: table, scope: scope))
            }
            for snapshot in table.source.schema.snapshots where table.column(snapshot.column) != nil {
                script.append(self.snapshot(snapshot, on: table, scope: scope))
            }
        }
        return script
    }

    /// The counter and snapshot functions and triggers of a schema that name `table`: as the
    /// table that holds the column, the counted table or the snapshot's source. A migration that
    /// renames `table` creates them in the rename's transaction, so no write sees a trigger
    /// function that still names the table by its old name.
    static func statements(_ scope: SchemaScope, naming table: String) -> SQLScript {
        var script = SQLScript()
        for holder in scope.tables where holder.group == nil {
            for counter in holder.source.schema.counters
            where holder.column(counter.column) != nil && (holder.name == table || counter.countedTable == table) {
                script.append(self.counter(counter, on: holder, scope: scope))
            }
            for snapshot in holder.source.schema.snapshots
            where holder.column(snapshot.column) != nil && (holder.name == table || snapshot.sourceTable == table) {
                script.append(self.snapshot(snapshot, on: holder, scope: scope))
            }
        }
        return script
    }

    /// The function, trigger and comment of one counter column.
    private static func counter(_ counter: PlanCounter, on table: TableShape, scope: SchemaScope) -> SQLScript {
        var script = SQLScript()
        guard scope.location(of: counter.countedTable) == scope.schema else {
            script.comment(
                "counter \(table.name).\(counter.column) not maintained here: \(counter.countedTable) is not in this schema of this database"
            )
            return script
        }
        let name = PlanNames.counterTrigger(table: table.name, column: counter.column)
        let lock = PlanNames.counterLockTrigger(table: table.name, column: counter.column)
        let function = scope.schema.qualify(name)
        let parent = scope.schema.qualify(table.name)
        let column = SQLQuoting.identifier(counter.column)
        let key = SQLQuoting.identifier(counter.key)
        let via = SQLQuoting.identifier(counter.via)
        func change(_ row: String, _ sign: String) -> String {
            "UPDATE \(parent) SET \(column) = \(column) \(sign) 1 WHERE \(key) = \(row).\(via);"
        }
        let countedClass = scope.schema.regclass(counter.countedTable)
        let body = """

            BEGIN
                -- Fires only for \(counter.countedTable) (or its partitions), never for a table a caller made.
                IF COALESCE(pg_catalog.pg_partition_root(TG_RELID)::oid, TG_RELID) IS DISTINCT FROM \(countedClass)::oid THEN
                    RAISE EXCEPTION '\(name) fired on %, not on \(counter.countedTable)', TG_RELID::regclass
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                IF TG_WHEN = 'BEFORE' THEN
                    -- A move: lock both parents in key order before the AFTER triggers update them
                    -- (a move across partitions fires AFTER DELETE then AFTER INSERT, old parent first).
                    IF OLD.\(via) IS DISTINCT FROM NEW.\(via) THEN
                        PERFORM 1 FROM \(parent) WHERE \(key) IN (OLD.\(via), NEW.\(via)) ORDER BY \(key) FOR NO KEY UPDATE;
                    END IF;
                    RETURN NEW;
                END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.\(via) IS NOT NULL THEN
                    IF TG_OP = 'INSERT' OR OLD.\(via) IS DISTINCT FROM NEW.\(via) THEN
                        \(change("NEW", "+"))
                    END IF;
                END IF;
                IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.\(via) IS NOT NULL THEN
                    IF TG_OP = 'DELETE' OR OLD.\(via) IS DISTINCT FROM NEW.\(via) THEN
                        \(change("OLD", "-"))
                    END IF;
                END IF;
                RETURN NULL;
            END

            """
        script.comment(
            "\(table.name).\(counter.column) counts \(counter.countedTable) rows by \(counter.via) (exact: row updates, never recounts)")
        script.add(
            "CREATE OR REPLACE FUNCTION \(function)() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS "
                + SQLQuoting.dollarQuoted(body))
        script.add("REVOKE ALL ON FUNCTION \(function)() FROM PUBLIC")
        let counted = scope.schema.qualify(counter.countedTable)
        script.add(
            "CREATE OR REPLACE TRIGGER \(SQLQuoting.identifier(lock)) BEFORE UPDATE OF \(via) ON \(counted) FOR EACH ROW EXECUTE FUNCTION \(function)()"
        )
        script.add(
            "CREATE OR REPLACE TRIGGER \(SQLQuoting.identifier(name)) AFTER INSERT OR DELETE OR UPDATE OF \(via) ON \(counted) FOR EACH ROW EXECUTE FUNCTION \(function)()"
        )
        let note =
            "Number of \(counter.countedTable) rows whose \(counter.via) is this row's \(counter.key); maintained by trigger \(name) on \(counter.countedTable). TRUNCATE of \(counter.countedTable) does not reset it."
        script.add("COMMENT ON COLUMN \(parent).\(column) IS \(SQLQuoting.literal(note))")
        return script
    }

    /// The function, trigger and comment of one snapshot column.
    private static func snapshot(_ snapshot: PlanSnapshot, on table: TableShape, scope: SchemaScope) -> SQLScript {
        var script = SQLScript()
        guard let source = scope.location(of: snapshot.sourceTable) else {
            script.comment(
                "snapshot \(table.name).\(snapshot.column) not filled here: \(snapshot.sourceTable) is in another database")
            return script
        }
        let name = PlanNames.snapshotTrigger(table: table.name, column: snapshot.column)
        let function = scope.schema.qualify(name)
        let column = SQLQuoting.identifier(snapshot.column)
        let via = SQLQuoting.identifier(snapshot.via)
        let body = """

            BEGIN
                IF TG_OP = 'INSERT' OR NEW.\(via) IS DISTINCT FROM OLD.\(via) THEN
                    IF NEW.\(via) IS NULL THEN
                        NEW.\(column) := NULL;
                    ELSE
                        SELECT s.\(SQLQuoting.identifier(snapshot.sourceColumn)) INTO NEW.\(column)
                        FROM \(source.qualify(snapshot.sourceTable)) s WHERE s.\(SQLQuoting.identifier(snapshot.sourceKey)) = NEW.\(via);
                    END IF;
                END IF;
                RETURN NEW;
            END

            """
        script.comment(
            "\(table.name).\(snapshot.column) is a snapshot of \(snapshot.sourceTable).\(snapshot.sourceColumn) via \(snapshot.via)")
        script.add(
            "CREATE OR REPLACE FUNCTION \(function)() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS "
                + SQLQuoting.dollarQuoted(body))
        script.add(
            "CREATE OR REPLACE TRIGGER \(SQLQuoting.identifier(name)) BEFORE INSERT OR UPDATE OF \(via) ON \(scope.schema.qualify(table.name)) FOR EACH ROW EXECUTE FUNCTION \(function)()"
        )
        let note =
            "Snapshot of \(snapshot.sourceTable).\(snapshot.sourceColumn) copied when the row is inserted or its \(snapshot.via) changes, by trigger \(name); later changes to \(snapshot.sourceTable) are not copied."
        script.add("COMMENT ON COLUMN \(scope.schema.qualify(table.name)).\(column) IS \(SQLQuoting.literal(note))")
        return script
    }
}
