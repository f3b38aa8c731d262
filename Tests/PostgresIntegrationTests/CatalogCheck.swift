import Foundation
import Testing
import TopologyCompiler

/// Checks a database's catalog against the plan (not against the generated text): tables,
/// columns, keys, partitions and their bounds, indexes, row-level security, publications,
/// replica identity, triggers, views and shard functions.
struct CatalogCheck {
    let deployment: Deployment
    let database: PlanDatabase
    /// The database checked (a copy may have another name than the plan's).
    let actual: String

    var plan: Plan { deployment.plan }

    /// Whether a Debezium connector reads a slot in this database (which then holds its heartbeat table).
    var hasConnector: Bool {
        plan.replication.sink != nil
            && plan.replication.slots.contains { $0.database == database.name && $0.cluster == database.cluster }
    }
    var psql: PSQL { deployment.psql }

    /// The queries of a check run, answered by one psql call, and what to do with each result.
    final class Batch: @unchecked Sendable {
        var queries: [(sql: String, verify: ([[String]]) -> Void)] = []
    }

    /// Queues a query; `verify` runs with its rows once the batch has run.
    private func query(_ batch: Batch, _ sql: String, _ verify: @escaping ([[String]]) -> Void) {
        batch.queries.append((sql, verify))
    }

    /// What one schema of the database should hold.
    struct Expected {
        var schema: String
        /// Full tables of the plan.
        var tables: [PlanTable]
        /// Vertical group tables: (table, group).
        var groups: [(PlanTable, PlanVerticalGroup)]
    }

    /// The schemas and their tables, derived from the plan.
    func expectedSchemas() -> [Expected] {
        let entries = database.tables
        let full = plan.tables.filter { entries.contains($0.name) }
        var groups: [(PlanTable, PlanVerticalGroup)] = []
        for table in plan.tables {
            for group in table.schema.verticalGroups where entries.contains("\(table.name).\(group.name)") {
                groups.append((table, group))
            }
        }
        if let tenancy = plan.tenancy, tenancy.mode == .schemaPerTenant, database.kind != .vertical {
            let shared = Set(tenancy.sharedTables)
            var result = [Expected(schema: "public", tables: full.filter { shared.contains($0.name) }, groups: groups)]
            for tenant in tenancy.tenants {
                result.append(Expected(schema: tenant.schema ?? "", tables: full.filter { !shared.contains($0.name) }, groups: []))
            }
            return result
        }
        return [Expected(schema: "public", tables: full, groups: groups)]
    }

