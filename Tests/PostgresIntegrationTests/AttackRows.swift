import Foundation
import TopologyCompiler

/// Valid-looking rows for the positive path, derived from the plan's columns: one value per
/// column type, the parent's value for a foreign key, a partition's bound for a partition key,
/// the tenant's id for the tenant column. Counter and snapshot columns are left to their
/// triggers. A row the generator cannot derive (a CHECK it does not know, an unknown type) fails
/// with a data error, never with 42501, and the suite then relies on the plan-time privilege
/// checks for that table (see ``AttackSuite``).
struct AttackRows {
    let plan: Plan

    /// A tenant id of the shared-schema tenant column for `variant`.
    static func tenantID(_ variant: Int) -> String {
        "00000000-0000-0000-0000-0000000000a\(variant)"
    }

    /// One table's row: column -> SQL expression.
    typealias Row = [(column: String, value: String)]

    /// The full tables of `names` in foreign-key order (parents first), with one row each.
    func rows(tables names: [String], variant: Int, tenantValue: String?) -> [(table: PlanTable, row: Row)] {
        let held = plan.tables.filter { names.contains($0.name) }
        var ordered: [PlanTable] = []
        var remaining = held
        while !remaining.isEmpty {
            let done = Set(ordered.map(\.name))
            let heldNames = Set(held.map(\.name))
            let ready = remaining.filter { table in
                table.schema.foreignKeys.allSatisfy {
                    $0.referencedTable == table.name || done.contains($0.referencedTable) || !heldNames.contains($0.referencedTable)
                }
            }
            let next = ready.isEmpty ? [remaining[0]] : ready
            ordered += next
            remaining.removeAll { table in next.contains { $0.name == table.name } }
        }
        var made: [String: [String: String]] = [:]
        var result: [(PlanTable, Row)] = []
        for table in ordered {
            var row: Row = []
            var values: [String: String] = [:]
            // Columns of vertical groups live in another database's table.
            let elsewhere = Set(table.schema.verticalGroups.flatMap(\.columns))
            for column in table.schema.columns where column.derived == nil && !elsewhere.contains(column.name) {
                let value = self.value(column, table: table, variant: variant, tenantValue: tenantValue, parents: made)
                guard let value else { continue }
                row.append((column.name, value))
                values[column.name] = value
            }
            made[table.name] = values
            result.append((table, row))
        }
        return result
    }

    private func value(
        _ column: PlanColumn, table: PlanTable, variant: Int, tenantValue: String?, parents: [String: [String: String]]
    ) -> String? {
        let type = column.type.lowercased()
        if let tenancy = plan.tenancy, tenancy.mode == .sharedSchema, column.name == tenancy.column, let tenantValue {
            return "\(literal(tenantValue))::\(type)"
        }
        for key in table.schema.foreignKeys {
            guard let position = key.columns.firstIndex(of: column.name) else { continue }
            let referenced = key.referencedColumns[position]
            if key.referencedTable == table.name { return column.nullable ? nil : generic(type, variant: variant) }
            if let value = parents[key.referencedTable]?[referenced] { return value }
            return column.nullable ? nil : generic(type, variant: variant)
        }
        if let partitioning = table.schema.partitioning, partitioning.columns.first == column.name {
            switch partitioning.method {
            case .list:
                if let value = table.partitions.compactMap({ $0.values?.first }).first { return "\(literal(value))::\(type)" }
            case .range:
                // The newest bounded partition: a range sharded or pruned by time keeps it longest.
                if let from = table.partitions.compactMap(\.from).last { return "\(literal(from))::\(type)" }
            case .hash:
                break
            }
        }
        return generic(type, variant: variant)
    }

    /// A value of a type for `variant`, or nil when the type is not known here.
    func generic(_ type: String, variant: Int) -> String? {
        let base = type.split(separator: "(").first.map(String.init) ?? type
        let length = type.split(separator: "(").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) }
        switch base.trimmingCharacters(in: .whitespaces) {
        case "smallint", "integer", "int", "int4", "int2", "int8", "bigint", "serial", "bigserial", "smallserial":
            return "\(variant)"
        case "numeric", "decimal", "real", "double precision", "float8", "float4":
            return "\(variant)"
        case "text", "citext", "varchar", "character varying", "char", "character":
            let text = "t\(variant)xxxxxxxx"
            return "\(literal(String(text.prefix(length ?? 8))))::\(type)"
        case "uuid":
            return "'00000000-0000-0000-0000-00000000000\(variant)'::uuid"
        case "timestamptz", "timestamp with time zone", "timestamp", "timestamp without time zone":
            // Fixed, so that the row is found again by its key in a later transaction.
            return "'2026-01-15 12:00:00+00'::\(type)"
        case "date":
            return "'2026-01-15'::date"
        case "boolean", "bool":
            return "true"
        case "jsonb", "json":
            return "'{}'::\(type)"
        case "bytea":
            return "'\\x00'::bytea"
        case "inet":
            return "'127.0.0.\(variant)'::inet"
        case "tstzrange":
            return "tstzrange(now(), now() + interval '1 hour')"
        case "interval":
            return "interval '1 hour'"
        case "point":
            return "point(\(variant), \(variant))"
        default:
            return nil
        }
    }
}
