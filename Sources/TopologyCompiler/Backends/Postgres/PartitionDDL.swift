/// Declarative partitioning: the partitions the plan enumerates, and pg_partman for the tables
/// whose future partitions it maintains.
///
/// pg_partman 4.7 finds a child's place in the set by parsing its name with the set's
/// `datetime_string`, and `create_parent` always creates a first child and the `_default`
/// partition itself. So for a pg_partman table the script creates the enumerated partitions
/// (not the default one), registers the parent with `p_start_partition` at the end of the
/// enumerated series (no overlap), sets `datetime_string` to the plan's naming
/// (`p20260101` for days and weeks, `p2026_01` for months, `p2026q1`, `p2026`) and renames the
/// children pg_partman created to that naming, so every child parses and future ones follow it.
enum PartitionDDL {
    /// `PARTITION BY RANGE ("created_at")`.
    static func partitionByClause(_ partitioning: PlanPartitioning) -> String {
        "PARTITION BY \(partitioning.method.rawValue.uppercased()) (\(SQLQuoting.identifierList(partitioning.columns)))"
    }

    /// The partitions of every partitioned table of a schema, then pg_partman's registrations.
    static func statements(_ scope: SchemaScope) -> SQLScript {
        var script = SQLScript()
        for table in scope.tables {
            guard let partitioning = table.partitioning, !table.partitions.isEmpty || partitioning.partmanPremake != nil
            else { continue }
            let managed = partitioning.partmanPremake != nil
            script.comment(
                "partitions of \(table.name) (\(partitioning.method.rawValue) on \(partitioning.columns.joined(separator: ", ")))")
            for partition in table.partitions {
                if managed && partition.kind == .default {
                    script.comment("\(partition.name) is created by pg_partman's create_parent below")
                    continue
                }
                script.add(
                    "CREATE TABLE IF NOT EXISTS \(scope.schema.qualify(partition.name)) PARTITION OF \(scope.schema.qualify(table.name)) \(bound(partition))"
                )
            }
        }
        for table in scope.tables {
            guard let partitioning = table.partitioning, let premake = partitioning.partmanPremake else { continue }
            script.append(partman(table, partitioning, premake: premake, scope: scope))
        }
        return script
    }

    /// `FOR VALUES ...` or `DEFAULT`.
    static func bound(_ partition: PlanPartition) -> String {
        switch partition.kind {
        case .range:
            let from = partition.from.map(SQLQuoting.literal) ?? "MINVALUE"
            let to = partition.to.map(SQLQuoting.literal) ?? "MAXVALUE"
            return "FOR VALUES FROM (\(from)) TO (\(to))"
        case .list:
            return "FOR VALUES IN (\((partition.values ?? []).map(SQLQuoting.literal).joined(separator: ", ")))"
        case .hash:
            return "FOR VALUES WITH (MODULUS \(partition.modulus ?? 1), REMAINDER \(partition.remainder ?? 0))"
        case .default:
            return "DEFAULT"
        }
    }

    /// The `datetime_string` that makes pg_partman name children as the plan does.
    static func datetimeString(interval: PartitionInterval) -> String {
        switch interval {
        case .daily, .weekly: "YYYYMMDD"
        case .monthly: "YYYY_MM"
        case .quarterly: "YYYY\"q\"Q"
        case .yearly: "YYYY"
        }
    }

    /// Registers a table with pg_partman once (guarded by `partman.part_config`).
    private static func partman(
        _ table: TableShape, _ partitioning: PlanPartitioning, premake: Int, scope: SchemaScope
    ) -> SQLScript {
        var script = SQLScript()
        guard let interval = partitioning.interval, let control = partitioning.columns.first, partitioning.method == .range
        else {
            script.comment("pg_partman for \(table.name) needs a range series with an interval; not registered")
            return script
        }
        let datetime = datetimeString(interval: interval)
        let ranges = table.partitions.filter { $0.kind == .range }
        if ranges.contains(where: { $0.to == nil }) {
            script.comment("pg_partman for \(table.name): a partition reaches MAXVALUE, so there is nothing to premake; not registered")
            return script
        }
        let parent = scope.schema.dottedNameLiteral(table.name)
        var arguments = [
            "p_parent_table => \(parent)", "p_control => \(SQLQuoting.literal(control))", "p_type => 'native'",
            "p_interval => \(SQLQuoting.literal(interval.rawValue))", "p_premake => \(premake)",
        ]
        if let start = ranges.compactMap(\.to).max() {
            arguments.append("p_start_partition => \(SQLQuoting.literal(start))")
        }
        // infinite_time_partitions: keep `premake` partitions ahead of now even before rows arrive.
        var settings = ["datetime_string = \(SQLQuoting.literal(datetime))", "infinite_time_partitions = true"]
        if let retention = partitioning.partmanRetention {
            settings.append("retention = \(SQLQuoting.literal(retention))")
            settings.append("retention_keep_table = false")
        }
        let prefix = SQLQuoting.literal(table.name + "_p")
        let body = """

            DECLARE
                child record;
                wanted text;
            BEGIN
                IF NOT EXISTS (SELECT FROM partman.part_config WHERE parent_table = \(parent)) THEN
                    PERFORM partman.create_parent(\(arguments.joined(separator: ", ")));
                    UPDATE partman.part_config SET \(settings.joined(separator: ", ")) WHERE parent_table = \(parent);
                    FOR child IN
                        SELECT c.relname FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                        WHERE i.inhparent = \(scope.schema.regclass(table.name))
                          AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
                    LOOP
                        wanted := \(prefix) || to_char((partman.show_partition_info(\(scope.schema.literal) || '.' || child.relname, p_parent_table => \(parent))).child_start_time, \(SQLQuoting.literal(datetime)));
                        IF child.relname <> wanted THEN
                            EXECUTE format('ALTER TABLE %I.%I RENAME TO %I', \(scope.schema.literal), child.relname, wanted);
                        END IF;
                    END LOOP;
                END IF;
            END

            """
        script.comment(
            "pg_partman maintains \(table.name): \(premake) \(interval.rawValue) partitions ahead\(partitioning.partmanRetention.map { ", dropping those older than \($0)" } ?? "")"
        )
        script.add("DO " + SQLQuoting.dollarQuoted(body))
        return script
    }
}