    /// Every check, in one psql call.
    func run() async throws {
        let schemas = expectedSchemas()
        let batch = Batch()
        for expected in schemas {
            checkTables(batch, expected)
            for table in expected.tables {
                checkColumnsAndKeys(batch, table, schema: expected.schema, schemas: schemas)
                checkPartitions(batch, table, schema: expected.schema)
                checkIndexes(batch, table, schema: expected.schema)
                checkTriggers(batch, table, schema: expected.schema, schemas: schemas)
                checkSecurity(batch, table, schema: expected.schema)
            }
            for (table, group) in expected.groups {
                checkGroup(batch, table, group, schema: expected.schema)
            }
        }
        checkPublication(batch, schemas)
        checkViews(batch, schemas)
        checkShard(batch)
        checkRole(batch)
        let marker = "@@topoc-check@@"
        var text = ""
        for (index, item) in batch.queries.enumerated() {
            text += "\\echo \(marker)\(index)\n\(item.sql);\n"
        }
        let output = try await psql.sql(text, database: actual)
        #expect(output.status == 0 && output.stderr.isEmpty, "catalog queries on \(actual): \(output.stderr)")
        var sections: [Int: [[String]]] = [:]
        var current = -1
        for line in output.stdout.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix(marker), let index = Int(line.dropFirst(marker.count)) {
                current = index
                sections[index] = []
            } else if current >= 0 {
                sections[current, default: []].append(line.split(separator: "|", omittingEmptySubsequences: false).map(String.init))
            }
        }
        for (index, item) in batch.queries.enumerated() {
            guard let rows = sections[index] else {
                Issue.record("no answer to: \(item.sql)")
                continue
            }
            item.verify(rows)
        }
    }

    /// The tables (not partitions) of each schema are exactly the expected ones.
    private func checkTables(_ batch: Batch, _ expected: Expected) {
        var names = Set(expected.tables.map(\.name) + expected.groups.map { "\($0.0.name)_\($0.1.name)" })
        if expected.schema == "public", let audit = plan.replication.auditTables.first(where: { $0.database == database.name }) {
            names.insert(audit.name)
        }
        if expected.schema == "public", hasConnector {
            names.insert(DebeziumCatalog.heartbeatTable)
        }
        let label = "tables of \(actual).\(expected.schema)"
        query(
            batch,
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = \(literal(expected.schema)) AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
        ) { rows in
            #expect(Set(rows.map { $0[0] }) == names, "\(label)")
        }
    }

    /// The type the catalog shows for a plan type.
    static func catalogType(_ type: String) -> String {
        switch type {
        case "smallserial": "smallint"
        case "serial": "integer"
        case "bigserial": "bigint"
        default: type
        }
    }

    /// The schema a table is reachable in from a schema of this database, or nil.
    private func location(of table: String, from schema: String, _ schemas: [Expected]) -> String? {
        if schemas.first(where: { $0.schema == schema })?.tables.contains(where: { $0.name == table }) == true { return schema }
        if schemas.first?.tables.contains(where: { $0.name == table }) == true { return "public" }
        return nil
    }

    private func checkColumnsAndKeys(_ batch: Batch, _ table: PlanTable, schema: String, schemas: [Expected]) {
        let relation = "\(quoted(schema)).\(quoted(table.name))"
        let moved = Set(table.schema.verticalGroups.flatMap(\.columns))
        let columns = table.schema.columns.filter { !moved.contains($0.name) }
        let key = Set(table.schema.primaryKey)
        let expected = columns.map { column -> [String] in
            let hasDefault = column.defaultExpression != nil || column.type.hasSuffix("serial")
            return [
                column.name, Self.catalogType(column.type), (!column.nullable || key.contains(column.name)) ? "t" : "f",
                hasDefault ? "t" : "f",
            ]
        }
        let label = "\(actual).\(relation)"
        query(
            batch,
            "SELECT attname, format_type(atttypid, atttypmod), attnotnull, atthasdef FROM pg_attribute WHERE attrelid = \(literal(relation))::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
        ) { rows in
            #expect(rows == expected, "columns of \(label)")
        }
        var wanted: [[String]] = []
        if !table.schema.primaryKey.isEmpty {
            wanted.append(["p", "\(table.name)_pkey", "", table.schema.primaryKey.joined(separator: ",")])
        }
        for unique in table.schema.uniqueConstraints where unique.columns.allSatisfy({ !moved.contains($0) }) {
            wanted.append(["u", unique.name, "", unique.columns.joined(separator: ",")])
        }
        for foreignKey in table.schema.foreignKeys {
            guard let target = location(of: foreignKey.referencedTable, from: schema, schemas) else { continue }
            let shown =
                target == "public"
                ? quotedIfNeeded(foreignKey.referencedTable)
                : "\(quotedIfNeeded(target)).\(quotedIfNeeded(foreignKey.referencedTable))"
            wanted.append(["f", foreignKey.name, shown, foreignKey.columns.joined(separator: ",")])
        }
        let sortedWanted = wanted.sorted { $0[1] < $1[1] }
        query(
            batch,
            "SELECT contype, conname, CASE WHEN confrelid = 0 THEN '' ELSE confrelid::regclass::text END, (SELECT string_agg(attname, ',' ORDER BY k.ord) FROM unnest(conkey) WITH ORDINALITY k(num, ord) JOIN pg_attribute a ON a.attrelid = conrelid AND a.attnum = k.num) FROM pg_constraint WHERE conrelid = \(literal(relation))::regclass AND contype IN ('p', 'u', 'f') AND conparentid = 0 ORDER BY conname"
        ) { rows in
            #expect(rows.sorted { $0[1] < $1[1] } == sortedWanted, "constraints of \(label)")
        }
    }

    /// How regclass prints a name: quoted only when it must be.
    private func quotedIfNeeded(_ name: String) -> String {
        let plain =
            name.first.map { $0 == "_" || ("a"..."z").contains($0) } == true
            && name.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return plain && !Self.reserved.contains(name) ? name : quoted(name)
    }

    /// Reserved words the hostile-name test uses.
    static let reserved: Set<String> = [
        "order", "user", "select", "group", "table", "from", "where", "limit", "union", "check", "default", "column",
    ]

    private func checkPartitions(_ batch: Batch, _ table: PlanTable, schema: String) {
        guard let partitioning = table.schema.partitioning else { return }
        let relation = "\(quoted(schema)).\(quoted(table.name))"
        let columns = partitioning.columns.map(quotedIfNeeded).joined(separator: ", ")
        let key = "\(partitioning.method.rawValue.uppercased()) (\(columns))"
        query(batch, "SELECT pg_get_partkeydef(\(literal(relation))::regclass)") { rows in
            #expect(rows.first?.first == key, "partition key of \(relation)")
        }
        let label = "\(actual): \(relation)"
        query(
            batch,
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = \(literal(relation))::regclass AND c.relkind IN ('r', 'p')"
        ) { rows in
            var bounds: [String: String] = [:]
            for row in rows { bounds[row[0]] = row[1] }
            for partition in table.partitions {
                guard let bound = bounds[partition.name] else {
                    Issue.record("\(label): partition \(partition.name) is missing")
                    continue
                }
                #expect(Self.normalizedBound(bound) == Self.expectedBound(partition), "bound of \(partition.name) in \(label)")
            }
            guard partitioning.partmanPremake != nil else {
                #expect(Set(bounds.keys) == Set(table.partitions.map(\.name)), "partitions of \(label)")
                return
            }
            let suffixPattern: String
            switch partitioning.interval {
            case .daily, .weekly: suffixPattern = "^[0-9]{8}$"
            case .monthly: suffixPattern = "^[0-9]{4}_[0-9]{2}$"
            case .quarterly, .yearly, nil: suffixPattern = "^[0-9]{4}"
            }
            for name in bounds.keys where name != "\(table.name)_default" {
                let suffix = String(name.dropFirst(table.name.count + 2))
                #expect(
                    name.hasPrefix("\(table.name)_p") && suffix.range(of: suffixPattern, options: .regularExpression) != nil,
                    "pg_partman child \(name) follows the plan's naming")
            }
            #expect(bounds["\(table.name)_default"] == "DEFAULT", "pg_partman's default partition of \(label)")
        }
        if let premake = partitioning.partmanPremake {
            let retention = partitioning.partmanRetention ?? ""
            query(
                batch,
                "SELECT premake, coalesce(retention, '') FROM partman.part_config WHERE parent_table = \(literal("\(schema).\(table.name)"))"
            ) { rows in
                #expect(rows == [[String(premake), retention]], "pg_partman configuration of \(label)")
            }
        }
    }

    /// A bound as the plan gives it: `FROM a TO b`, `IN a,b`, `WITH m,r` or `DEFAULT`.
    static func expectedBound(_ partition: PlanPartition) -> String {
        switch partition.kind {
        case .range: "FROM \(partition.from ?? "MINVALUE") TO \(partition.to ?? "MAXVALUE")"
        case .list: "IN \((partition.values ?? []).joined(separator: ","))"
        case .hash: "WITH \(partition.modulus ?? 0),\(partition.remainder ?? 0)"
        case .default: "DEFAULT"
        }
    }

    /// pg_get_expr's bound in the same form: quotes and midnight UTC times removed.
    static func normalizedBound(_ bound: String) -> String {
        func values(_ text: Substring) -> [String] {
            text.split(separator: ",").map { item in
                var value = item.trimmingCharacters(in: .whitespaces)
                if value.hasPrefix("'") && value.hasSuffix("'") && value.count >= 2 {
                    value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
                }
                if value.hasSuffix(" 00:00:00+00") { value = String(value.dropLast(12)) }
                return value
            }
        }
        if bound == "DEFAULT" { return bound }
        if bound.hasPrefix("FOR VALUES FROM ("), let to = bound.range(of: ") TO (") {
            let from = bound[bound.index(bound.startIndex, offsetBy: 17)..<to.lowerBound]
            let upper = bound[to.upperBound...].dropLast()
            return "FROM \(values(from).joined(separator: ",")) TO \(values(upper).joined(separator: ","))"
        }
        if bound.hasPrefix("FOR VALUES IN (") {
            return "IN \(values(bound.dropFirst(15).dropLast()).joined(separator: ","))"
        }
        if bound.hasPrefix("FOR VALUES WITH (modulus ") {
            let parts = bound.dropFirst(25).dropLast().components(separatedBy: ", remainder ")
            return "WITH \(parts.joined(separator: ","))"
        }
        return bound
    }

    private func checkIndexes(_ batch: Batch, _ table: PlanTable, schema: String) {
        let moved = Set(table.schema.verticalGroups.flatMap(\.columns))
        for index in table.schema.indexes
        where (index.keys.compactMap(\.column) + index.include).allSatisfy({ !moved.contains($0) }) {
            let keys = index.keys.map { $0.column ?? "(expr)" } + index.include
            let expected = [
                table.name, index.method.rawValue, index.unique ? "t" : "f", String(index.keys.count),
                String(index.keys.count + index.include.count), index.predicate == nil ? "f" : "t", keys.joined(separator: ","),
            ]
            let label = "index \(schema).\(index.name) of \(actual)"
            query(
                batch,
                """
                SELECT t.relname, am.amname, x.indisunique, x.indnkeyatts, x.indnatts, x.indpred IS NOT NULL,
                       (SELECT string_agg(CASE WHEN x.indkey[k] = 0 THEN '(expr)' ELSE (SELECT attname FROM pg_attribute WHERE attrelid = x.indrelid AND attnum = x.indkey[k]) END, ',' ORDER BY k)
                        FROM generate_series(0, x.indnatts - 1) k)
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
                JOIN pg_am am ON am.oid = i.relam JOIN pg_namespace n ON n.oid = i.relnamespace
                WHERE n.nspname = \(literal(schema)) AND i.relname = \(literal(index.name))
                """
            ) { rows in
                #expect(rows == [expected], "\(label)")
            }
        }
    }

    private func checkTriggers(_ batch: Batch, _ table: PlanTable, schema: String, schemas: [Expected]) {
        var expected: [String: String] = [:]
        for counter in table.schema.counters where location(of: counter.countedTable, from: schema, schemas) == schema {
            expected[PlanNames.counterTrigger(table: table.name, column: counter.column)] = counter.countedTable
        }
        for snapshot in table.schema.snapshots where location(of: snapshot.sourceTable, from: schema, schemas) != nil {
            expected[PlanNames.snapshotTrigger(table: table.name, column: snapshot.column)] = table.name
        }
        if plan.replication.auditTables.contains(where: { $0.database == database.name && $0.tables.contains(table.name) }) {
            expected[PlanNames.auditTrigger(table: table.name)] = table.name
        }
        for (trigger, on) in expected.sorted(by: { $0.key < $1.key }) {
            let label = "trigger \(trigger) on \(schema).\(on) in \(actual)"
            query(
                batch,
                "SELECT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT g.tgisinternal AND g.tgparentid = 0 AND g.tgname = \(literal(trigger)) AND n.nspname = \(literal(schema))"
            ) { rows in
                #expect(rows == [[on]], "\(label)")
            }
        }
    }

    private func checkSecurity(_ batch: Batch, _ table: PlanTable, schema: String) {
        let relation = "\(quoted(schema)).\(quoted(table.name))"
        let scoped = table.schema.tenantScoped && plan.tenancy?.mode == .sharedSchema
        let full = table.schema.capture?.replicaIdentity == .full
        let expected = [[scoped ? "t" : "f", scoped ? "t" : "f", full ? "f" : "d", scoped ? "1" : "0"]]
        let label = "security of \(relation) in \(actual)"
        query(
            batch,
            "SELECT relrowsecurity, relforcerowsecurity, relreplident, (SELECT count(*) FROM pg_policies WHERE schemaname = \(literal(schema)) AND tablename = \(literal(table.name)) AND policyname = 'tenant_isolation' AND qual LIKE '%current_setting(''app.tenant_id''%' AND with_check = qual) FROM pg_class WHERE oid = \(literal(relation))::regclass"
        ) { rows in
            #expect(rows == expected, "\(label)")
        }
        if full && table.schema.partitioning != nil {
            query(
                batch,
                "SELECT count(*) FROM pg_partition_tree(\(literal(relation))::regclass) p JOIN pg_class c ON c.oid = p.relid WHERE c.relreplident <> 'f'"
            ) { rows in
                #expect(rows == [["0"]], "REPLICA IDENTITY FULL on every partition of \(relation)")
            }
        }
    }

    private func checkGroup(_ batch: Batch, _ table: PlanTable, _ group: PlanVerticalGroup, schema: String) {
        let relation = "\(quoted(schema)).\(quoted("\(table.name)_\(group.name)"))"
        let columns = table.schema.primaryKey + group.columns
        query(
            batch,
            "SELECT attname FROM pg_attribute WHERE attrelid = \(literal(relation))::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
        ) { rows in
            #expect(rows.map { $0[0] } == columns, "columns of vertical group \(relation)")
        }
        query(batch, "SELECT count(*) FROM pg_constraint WHERE conrelid = \(literal(relation))::regclass AND contype = 'p'") { rows in
            #expect(rows == [["1"]], "primary key of \(relation)")
        }
    }

    private func checkPublication(_ batch: Batch, _ schemas: [Expected]) {
        let publications = plan.replication.publications.filter { $0.database == database.name && $0.cluster == database.cluster }
        let expected = publications.map { [$0.name, $0.publishViaPartitionRoot ? "t" : "f"] }
        let label = "publications of \(actual)"
        query(batch, "SELECT pubname, pubviaroot FROM pg_publication") { rows in
            #expect(rows == expected, "\(label)")
        }
        for publication in publications {
            var tables: Set<String> = []
            var partitioned = false
            for table in publication.tables {
                for expectedSchema in schemas where expectedSchema.tables.contains(where: { $0.name == table }) {
                    tables.insert("\(expectedSchema.schema).\(table)")
                }
                partitioned = partitioned || plan.tables.contains { $0.name == table && $0.schema.partitioning != nil }
            }
            if hasConnector { tables.insert("public.\(DebeziumCatalog.heartbeatTable)") }
            let exact = publication.publishViaPartitionRoot || !partitioned
            query(
                batch,
                "SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = \(literal(publication.name))"
            ) { rows in
                let published = Set(rows.map { $0[0] })
                if exact {
                    #expect(published == tables, "tables of publication \(publication.name)")
                }
            }
        }
    }

    private func checkViews(_ batch: Batch, _ schemas: [Expected]) {
        for view in plan.views where view.databases.contains(database.name) {
            let kind = view.materialized ? "m" : "v"
            let keys = view.uniqueKey.count
            let label = "view \(view.name) in \(actual)"
            query(
                batch,
                """
                SELECT n.nspname,
                       (SELECT count(*) FROM pg_index x WHERE x.indrelid = c.oid AND x.indisunique AND x.indnkeyatts = \(keys)),
                       (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = n.oid AND p.proname = \(literal("topoc_refresh_\(view.name)")))
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relname = \(literal(view.name)) AND c.relkind = '\(kind)'
                """
            ) { rows in
                #expect(!rows.isEmpty, "\(label)")
                for row in rows where view.materialized {
                    #expect(row[1] == (keys > 0 ? "1" : "0"), "unique index of \(label)")
                    #expect(row[2] == "1", "refresh function of \(label)")
                }
            }
        }
    }

    private func checkShard(_ batch: Batch) {
        let sharded = database.kind == .shard && database.shard != nil
        query(batch, "SELECT count(*) FROM pg_proc WHERE proname = 'topoc_shard_for'") { rows in
            #expect(rows == [[sharded ? "1" : "0"]], "topoc_shard_for")
        }
        if let shard = database.shard, sharded {
            query(batch, "SELECT topoc_this_shard()") { rows in
                #expect(rows == [[String(shard)]], "topoc_this_shard()")
            }
        }
    }

    private func checkRole(_ batch: Batch) {
        guard plan.tenancy != nil else { return }
        let role = plan.roles.application
        query(
            batch,
            "SELECT rolsuper, rolbypassrls, rolcanlogin, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = \(literal(role))"
        ) { rows in
            #expect(rows == [["f", "f", "t", "f", "f"]], "application role \(role)")
        }
    }
}
