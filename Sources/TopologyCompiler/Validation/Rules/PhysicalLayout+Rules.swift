extension PhysicalLayout.PhysicalCluster {
    /// The databases that publish logically captured tables: each holds one logical slot when
    /// the topology declares a sink. Vertical groups are not captured; a multi-primary mirror's
    /// copy of the group's database is not (the first member's is), nor a later shard's copy of a
    /// reference table (the first shard's is).
    func logicalSlotDatabases(capturing logical: Set<String>, reference: Set<String> = []) -> [PhysicalLayout.Database] {
        databases.filter { database in
            database.kind != .vertical && !(mirrorsMultiPrimary && database.kind == .main)
                && database.tables.contains {
                    logical.contains($0) && !(copiesReferenceTables && database.kind == .shard && reference.contains($0))
                }
        }
    }
}
