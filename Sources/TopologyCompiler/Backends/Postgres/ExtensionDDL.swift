/// The extensions a database's tables need: `citext` for citext columns, `btree_gist` and
/// `btree_gin` for GiST and GIN indexes on scalar columns, pg_partman (in schema `partman`)
/// for partitions it maintains.
enum ExtensionDDL {
    /// The schema pg_partman is installed in (its functions and `part_config` are read from it).
    static let partmanSchema = "partman"

    /// The extensions a database holding `tables` needs, in a fixed order. Found once per set
    /// of tables (``DatabaseScope/extensions``): the shard databases of a plan share it.
    static func required(by tables: [TableShape], shared: SharedRendering) -> [String] {
        var needed = Set<String>()
        for table in tables {
            needed.formUnion(shared.extensions(of: table))
        }
        return ["citext", "btree_gist", "btree_gin", "pg_partman"].filter(needed.contains)
    }

    /// The extensions one table needs (its column types, its indexes' methods over those types,
    /// pg_partman's premade partitions).
    static func needed(by table: TableShape) -> Set<String> {
        var needed = Set<String>()
        if table.columns.contains(where: { ColumnTypeSQL.needsCitext($0.type) }) { needed.insert("citext") }
        for index in table.indexes {
            let types = index.keys.compactMap(\.column).compactMap { table.column($0)?.type }
            switch index.method {
            case .gist where types.contains(where: ColumnTypeSQL.gistNeedsBtreeGist):
                needed.insert("btree_gist")
            case .gin where types.contains(where: ColumnTypeSQL.ginNeedsBtreeGin):
                needed.insert("btree_gin")
            case .btree, .hash, .gin, .gist, .brin, .spgist:
                break
            }
        }
        if table.partitioning?.partmanPremake != nil { needed.insert("pg_partman") }
        return needed
    }

    /// `CREATE EXTENSION IF NOT EXISTS` for each required extension.
    static func statements(_ database: DatabaseScope) -> SQLScript {
        var script = SQLScript()
        for name in database.extensions {
            if name == "pg_partman" {
                script.comment("pg_partman maintains future partitions; its maintenance job is in cron.sql")
                script.add("CREATE SCHEMA IF NOT EXISTS \(SQLQuoting.identifier(partmanSchema))")
                script.add("CREATE EXTENSION IF NOT EXISTS \(SQLQuoting.identifier(name)) SCHEMA \(SQLQuoting.identifier(partmanSchema))")
            } else {
                script.add("CREATE EXTENSION IF NOT EXISTS \(SQLQuoting.identifier(name)) SCHEMA \(SQLQuoting.identifier("public"))")
            }
        }
        return script
    }
}
