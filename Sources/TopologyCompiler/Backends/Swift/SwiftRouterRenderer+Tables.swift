extension SwiftRouterRenderer {
    /// The table types the topology uses: `ShardedTable`, `ReferenceTable` and `Table`.
    func renderTableTypes(_ out: inout SwiftSourceWriter) {
        let placements = Set(plan.tables.map(\.placement))
        if placements.contains(.sharded), let keyType, let function = shardFunction {
            out.line()
            renderShardedTableType(&out, keyType: keyType, function: function)
        }
        if placements.contains(.reference), plan.sharding != nil {
            out.line()
            out.doc("A reference table: copied to every shard. Read it on any shard; write it on all of them.")
            out.block("public struct ReferenceTable: Sendable, Hashable") { out in
                out.doc("The table's name.")
                out.line("public let name: String")
                out.doc("The shards that hold a copy: all of them.")
                out.line("public var shards: [Shard] { Shard.byIndex }")
            }
        }
        if placements.contains(.single) || (placements.contains(.reference) && plan.sharding == nil) {
            out.line()
            out.doc(
                "A table that is not sharded: it lives in the listed databases (one, or one per tenant or",
                "multi-primary cluster), with its vertical column groups in their own databases.")
            out.block("public struct Table: Sendable, Hashable") { out in
                out.doc("The table's name.")
                out.line("public let name: String")
                out.doc("The databases that hold it.")
                out.line("public let databases: [String]")
                out.doc("Where its columns live: vertical groups in their databases, the rest in the first database.")
                out.line("public let columnGroups: ColumnGroupRouter")
                out.line()
                out.doc("The database that stores `column`.", "", "- Parameter column: A column name.", "- Returns: The database's name.")
                out.block("public func database(forColumn column: String) -> String") { out in
                    out.line("columnGroups.database(forColumn: column)")
                }
            }
        }
    }

    /// `ShardedTable`, whose `shard(for:)` takes the topology's key type.
    private func renderShardedTableType(_ out: inout SwiftSourceWriter, keyType: String, function: ShardFunction) {
        out.doc("A table whose rows are spread over the shards by a key of Swift type `\(keyType)`.")
        out.block("public struct ShardedTable: Sendable, Hashable") { out in
            out.doc("The table's name.")
            out.line("public let name: String")
            out.doc("The column that holds the shard key.")
            out.line("public let shardKey: String")
            out.doc("The co-location group: rows with the same key in its tables share a shard.")
            out.line("public let colocationGroup: String?")
            out.line()
            switch function {
            case .byKey(let optional):
                out.doc(
                    "The shard that holds the rows whose `shardKey` is `key`" + (optional ? ", or `nil` if no range covers it." : "."),
                    "", "- Parameter key: The shard-key value.", "- Returns: The shard.")
                out.block("public func shard(for key: \(keyType)) -> Shard\(optional ? "?" : "")") { out in
                    out.line("Routing.shard(for: key)")
                }
            case .byRegion(let optional):
                out.doc(
                    "The shard that holds the rows of `region` (geographic sharding: the key does not matter).", "",
                    "- Parameter region: The rows' region.", "- Returns: The shard.")
                out.block("public func shard(in region: Region) -> Shard\(optional ? "?" : "")") { out in
                    out.line("Routing.shard(in: region)")
                }
                out.line()
                out.doc(
                    "The shard that holds the row with `key` in `region`: the region's shard.", "", "- Parameters:",
                    "  - key: The shard-key value.", "  - region: The row's region.", "- Returns: The shard.")
                out.block("public func shard(for key: \(keyType), in region: Region) -> Shard\(optional ? "?" : "")") { out in
                    out.line("Routing.shard(in: region)")
                }
            case .byKeyInRegion(let optional):
                out.doc(
                    "The shard that holds the row with `key` in `region`.", "", "- Parameters:",
                    "  - key: The shard-key value.", "  - region: The row's region.", "- Returns: The shard.")
                out.block("public func shard(for key: \(keyType), in region: Region) -> Shard\(optional ? "?" : "")") { out in
                    out.line("Routing.shard(for: key, in: region)")
                }
            }
        }
    }

    /// One static entry per table.
    func renderTableEntries(_ out: inout SwiftSourceWriter) {
        for (index, table) in plan.tables.enumerated() {
            out.line()
            let name = SwiftIdentifier.stringLiteral(table.name)
            switch table.placement {
            case .sharded where keyType != nil && shardFunction != nil:
                var summary = "`\(table.name)`: sharded by `\(table.shardKey ?? "?")` (`\(plan.sharding?.keyType.rawValue ?? "?")`)"
                if let group = table.colocationGroup {
                    let partners = plan.tables.filter { $0.colocationGroup == group && $0.name != table.name }.map { "`\($0.name)`" }
                    summary += ", co-located" + (partners.isEmpty ? "" : " with \(partners.joined(separator: ", "))") + " in `\(group)`"
                }
                out.doc(summary + ".")
                let group = table.colocationGroup.map(SwiftIdentifier.stringLiteral) ?? "nil"
                out.line(
                    "public static let \(tableNames[index]) = ShardedTable(name: \(name), "
                        + "shardKey: \(SwiftIdentifier.stringLiteral(table.shardKey ?? "")), colocationGroup: \(group))")
            case .reference where plan.sharding != nil:
                out.doc("`\(table.name)`: a reference table, present on every shard (\(table.databases.count) databases).")
                out.line("public static let \(tableNames[index]) = ReferenceTable(name: \(name))")
            default:
                renderPlainEntry(&out, table: table, identifier: tableNames[index])
            }
        }
    }

    /// The entry of a table that is not sharded.
    private func renderPlainEntry(_ out: inout SwiftSourceWriter, table: PlanTable, identifier: String) {
        let databases = uniqued(table.databases)
        var summary = "`\(table.name)`: in " + (databases.count == 1 ? "database `\(databases[0])`" : "\(databases.count) databases")
        if let tenancy = plan.tenancy, !tenancy.sharedTables.contains(table.name) {
            switch tenancy.mode {
            case .databasePerTenant:
                summary += " (one per tenant: use `Tenant.database`)"
            case .schemaPerTenant:
                summary += " (in each tenant's schema: use `Tenant.schema`)"
            case .sharedSchema:
                if table.schema.tenantScoped, let column = tenancy.column {
                    summary += " (rows carry their tenant in `\(column)`)"
                }
            }
        } else if table.schema.tenantScoped, let column = plan.tenancy?.column {
            summary += " (rows carry their tenant in `\(column)`)"
        }
        out.doc(summary + ".")
        for group in table.schema.verticalGroups {
            out.doc(
                "Vertical group `\(group.name)` (\(group.columns.map { "`\($0)`" }.joined(separator: ", "))) lives in `\(group.database)`.")
        }
        let groups = table.schema.verticalGroups.map { group in
            ".init(name: \(SwiftIdentifier.stringLiteral(group.name)), columns: \(arrayText(stringElements(group.columns)))"
                + ", database: \(SwiftIdentifier.stringLiteral(group.database)))"
        }
        let home = SwiftIdentifier.stringLiteral(databases.first ?? "")
        out.line("public static let \(identifier) = Table(")
        out.line("    name: \(SwiftIdentifier.stringLiteral(table.name)), databases: \(arrayText(stringElements(databases))),")
        if groups.isEmpty {
            out.line("    columnGroups: ColumnGroupRouter(homeDatabase: \(home), groups: []))")
        } else {
            out.line("    columnGroups: ColumnGroupRouter(")
            out.line("        homeDatabase: \(home),")
            out.line("        groups: [")
            for group in groups {
                out.line("            \(group),")
            }
            out.line("        ]))")
        }
    }

    /// `values` without repeats, in first-seen order.
    private func uniqued(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
