/// A table exactly as one database creates it.
///
/// Most tables are created as the plan describes them. A table with vertical groups loses the
/// groups' columns (they live in the group databases), and a vertical group becomes a table of
/// its own, `<table>_<group>`, holding the primary key and the group's columns.
package struct TableShape: Sendable {
    /// The table's name in the database.
    package var name: String
    /// The plan table it comes from.
    package var source: PlanTable
    /// The vertical group it stores, for a group table.
    package var group: PlanVerticalGroup?
    /// The columns, in order.
    package var columns: [PlanColumn]
    /// The primary key's columns.
    package var primaryKey: [String]
    /// Unique constraints on columns the shape has.
    package var uniqueConstraints: [PlanUniqueConstraint]
    /// Foreign keys from columns the shape has.
    package var foreignKeys: [PlanForeignKey]
    /// Indexes on columns the shape has.
    package var indexes: [PlanIndex]
    /// Declarative partitioning (none for group tables).
    package var partitioning: PlanPartitioning?
    /// The partitions, enumerated.
    package var partitions: [PlanPartition]

    /// The shape of a plan table in the database that holds it: vertical group columns removed.
    init(table: PlanTable) {
        let moved = Set(table.schema.verticalGroups.flatMap(\.columns))
        let columns = table.schema.columns.filter { !moved.contains($0.name) }
        let present = Set(columns.map(\.name))
        name = table.name
        source = table
        group = nil
        self.columns = columns
        primaryKey = table.schema.primaryKey
        uniqueConstraints = table.schema.uniqueConstraints.filter { $0.columns.allSatisfy(present.contains) }
        foreignKeys = table.schema.foreignKeys.filter { $0.columns.allSatisfy(present.contains) }
        indexes = table.schema.indexes.filter { Self.indexColumns($0).allSatisfy(present.contains) }
        partitioning = table.schema.partitioning
        partitions = table.partitions
    }

    /// The shape of a vertical group's table: the primary key, then the group's columns.
    init(table: PlanTable, group: PlanVerticalGroup) {
        let key = table.schema.primaryKey
        let keyColumns = key.compactMap { name in table.schema.columns.first { $0.name == name } }.map { column in
            PlanColumn(
                name: column.name, type: ColumnTypeSQL.withoutSerial(column.type), nullable: false,
                defaultExpression: nil, derived: nil)
        }
        let groupColumns = group.columns.compactMap { name in table.schema.columns.first { $0.name == name } }
        let present = Set(key + group.columns)
        let grouped = Set(group.columns)
        func involvesGroup(_ columns: [String]) -> Bool {
            columns.allSatisfy(present.contains) && columns.contains(where: grouped.contains)
        }
        name = Self.groupTableName(table: table.name, group: group.name)
        source = table
        self.group = group
        columns = keyColumns + groupColumns
        primaryKey = key
        uniqueConstraints = table.schema.uniqueConstraints.filter { involvesGroup($0.columns) }
        foreignKeys = []
        indexes = table.schema.indexes.filter { index in
            index.keys.allSatisfy { $0.column != nil } && involvesGroup(Self.indexColumns(index))
        }
        partitioning = nil
        partitions = []
    }

    /// The name of a vertical group's table: `<table>_<group>`.
    static func groupTableName(table: String, group: String) -> String {
        "\(table)_\(group)"
    }

    /// The columns an index names (key columns and INCLUDE columns; expressions are not parsed).
    static func indexColumns(_ index: PlanIndex) -> [String] {
        index.keys.compactMap(\.column) + index.include
    }

    /// The column with a name, if the shape has it.
    func column(_ name: String) -> PlanColumn? {
        columns.first { $0.name == name }
    }
}
